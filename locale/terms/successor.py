"""Chinese for the strings of the branch i14-successor (a successor plan from a workbook, the plan switcher)."""

ZH = {
    "A plan (successor plan workbook)": "规划（后续规划导入工作簿）",
    "a new plan": "新规划",
    "Import a plan": "导入规划",
    "This import reads a whole workbook (.xlsx) with the template's sheets; a CSV file holds one sheet only. "
    "Download the template.": "本导入读取整个工作簿（.xlsx）及模板中的各工作表；CSV文件只有一张表。请下载模板填写。",
    "The plan's period must start before it ends (%(start)s – %(end)s).":
        "规划期的开始日期须早于结束日期（%(start)s至%(end)s）。",
    "The plan's period must be whole quarters: it starts on the first day of a quarter (e.g. 2026-01-01) and ends "
    "on the last day of one (e.g. 2030-12-31).":
        "规划期须为整季度：从某季度第一天开始（如2026-01-01），到某季度最后一天结束（如2030-12-31）。",
    "The period %(start)s – %(end)s overlaps %(other)s (%(other_start)s – %(other_end)s) of the same series: a "
    "successor starts after its predecessor ends.":
        "规划期%(start)s至%(end)s与同一系列的规划%(other)s（%(other_start)s至%(other_end)s）重叠：后续规划须在前一规划结束后开始。",
    "A plan with the code %(code)s already exists.": "已有代码为%(code)s的规划。",
    "An indicator with the code %(code)s already exists.": "已有代码为%(code)s的指标。",
    "the header row lacks the column %(header)s": "表头缺少“%(header)s”列",
    "%(header)s is empty": "“%(header)s”未填写",
    "“%(value)s” is not one of %(choices)s": "“%(value)s”不是可选项（%(choices)s）",
    "“%(value)s” is not a date (write it like 2026-01-01)": "“%(value)s”不是日期（请写作2026-01-01）",
    "the workbook has no sheet %(sheet)s; download the template and keep its sheets":
        "工作簿中没有“%(sheet)s”工作表；请下载模板并保留其中的工作表",
    "the sheet %(sheet)s has one row: the plan (it has %(n)s)": "“%(sheet)s”工作表只填一行，即本规划（现有%(n)s行）",
    "“%(value)s” is not a code: small letters, digits and hyphens, e.g. ankang-2026":
        "“%(value)s”不是有效代码：只能用小写字母、数字和连字符，如ankang-2026",
    "a plan with the code %(code)s already exists": "已有代码为%(code)s的规划",
    "at most %(n)s characters": "最多%(n)s个字符",
    "the section key %(key)s appears twice (first in row %(row)s)": "章节键%(key)s重复出现（第一次在第%(row)s行）",
    "no section %(key)s in the sheet %(sheet)s": "“%(sheet)s”表中没有章节键%(key)s",
    "the sheet %(sheet)s has no rows": "“%(sheet)s”工作表没有数据行",
    "a task number is a whole number from 1": "任务序号须为从1开始的整数",
    "the task number %(number)s appears twice (first in row %(row)s)": "任务序号%(number)s重复出现（第一次在第%(row)s行）",
    "no department %(name)s on the platform (check the name, or add the department in the administration first)":
        "平台上没有单位“%(name)s”（请核对名称，或先在后台管理中添加该单位）",
    "a task needs its lead unit": "任务须填写牵头单位",
    "%(name)s is named twice for this task": "本任务中“%(name)s”出现了两次",
    "co-responsible units need a lead unit": "填写配合单位时须先填写牵头单位",
    "“%(value)s” is not a code: small letters, digits, hyphens and underscores":
        "“%(value)s”不是有效代码：只能用小写字母、数字、连字符和下划线",
    "the indicator %(code)s already exists: use it in the sheet %(sheet)s without defining it again":
        "指标%(code)s已存在：请直接在“%(sheet)s”表中引用，无需重复定义",
    "the indicator code %(code)s appears twice (first in row %(row)s)": "指标代码%(code)s重复出现（第一次在第%(row)s行）",
    "an indicator entered for the city is reported by the city": "市级填报的指标须由市级报送",
    "a ratio needs the names of its numerator and its denominator": "比率指标须填写分子名称和分母名称",
    "the scale must be above 0": "比例系数须大于0",
    "the target code %(code)s appears twice (first in row %(row)s)": "目标代码%(code)s重复出现（第一次在第%(row)s行）",
    "no indicator %(code)s on the platform or in the sheet %(sheet)s": "平台上和“%(sheet)s”表中都没有指标%(code)s",
    "a task-level figure names its task": "任务指标须填写任务序号",
    "no task %(number)s in the sheet %(sheet)s": "“%(sheet)s”表中没有任务%(number)s",
    "a main target belongs to no task; leave the cell empty": "主要目标不属于某项任务，请留空",
    "a must-reach-zero target has the value 0": "动态清零目标的目标值为0",
    "a target cannot be negative": "目标值不能为负数",
    "the upper value is below the target value": "上限值小于目标值",
    "no target %(code)s in the sheet %(sheet)s": "“%(sheet)s”表中没有目标%(code)s",
    "no county %(name)s in Ankang": "安康市没有名为“%(name)s”的县（市、区）",
    "a quota cannot be negative": "分解数不能为负数",
    "%(county)s has two quotas for %(target)s": "%(county)s对%(target)s有两个分解数",
    "the county quotas of %(target)s add up to %(total)s, not to the city target %(value)s":
        "目标%(target)s的各县分解数之和为%(total)s，不等于全市目标%(value)s",
    "county quotas of %(target)s": "%(target)s的分县任务",
    "%(n)s counties": "%(n)s个县（市、区）",
    "A new plan (the successor of the plan in force) from one workbook: the plan, its sections, its tasks with "
    "their lead and co-responsible units, new indicators, targets and county quotas, one sheet each. The preview "
    "lists what will be created, or every error with its sheet, row and column; nothing is created unless the "
    "whole workbook is right. Edit the plan afterwards in the administration.":
        "用一个工作簿创建新规划（现行规划的后续规划）：规划、章节、任务及其牵头和配合单位、新增指标、目标和分县任务，各占一张工作表。"
        "预览列出将要创建的内容，或逐条列出错误所在的工作表、行和列；工作簿完全正确才会创建。创建后可在后台管理中修改。",
    "Period rule: whole quarters (from the first day of a quarter to the last day of one), and no overlap with "
    "another plan of the same series (the plan code without its year, e.g. ankang).":
        "规划期规则：整季度（从某季度第一天到某季度最后一天），且不得与同一系列（规划代码去掉年份，如ankang）的其他规划重叠。",
    "Download the template (.xlsx)": "下载模板（.xlsx）",
    "current plan": "当前规划",
    "ended": "已结束",
    "not yet begun": "尚未开始",
    "The parent section belongs to another plan.": "上级章节属于另一个规划。",
    "The section belongs to another plan.": "所属章节属于另一个规划。",
    "The task belongs to another plan.": "所属任务属于另一个规划。",
}
