"""Chinese for the templates, certification application and task report imports, and the
import-export Resources (imports/resources.py, imports/templates.py, imports/kinds.py)."""

ZH = {
    # kinds and pages
    "Certification applications": "认定申请",
    "Department task reports": "部门任务报告",
    "options": "选项",
    "Import certification applications": "导入认定申请",
    "Import task reports": "导入任务报告",
    "Import applications from Excel or CSV": "从Excel或CSV导入申请…",
    "Import task reports from Excel or CSV": "从Excel或CSV导入任务报告…",
    "Other tiers": "其他等级",
    "figure": "数字",
    "One row per village or community of %(county)s applying for %(tier)s, with the checklist answers. A new row opens a draft application; a row of a draft or returned application updates its checklist (an empty cell keeps the answer). Attach the evidence and submit each application on its page afterwards.":
        "每行一个申请%(tier)s的%(county)s村（社区），并填写认定条件的答复。新的一行会新建一份草稿申请；草稿或已退回申请的一行会更新其条件清单（空单元格保留原答复）。之后请在各申请页面上传佐证材料并提交。",
    "One row per task of %(department)s: its part of a task it is co-responsible for, the compiled report of a task it leads. Saved as drafts for %(period)s, exactly as if typed in the form (an empty cell keeps what is written); submit on each task's page afterwards.":
        "%(department)s的每项任务一行：配合任务填写本单位部分，牵头任务填写汇总报告。作为%(period)s的草稿保存，与在表单中填写完全相同（空单元格保留已填内容）；之后请在各任务页面提交。",
    "Download the template of all our tasks (.xlsx)": "下载本单位全部任务的报告模板（.xlsx）",
    "Download the return template (.xlsx)": "下载本季度季报模板（.xlsx）",
    "Download the report template (.xlsx)": "下载任务报告模板（.xlsx）",
    "Download our part's template (.xlsx)": "下载本单位部分的报告模板（.xlsx）",
    "An import of applications needs its tier.": "导入认定申请须指定认定等级。",
    # templates
    "Return": "季报",
    "Task reports": "任务报告",
    "Not a figure": "不是数字",
    "Enter a number of 0 or more (no units, no text).": "请填写大于或等于0的数字（不带单位、不含文字）。",
    "This quarter's figure": "本季度数值",
    "A number of 0 or more; leave empty to keep what the return has.": "大于或等于0的数字；留空则保留季报中已有的数值。",
    "Too long": "内容过长",
    "At most %(n)s characters per cell.": "每个单元格最多%(n)s个字。",
    "Choose from the list": "请从列表中选择",
    "lead": "牵头",
    "co-responsible": "配合",
    "This workbook is the platform's template for %(kind)s; it cannot be imported here.":
        "该工作簿是平台的“%(kind)s”模板，不能在此处导入。",
    "This template is of an older version (%(version)s); download the template again and copy your figures into it.":
        "该模板为旧版本（%(version)s），请重新下载模板并将数据复制进去。",
    "This template was made for %(made_for)s; this import is for %(this)s. Download the template from this page.":
        "该模板是为%(made_for)s生成的，本次导入是%(this)s的。请从本页面下载模板。",
    # rows
    "“%(value)s” is not one of %(allowed)s": "“%(value)s”不是以下之一：%(allowed)s",
    "%(name)s's application for %(tier)s is in review and cannot be changed by an import.":
        "%(name)s的%(tier)s申请正在审核中，不能通过导入修改。",
    "met": "符合",
    "not met": "不符合",
    "%(name)s: %(detail)s": "%(name)s：%(detail)s",
    "not allowed": "无权操作",
    "the task number is empty": "任务序号为空",
    "task %(number)s is not a task of %(department)s in the current plan": "任务%(number)s不是%(department)s在当前实施意见中承担的任务",
    "task %(number)s is also on row %(row)s": "任务%(number)s在第%(row)s行也出现了",
    "the report on task %(number)s is %(state)s and cannot be changed by an import":
        "任务%(number)s的报告状态为“%(state)s”，不能通过导入修改",
    "the row names %(named)s, but it is imported for %(department)s; the department comes from your account, not from the file":
        "该行填写的是%(named)s，但本次导入属于%(department)s；单位取自您的账号，而不是文件",
    "lead's report": "牵头单位汇总报告",
    "part": "配合部分",
    "Task %(number)s": "任务%(number)s",
}
