"""Chinese for the annual assessment (年度考核), its schemes and its 通报."""

ZH: dict[str, str] = {
    "Scheme version %(version)d saved.": "考核方案第%(version)d版已保存。",
    "The assessment is being computed from the records; the new draft version appears here when the job has run.":
        "正在依据平台记录计算考核结果；后台任务完成后，新的草稿版本将显示在本页。",
    "The template is replaced; the next 通报 is written into it.": "模板已替换，此后生成的通报将使用该模板。",
    "Weight": "分值", "weight": "分值",
    "Template (.docx)": "模板（.docx）",
    "Target achievement (an indicator against its quota)": "目标任务完成情况（指标对照配额）",
    "Reporting on time": "报送及时性",
    "Reporting complete": "报送完整性",
    "Reports sent back": "材料被退回",
    "Leaders' instructions handled on time": "领导批示按期办结",
    "Task measures reaching their targets": "任务指标达标情况",
    "assessed units": "考核对象",
    "The plan whose targets and tasks the year is assessed against.": "考核所依据的规划文件（目标与任务）。",
    "assessment scheme": "考核方案", "assessment schemes": "考核方案",
    "How the item is scored, in Chinese; shown beside every score.": "该项的评分规则（中文），显示在每个得分旁。",
    "assessment item": "考核项目", "assessment items": "考核项目",
    "departments' scheme": "部门考核方案", "counties' scheme": "县区考核方案",
    "The 通报's own 文号, e.g. 安就业办发〔2026〕5号.": "通报本身的文号，如安就业办发〔2026〕5号。",
    "annual assessment": "年度考核", "annual assessments": "年度考核",
    "document template": "公文模板", "document templates": "公文模板",
    "Only the city office configures schemes and drafts, checks and issues the annual assessment.":
        "考核方案的制定及年度考核的拟稿、核稿和签发只能由市就业办进行。",
    "The %(year)s assessment has been issued: its schemes are fixed.": "%(year)s年度考核已签发，其考核方案不得再改。",
    "Unknown group of assessed units.": "未知的考核对象。",
    "A scheme needs at least one item.": "考核方案至少应有一个考核项目。",
    "Item %(n)d: unknown kind.": "第%(n)d项：类型无效。",
    "Item %(n)d has no name.": "第%(n)d项未填写名称。",
    "Item %(n)d (%(name)s) has no rule: write how it is scored, in Chinese.": "第%(n)d项（%(name)s）未填写评分规则，请用中文写明如何计分。",
    "Item %(n)d (%(name)s): the weight must be more than 0 and at most 100.": "第%(n)d项（%(name)s）：分值须大于0且不超过100。",
    "Item %(n)d (%(name)s): a target item names its indicator.": "第%(n)d项（%(name)s）：目标任务类项目须选择指标。",
    "Item %(n)d (%(name)s): the indicator is not a target of %(plan)s.": "第%(n)d项（%(name)s）：该指标不是《%(plan)s》的目标。",
    "Item %(n)d (%(name)s): only a target item names an indicator.": "第%(n)d项（%(name)s）：只有目标任务类项目才选择指标。",
    "Item %(n)d (%(name)s): task measures are the departments' item, not the counties'.":
        "第%(n)d项（%(name)s）：任务指标是部门的考核项目，不用于县（市、区）。",
    "The weights add up to %(total)s; they must add up to 100.": "各项分值合计为%(total)s，须合计为100。",
    "%(year)s is outside the plan's period (%(period)s).": "%(year)s年不在规划期（%(period)s）内。",
    "Someone saved a newer version of this scheme meanwhile; open it again and redo your change.":
        "其间已有人保存了该方案的新版本，请重新打开后再修改。",
    "The 通报 needs its own document number (文号).": "通报须有本身的文号。",
    "No scheme for %(year)s yet: the office configures one first.": "%(year)s年度尚无考核方案，请市就业办先制定方案。",
    "The document number %(number)s is already used by another document.": "文号%(number)s已被其他公文使用。",
    "Notice of the %(year)s annual assessment of full-employment work": "关于%(year)s年度高质量充分就业工作考核结果的通报",
    "The template must be a Word document (.docx).": "模板须为Word文档（.docx）。",
    "The template is larger than 5 MB.": "模板文件超过5 MB。",
    "%(name)s cannot be opened as a Word document (.docx).": "%(name)s无法作为Word文档（.docx）打开。",
    "Annual assessments": "年度考核",
    "Each year the office sets how departments and counties are scored (the scheme: items, weights and the rule of "
    "each), the platform computes the year's assessment from the records, and the office checks and issues it with "
    "its 通报.": "每年由市就业办制定部门和县（市、区）的考核方案（考核项目、分值及各项评分规则），平台依据记录计算年度考核结果，"
                 "市就业办核稿、签发并印发通报。",
    "Year": "年度", "Counties' scheme": "县区考核方案", "Departments' scheme": "部门考核方案", "Assessment": "考核结果",
    "version %(v)s": "第%(v)s版", "not computed yet": "尚未计算", "No scheme has been configured yet.": "尚未制定考核方案。",
    "Configure a year's scheme": "制定年度考核方案", "The 通报's template": "通报模板",
    "In force: %(name)s, uploaded by %(who)s on %(when)s.": "现行模板：%(name)s，由%(who)s于%(when)s上传。",
    "Download": "下载",
    "None uploaded: the built-in layout (red head, 文号, title, tables, 落款, page numbers) is used.":
        "尚未上传模板，使用内置版式（红头、文号、标题、表格、落款、页码）。",
    "Replace the template": "替换模板",
    "The template gives the page set-up, fonts, header and footer; its body is replaced by the 通报. Earlier templates "
    "are kept.": "模板提供页面设置、字体、页眉和页脚，正文由通报内容替换；以往模板均予保留。",
    "The %(year)s assessment": "%(year)s年度考核", "figures of": "数据期",
    "The year's last quarter is not in yet: this draft is computed on %(q)s's figures.":
        "本年度第四季度数据尚未齐备，本稿按%(q)s数据计算。",
    "通报 (Word)": "通报（Word）", "scheme version %(v)s": "考核方案第%(v)s版", "points": "分",
    "Last year": "上年总分（名次）", "corrected after the cut-off": "截止后有更正", "n/a": "不适用", "why": "计分依据",
    "The rules of this scheme": "本方案评分规则", "Not computed yet.": "尚未计算。", "Compute now": "立即计算",
    "Computed from the records as they stand now by a background job (also run when the year's last quarter is "
    "approved): a new draft version; earlier ones are kept. Another member of the office checks it, then it is issued "
    "and never changes.": "由后台任务依据当前记录计算（年度第四季度审核完成后也会自动计算），生成新的草稿版本，以往版本均予保留。"
                          "由办公室其他人员核稿后签发，签发后不再更改。",
    "Assessment scheme": "考核方案",
    "%(year)s assessment scheme: %(audience_label)s": "%(year)s年度考核方案：%(audience_label)s",
    "The %(year)s assessment has been issued: this scheme is fixed.": "%(year)s年度考核已签发，本方案不得再改。",
    "Version %(v)s, saved by %(who)s on %(when)s; assessed against %(plan)s.":
        "第%(v)s版，%(who)s于%(when)s保存；依据《%(plan)s》考核。",
    "How it is computed": "计算方法", "No scheme yet for this year and these units.": "该年度尚无针对该考核对象的方案。",
    "Save a new version": "保存为新版本", "Configure the scheme": "制定考核方案",
    "The weights must add up to 100 and every item needs its rule, written in Chinese; a target item names its "
    "indicator. Leave a row's fields empty, or tick Remove, to drop it.":
        "各项分值合计须为100，每项须用中文写明评分规则；目标任务类项目须选择指标。留空一行或勾选“删除”即去掉该项。",
    "Save as a new version": "保存为新版本", "tied": "并列",
    "Percent of each county's quota achieved for the targets split among the counties (amounts to reach); ranked by "
    "their mean, each percent counted at most 100 (an over-achievement does not hide a shortfall); equal means share a "
    "rank (tied).": "各县（市、区）对分解到县的目标（须达到的数量）的配额完成百分比；按其平均值排名，每项完成率按不超过100%计"
                    "（超额完成不掩盖其他指标的不足）；平均值相同的并列。",
    "Scoring rule": "评分规则",
    "Departments": "市级部门", "Counties": "县（市、区）",
    "This annual assessment has been issued; an issued assessment does not change.": "该年度考核已签发，已签发的考核不得更改。",
}
