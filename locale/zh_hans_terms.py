"""Chinese for every English msgid, kept as data so the .po can be regenerated and refilled:

    python manage.py makemessages -l zh_Hans -i ".venv/*" -i "var/*"
    python locale/zh_hans_terms.py     # fills msgstr from this table (needs polib)
    python manage.py compilemessages -l zh_Hans

tests/platform/test_i18n.py fails if any msgid in the catalogue has no Chinese.
"""

ZH = {
    "Person": "人员信息", "Status": "状态", "roles": "角色", "Users and roles": "用户与角色",
    "full name": "姓名", "department": "单位", "region": "行政区划",
    "For county staff: the county whose data they handle.": "县级人员：所负责数据所属的县（市、区）。",
    "demo account": "演示账号", "user": "用户", "users": "用户", "role": "角色", "granted by": "授予人",
    "granted at": "授予时间", "role assignment": "角色授予", "role assignments": "角色授予",
    "A county officer must belong to a county.": "县区经办员必须隶属于某个县（市、区）。",
    "A department officer must belong to a department.": "部门联络员必须隶属于某个单位。",
    "City administrator": "市级管理员（市就业办）", "Department officer": "部门联络员",
    "County officer": "县区经办员", "Leader (read-only)": "领导（只读）", "Auditor (audit trail only)": "审计员（仅审计日志）",
    "Ankang Full-Employment City Platform · Administration": "安康市高质量充分就业市创建平台 · 后台管理",
    "Platform administration": "平台后台管理", "Administration": "后台管理",
    "Ankang High-Quality Full-Employment City Platform": "安康市高质量充分就业市创建工作平台",
    "Audit trail": "审计日志", "Created": "新增", "Changed": "修改", "Deleted": "删除", "Bulk load": "批量导入",
    "when": "时间", "who": "操作人", "username": "用户名", "action": "操作", "model": "数据类型",
    "record type": "记录类型", "object id": "对象编号", "object": "对象", "changes": "变更内容",
    "[{field, label, old, new}]": "[{字段, 名称, 原值, 新值}]", "reason": "原因", "audit event": "审计记录",
    "audit events": "审计记录", "Administrative divisions and communities": "行政区划与村（社区）",
    "City": "市", "County": "县（市、区）", "Town": "镇（街道）", "Village or community": "村（社区）",
    "Prefecture-level city": "地级市", "District": "市辖区", "Rural county": "县", "County-level city": "县级市", "Sub-district": "街道",
    "Township": "乡", "Community": "社区", "Village": "村", "NBS code": "统计用区划代码", "name": "名称",
    "The name in the NBS division codes.": "统计用区划代码中的名称。", "short name": "简称", "level": "层级",
    "kind": "类型", "parent": "上级", "county": "所属县（市、区）", "code vintage": "代码年份", "active": "启用",
    "administrative unit": "行政区划单位", "administrative units": "行政区划单位", "Quarterly reporting": "季度报送",
    "Targets": "目标", "Main target": "主要目标", "Task-level figure": "任务指标", "At least": "不低于",
    "At most": "不高于", "Must reach zero": "动态清零", "Whole plan period": "规划期内", "Each year": "每年",
    "City-wide": "全市", "Each county": "每个县（市、区）", "plan": "规划文件", "code": "代码", "English name": "英文名称",
    "category": "类别", "task": "任务", "direction": "方向", "target value": "目标值", "upper value": "目标上限",
    "For a range such as 1–2 labour brands per county.": "用于区间目标，如每县1—2个劳务品牌。", "unit": "计量单位",
    "span": "期限", "scope": "范围", "clause": "原文", "The words of the plan this target comes from.": "目标出处的文件原文。",
    "order": "排序", "target": "目标", "targets": "目标", "lead unit": "牵头单位", "co-responsible units": "责任单位",
    "aliases": "别名", "tasks led / co-responsible": "牵头（★）/参与的任务", "Plan, tasks and departments": "实施意见、任务与单位",
    "document number": "文号", "title": "标题", "English title": "英文标题", "notice title": "印发通知标题",
    "issuer": "发文机关", "issue date": "印发日期", "period start": "期限起", "period end": "期限止", "period label": "期限说明",
    "preamble": "引言", "full text": "全文", "source file": "来源文件", "cloned from": "复制自", "plans": "规划文件",
    "General requirements": "总体要求", "Main targets": "主要目标", "Main tasks": "主要任务", "Task group": "任务分组",
    "Work requirements": "工作要求", "key": "标识", "Stable within the plan, e.g. tasks.3": "在文件内唯一，如 tasks.3",
    "parent section": "上级章节", "ordinal": "序号", "text": "正文", "section": "章节", "sections": "章节",
    "Municipal department": "市级部门", "Mass organisation": "群团组织", "Public institution": "事业单位",
    "Government": "人民政府", "County HR bureau": "县级人社局", "Group of units": "单位组",
    "As the plan writes it.": "按文件中的写法。", "For county governments and HR bureaux.": "县级政府和人社局适用。",
    "members": "成员单位", "For a group of units: the departments the city names as its members.": "单位组适用：由市上确定的成员单位。",
    "departments": "单位", "alias": "别名", "department alias": "单位别名", "department aliases": "单位别名",
    "Task": "任务", "Work requirement": "工作要求", "number": "序号", "clause text": "条文",
    "addressed to": "责任主体", "For work requirements: whom the text addresses.": "工作要求适用：条文所指的责任主体。",
    "tasks": "任务", "Lead unit": "牵头单位", "Co-responsible unit": "责任单位", "order in the document": "文件中的顺序",
    "responsibility": "任务分工", "responsibilities": "任务分工", "Log in": "登录",
    "The username or password is wrong, or the account is disabled.": "用户名或密码错误，或账号已停用。",
    "Username": "用户名", "Password": "密码",
    "Your account has no role yet. Ask the city administrator (市就业工作领导小组办公室) to assign one.":
        "您的账号尚未分配角色，请联系市级管理员（市就业工作领导小组办公室）分配。",
    "Record type": "记录类型", "All record types": "全部记录类型", "Filter": "筛选", "When": "时间", "Who": "操作人",
    "Action": "操作", "Record": "记录", "Old → new": "原值 → 新值", "system": "系统", "No events.": "暂无记录。",
    "DEMO — demonstration data and demo accounts, not official figures": "演示环境 — 演示数据和演示账号，非正式统计数据",
    "Menu": "菜单", "Plan": "实施意见", "Divisions": "行政区划", "Language": "语言", "Switch": "切换", "Log out": "退出",
    "Ankang Municipal Employment Work Leading Group Office": "安康市就业工作领导小组办公室",
    "Administrative divisions": "行政区划", "Ankang": "安康市", "Name": "名称", "Kind": "类型", "Towns": "镇（街道）",
    "Villages": "村", "Communities": "社区",
    "%(c)s counties, %(t)s towns and sub-districts, %(v)s villages, %(m)s communities (NBS statistical division codes, 2023).":
        "%(c)s个县（市、区），%(t)s个镇（街道），%(v)s个村，%(m)s个社区（国家统计局统计用区划代码，2023年）。",
    "No plan has been loaded yet. Run: python manage.py load_plan": "尚未导入实施意见，请运行：python manage.py load_plan",
    "Other plans": "其他文件", "Issued": "印发日期", "Plan period": "实施期限", "Tasks": "任务",
    "%(t)s tasks, %(r)s work requirements": "主要任务%(t)s项，工作要求%(r)s项",
    "%(m)s main targets, %(t)s task-level figures": "主要目标%(m)s项，任务指标%(t)s项", "Lead": "牵头", "Addressed to": "责任主体", "Task-level figures": "任务指标",
    "Figure": "指标", "Target": "目标值", "Span": "期限", "Clause": "原文", "Responsible units": "责任单位",
    "Unit": "单位", "Role": "分工", "Figures in this task": "本任务的指标",
}

ZH.update({
    "Recompute the snapshots of the selected indicators": "重新计算所选指标的快照",
    "Recompute queued.": "已加入重新计算队列。", "adds up to the city target": "与全市目标是否一致",
    "Approve the selected submitted values": "审核通过所选已报送数据",
    "%(n)d values approved; the figures are being recomputed.": "已审核通过%(n)d条数据，正在重新计算。",
    "Flow (summed over time)": "流量（按期累计）", "Stock (value at period end)": "存量（取期末值）",
    "Ratio (numerator / denominator)": "比率（分子/分母）", "City-only (entered for the city)": "仅全市（由市级填报）",
    "Derived (counted from records)": "派生（按记录计数）", "Counties report it": "各县（市、区）填报",
    "The city reports it": "市级填报", "Counted from records": "按记录计数", "Quarterly": "按季度",
    "Yearly (accumulates within each year)": "按年度（年内累计）", "reported by": "填报主体", "period type": "周期类型",
    "scale": "倍数", "A ratio's rate is numerator / denominator × scale (100 for %).": "比率 = 分子 / 分母 × 倍数（百分比为100）。",
    "numerator cannot exceed denominator": "分子不得大于分母",
    "For ratios whose numerator is a part of the denominator.": "适用于分子是分母一部分的比率。",
    "description": "说明", "indicator": "指标", "indicators": "指标", "Value": "数值", "Numerator": "分子",
    "Denominator": "分母", "indicator component": "指标填报项", "indicator components": "指标填报项",
    "version": "版本", "issued on": "下达日期", "document": "文件", "The notice that issued the split, if any.": "下达分解任务的通知（如有）。",
    "note": "备注", "created by": "创建人", "county quota set": "县区任务分解", "county quota sets": "县区任务分解",
    "quota set": "任务分解", "quota": "分解任务", "county quota": "县区分解任务", "county quotas": "县区分解任务",
    "year": "年度", "allocation": "年度安排", "yearly allocation": "年度任务安排", "yearly allocations": "年度任务安排",
    "Draft": "草稿", "Submitted": "已报送", "Returned": "已退回", "Approved": "已审核", "Form": "表单填报",
    "Excel import": "Excel导入", "API": "接口", "System": "系统", "component": "填报项", "quarter": "季度",
    "value": "数值", "status": "状态", "source": "来源", "source reference": "来源说明",
    "Which return, import file or API request.": "哪一份报表、导入文件或接口请求。", "submitted by": "报送人",
    "submitted at": "报送时间", "approved by": "审核人", "approved at": "审核时间", "indicator value": "指标数据",
    "indicator values": "指标数据", "On track": "达到进度", "At risk": "有风险", "Behind": "滞后", "No data": "无数据",
    "value in the quarter": "当季数值", "Cumulative for flows; at the quarter's end for stocks and ratios.": "流量为累计值；存量和比率为季末值。",
    "numerator": "分子", "denominator": "分母", "percent achieved": "完成率", "percent of time elapsed": "时间进度",
    "expected to date": "时序进度应达值", "status rule": "状态规则", "projected end value": "期末预测值",
    "needed per quarter from now": "此后每季度需完成", "units reported": "已报单位数", "units expected": "应报单位数",
    "data as of": "数据截至", "Latest approval among the values behind this figure.": "该数字所依据数据的最近审核时间。",
    "computed at": "计算时间", "roll-up run": "汇总计算记录", "snapshot": "指标快照", "snapshots": "指标快照",
    "Running": "运行中", "Succeeded": "成功", "Failed": "失败", "trigger": "触发方式", "process": "进程",
    "host:pid that ran it": "运行它的主机:进程号", "started at": "开始时间", "finished at": "结束时间",
    "snapshots created": "新建快照数", "snapshots updated": "更新快照数", "snapshots unchanged": "未变快照数",
    "error": "错误", "roll-up runs": "汇总计算记录",
    "%(name)s is counted from records and cannot be entered.": "“%(name)s”按认定记录计数，不能手工填报。",
    "%(name)s is reported for the city only, not by %(region)s.": "“%(name)s”只能由全市填报，%(region)s不填报。",
    "%(name)s is reported by counties; %(region)s does not report it.": "“%(name)s”由各县（市、区）填报，%(region)s不填报该指标。",
    "%(name)s needs exactly these figures: %(codes)s.": "“%(name)s”需要填报以下各项：%(codes)s。",
    "%(code)s: %(raw)s is not a number.": "%(code)s：“%(raw)s”不是数字。",
    "%(code)s cannot be negative (%(value)s).": "%(code)s不能为负数（%(value)s）。",
    "%(name)s: the denominator cannot be zero.": "“%(name)s”：分母不能为零。",
    "%(name)s: the numerator (%(num)s) cannot exceed the denominator (%(den)s).": "“%(name)s”：分子（%(num)s）不能大于分母（%(den)s）。",
    "%(name)s for %(region)s %(quarter)s is approved and locked; ask for a correction.": "%(region)s %(quarter)s的“%(name)s”已审核锁定，如需修改请提出更正申请。",
    "Only submitted values can be approved (%(value)s is %(status)s).": "只能审核已报送的数据（%(value)s 的状态为“%(status)s”）。",
    "Quotas are issued to counties only.": "任务只能分解到县（市、区）。", "A quota cannot be negative.": "分解任务不能为负数。",
    "Values behind the figure": "数据来源", "Approved values only. Computed": "仅含已审核数据。计算时间",
    "Quarter": "季度", "Source": "来源", "Submitted by": "报送人", "Approved by": "审核人", "No values.": "暂无数据。",
    "Indicator": "指标", "Basis": "口径", "Official (approved values only)": "正式口径（仅已审核数据）",
    "Including unapproved values": "含未审核数据", "Show": "查看",
    "Including submitted values that are not yet approved: not official figures.": "含已报送但未审核的数据，非正式统计数据。",
    "%% achieved": "完成率", "%% of time elapsed": "时间进度", "Expected to date": "时序进度应达值",
    "Needed per quarter from now": "此后每季度需完成", "Projected at period end": "期末预测值", "Units reported": "已报单位",
    "Status rule": "状态规则", "Computed": "计算时间", "Data as of": "数据截至", "No figures yet for this target.": "该目标暂无数据。",
    "County quotas": "县区分解任务", "Quotas add up to the city target": "分解任务合计与全市目标一致",
    "Quotas total %(total)s, %(diff)s against the city target": "分解任务合计%(total)s，与全市目标相差%(diff)s",
    "Counties": "各县（市、区）", "Rank": "排名", "Quota / target": "任务/目标", "In the quarter": "当季",
    "Numerator / denominator": "分子/分母", "values": "数据", "Reported for the city only.": "该指标仅由全市填报。",
    "The city, quarter by quarter": "全市分季度情况",
    "Official figures: approved values only, rolled up by the platform. Click a target for the counties and the values behind each figure.": "正式口径：仅含已审核数据，由平台汇总计算。点击目标查看各县（市、区）情况及每个数字所依据的数据。",
    "Target name": "目标", "Target value": "目标值", "Latest": "最新值", "Counted from certification records": "按认定记录计数（待认定模块）",
})

ZH.update({
    "rank": "等级序号", "1 is the lowest tier.": "1为最低一级。", "The derived indicator it feeds.": "计入的派生指标。",
    "communities only": "仅限社区",
    "Provincial and national tiers certify communities (社区); the municipal tier villages too.": "省级和国家级只认定社区；市级也认定村。",
    "certification tier": "认定等级", "certification tiers": "认定等级", "village or community": "村（社区）",
    "tier": "等级", "certificate number": "证书编号", "certified on": "认定日期", "valid until": "有效期至",
    "withdrawn on": "摘牌日期", "withdrawal reason": "摘牌原因", "demo record": "演示记录", "certification": "认定记录",
    "certifications": "认定记录",
    "Only villages and communities are certified (%(name)s is not one).": "只有村（社区）可以认定（%(name)s不是村或社区）。",
    "%(tier)s certifies communities only; %(name)s is a village.": "%(tier)s只认定社区，%(name)s是村。",
    "%(name)s already holds %(tier)s.": "%(name)s已获%(tier)s认定。",
    "%(tier)s requires %(below)s, held and in force on %(day)s.": "认定%(tier)s须在%(day)s持有有效的%(below)s认定。",
    "A withdrawal needs a reason.": "摘牌须填写原因。",
    "This certification was already withdrawn on %(day)s.": "该认定已于%(day)s摘牌。",
    "Counted from certification records in force at each quarter's end. A community holding a higher tier also counts toward the lower tiers (setting CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER).": "按各季度末有效的认定记录计数；获得高一级认定的村（社区）同时计入低一级目标（设置项 CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER）。",
    "Counted from certification records in force at each quarter's end, this tier only (setting CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER is off).": "按各季度末有效的认定记录计数，只计本级（设置项 CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER 已关闭）。",
    "Counting": "计数口径", "Certified villages and communities": "认定的村（社区）",
    "Tier": "等级", "Certificate number": "证书编号", "Certified on": "认定日期", "Valid until": "有效期至",
    "Issuer": "发证机关", "No certifications in force.": "无有效认定。",
})

ZH.update({
    "due on": "报送截止日", "entry closes after": "填报关闭日",
    "The last day figures can be entered or changed without an exception.": "无需特批即可填报或修改数据的最后一天。",
    "reporting period": "报送期", "reporting periods": "报送期", "period": "报送期", "open until": "开放至",
    "opened by": "开放人", "opened at": "开放时间", "period exception": "延期填报特批", "period exceptions": "延期填报特批",
    "Resubmitted": "已重新报送", "state": "状态", "explanation of warnings": "预警说明", "reviewed by": "审核人",
    "reviewed at": "审核时间", "review comment": "审核意见", "last changed by": "最后修改人", "last changed at": "最后修改时间",
    "county return": "县区季度报表", "county returns": "县区季度报表",
    "Exceptions are opened for a county.": "特批只能针对某一个县（市、区）。", "An exception needs a reason.": "特批须填写原因。",
    "someone": "他人",
    "Entry for %(period)s closed after %(day)s; ask the city administrator for an exception or request a correction.": "%(period)s的填报已于%(day)s后关闭；请向市级管理员申请延期特批，或提出更正申请。",
    "A %(state)s return cannot be changed.": "状态为“%(state)s”的报表不能修改。",
    "%(code)s is not in a county return.": "%(code)s不属于县区季度报表。",
    "%(name)s: %(rate)s%% is outside the usual range %(low)s–%(high)s%%.": "“%(name)s”：%(rate)s%%超出常见范围%(low)s—%(high)s%%。",
    "%(name)s (%(component)s): %(value)s is more than three times this county's median of %(median)s.": "“%(name)s”（%(component)s）：%(value)s超过本县历史中位数%(median)s的三倍。",
    "A %(state)s return cannot be submitted.": "状态为“%(state)s”的报表不能报送。",
    "The return is incomplete: %(names)s.": "报表不完整，以下指标未填全：%(names)s。",
    "Explain these before submitting:": "报送前请对以下情况作出说明：",
    "Say what needs fixing: a returned report needs a comment.": "退回须填写意见，说明需要修改的内容。",
    "Submitted for review.": "已报送审核。", "Saved as a draft.": "已保存为草稿。",
    "Approved; the figures are being rolled up.": "已审核通过，正在汇总计算。",
    "Returned to the county with your comment.": "已连同意见退回县（市、区）。",
    "usual range from": "常见范围下限", "A rate outside the usual range is a warning that needs a comment.": "比率超出常见范围时预警，须说明。",
    "usual range to": "常见范围上限", "Quarterly returns": "季度报表", "Quarterly return": "季度报表", "quarterly return": "季度报表",
    "Not started": "未开始", "Due %(due)s; entry closes after %(lock)s (Asia/Shanghai dates).": "%(due)s前报送；%(lock)s后关闭填报（北京时间）。",
    "Entry for this period is closed.": "本期填报已关闭。", "Last changed": "最后修改",
    "Nothing was saved: correct the figures marked below.": "未保存：请更正下方标出的数据。",
    "Returned by the city": "市级退回", "Check these figures": "请核实以下数据", "County's explanation": "县区说明",
    "Last quarter": "上季度", "Cumulative to last quarter": "截至上季度累计",
    "Explanation of warnings (required when there are warnings)": "预警说明（有预警时必填）",
    "Save draft": "保存草稿", "Submit for review": "报送审核", "Comment (required to return)": "审核意见（退回时必填）",
    "Approve": "审核通过", "Return to the county": "退回县区", "Period": "报送期",
    "Waiting for you in other periods": "其他报送期待办", "State": "状态", "Deadline": "截止日期", "Overdue": "逾期",
    "Open": "打开",
})

ZH.update({
    "measures taken": "采取的措施", "progress on the task's figures": "任务指标进展", "problems": "存在问题",
    "next steps": "下步打算", "self-assessed status": "自评状态", "task report part": "任务分报告",
    "task report parts": "任务分报告", "task report": "任务进展报告", "task reports": "任务进展报告",
    "An exception is opened for one county or one department.": "特批只能针对一个县（市、区）或一个单位。",
    "It was changed by %(who)s at %(when)s after you opened it. Reload to see their changes; yours were not saved.": "您打开后，已被%(who)s于%(when)s修改。请刷新查看其修改；您的修改未保存。",
    "Only a submitted report can be reviewed (this one is %(state)s).": "只能审核已报送的报告（当前状态为“%(state)s”）。",
    "Fill in before submitting: %(fields)s.": "报送前请填写：%(fields)s。",
    "%(department)s is not a co-responsible unit of task %(number)s.": "%(department)s不是第%(number)s项任务的责任单位。",
    "A %(state)s part cannot be changed.": "状态为“%(state)s”的分报告不能修改。",
    "A %(state)s part cannot be submitted.": "状态为“%(state)s”的分报告不能报送。",
    "A %(state)s report cannot be changed.": "状态为“%(state)s”的报告不能修改。",
    "A %(state)s report cannot be submitted.": "状态为“%(state)s”的报告不能报送。",
    "Saved.": "已保存。", "Task reports": "任务进展报告", "Measures taken": "采取的措施",
    "Progress on the task's figures": "任务指标进展", "Problems": "存在问题", "Next steps": "下步打算",
    "Self-assessed status": "自评状态",
    "Co-responsible units send their parts to the lead unit, which compiles the task's report for the office of the leading group.": "责任单位向牵头单位报送分报告，牵头单位汇总形成任务进展报告，报市就业工作领导小组办公室审核。",
    "Parts in": "分报告已报", "Task report": "任务进展报告", "My part": "我方分报告", "you": "本单位", "started": "已开始",
    "Your department is not responsible for any task.": "本单位未承担任何任务。", "Our part": "我方报送内容",
    "Send to the lead unit": "报送牵头单位", "compiled by": "汇总单位", "Returned by the office": "市就业办退回",
    "Send to the leading group office": "报送市就业办", "Return to the lead unit": "退回牵头单位",
    "Parts from co-responsible units": "责任单位分报告", "No parts yet.": "暂无分报告。",
})

ZH.update({
    "Rejected": "未通过", "requested by": "申请人", "requested at": "申请时间", "correction": "数据更正",
    "corrections": "数据更正", "reported value": "原报数值", "corrected value": "更正后数值", "correction item": "更正明细",
    "correction items": "更正明细",
    "Only an approved return is corrected; change this one directly.": "只有已审核的报表才需更正；本报表可直接修改。",
    "A correction needs a reason.": "更正须填写原因。",
    "A correction of %(name)s is already waiting for review.": "“%(name)s”已有一项更正申请待审核。",
    "%(name)s has no approved figures in this return.": "本报表中“%(name)s”没有已审核数据。",
    "The corrected figures are the same as the approved ones.": "更正后的数据与已审核数据相同。",
    "This correction was already %(state)s.": "该更正申请已处理（%(state)s）。",
    "Say why: a rejected correction needs a comment.": "不予通过须说明理由。",
    "%(n)d correction requests sent for review.": "已提交%(n)d项更正申请，等待审核。",
    "No figure was changed: nothing to correct.": "没有修改任何数据，无需更正。",
    "Request a correction (统计数据更正)": "申请更正（统计数据更正）",
    "Change the approved figures above that are wrong, give the reason, and send: the office reviews each corrected indicator. Both the reported and the corrected figures are kept.": "在上表中修改有误的已审核数据，填写原因后提交：市就业办逐项审核。原报数据和更正后数据都会保留。",
    "Reason": "原因", "Reason for the correction": "更正原因", "Send correction request": "提交更正申请",
    "Corrections": "数据更正记录", "Reported → corrected": "原报 → 更正", "Comment (required to reject)": "意见（不予通过时必填）",
    "Reject": "不予通过",
})

ZH.update({
    "first submitted at": "首次报送时间", "Timeliness is judged by the first submission.": "及时性以首次报送时间为准。",
    "Due": "应报", "On time": "按时", "Late": "逾期报送", "Missing": "未报", "Completeness": "完整率",
    "Timeliness": "及时率", "Total": "合计", "Completeness and timeliness": "报送完整率和及时率",
    "On time: first submitted by %(due)s (Asia/Shanghai date). Completeness: submitted ÷ due; timeliness: on time ÷ due.": "按时：%(due)s（北京时间）前首次报送。完整率 = 已报 ÷ 应报；及时率 = 按时 ÷ 应报。",
    "Departments (task reports led and parts owed)": "各单位（牵头的任务进展报告和应报的分报告）", "Department": "单位",
    "Counties (quarterly returns)": "各县（市、区）（季度报表）",
})

ZH.update({
    "Due soon": "即将到期", "Leader's instruction": "领导批示", "Extension": "延期", "recipient": "接收人",
    "link": "链接", "created at": "创建时间", "read at": "阅读时间", "e-mailed": "已发邮件", "notification": "通知",
    "notifications": "通知", "leader": "领导", "instruction": "批示内容", "given at": "批示时间",
    "leader's instruction": "领导批示", "leaders' instructions": "领导批示", "Pending": "待审批", "asked until": "申请延至",
    "exception": "特批", "extension request": "延期申请", "extension requests": "延期申请",
    "An instruction needs its text.": "批示内容不能为空。", "An extension request needs a reason.": "延期申请须填写原因。",
    "The period is open until %(day)s; ask for a later date.": "本期填报开放至%(day)s，请申请更晚的日期。",
    "This request was already decided.": "该申请已处理。",
    "Say why: a refused extension needs a comment.": "不予批准须说明理由。",
    "Give the date as YYYY-MM-DD.": "日期格式为YYYY-MM-DD。", "Notifications": "通知", "Ask for an extension": "申请延期",
    "Extension requests": "延期申请", "Until (YYYY-MM-DD)": "延至（YYYY-MM-DD）", "Until": "延至",
    "No requests.": "暂无申请。", "No notifications.": "暂无通知。", "Leaders' instructions": "领导批示",
    "Instruction": "批示", "Give instruction": "作出批示",
})

ZH.update({
    "file": "文件", "file name": "文件名", "type": "类型", "size (bytes)": "大小（字节）", "uploaded by": "上传人",
    "uploaded at": "上传时间", "evidence": "佐证材料",
    "Evidence can be added while the report is being written.": "只能在报告撰写期间添加佐证材料。",
    "%(name)s is %(size)s MB; the limit is %(limit)s MB.": "%(name)s大小为%(size)sMB，超过%(limit)sMB的上限。",
    "%(name)s is not a PDF, JPEG or PNG file (judged by its content, not its name).": "%(name)s不是PDF、JPEG或PNG文件（按文件内容判断，而非文件名）。",
    "Choose a file, and save the report first.": "请选择文件，并先保存报告。", "Evidence": "佐证材料",
    "Evidence file": "佐证材料文件", "Attach (PDF, JPEG, PNG)": "上传（PDF、JPEG、PNG）",
})

ZH.update({
    "My work": "我的工作", "Task reports we lead": "我牵头的任务进展报告",
    "Our parts of other units' tasks": "其他单位任务中的我方分报告", "Waiting for the office's review": "待市就业办审核",
    "No unread notifications.": "暂无未读通知。",
})

ZH.update({
    "The key, shown this once (it is stored only as a hash): %(key)s": "接口密钥（仅显示这一次，系统只保存其哈希值）：%(key)s",
    "Revoke the selected clients": "吊销所选接口客户端", "Revoked.": "已吊销。", "REST API": "数据接口",
    "The API key is unknown, revoked or expired.": "接口密钥无效、已吊销或已过期。", "Read only": "只读",
    "Read and write": "读写", "access": "权限", "key prefix": "密钥前缀", "key hash": "密钥哈希",
    "service account": "服务账号", "expires at": "过期时间", "revoked at": "吊销时间", "last used at": "最近使用时间",
    "API client": "接口客户端", "API clients": "接口客户端", "idempotency key": "幂等键", "request hash": "请求摘要",
    "response": "响应", "idempotency record": "幂等记录", "idempotency records": "幂等记录",
    "What went wrong, in Chinese (English with Accept-Language: en).": "错误说明，默认中文（Accept-Language: en 时为英文）。",
    "Per field or per value: the messages.": "按字段或按数据列出的错误信息。",
    "Bad input: the message names the field or the value; nothing was written.": "输入有误：信息指明字段或数据；未写入任何数据。",
    "No valid credentials (an API key or a session).": "缺少有效凭证（接口密钥或登录会话）。",
    "Not allowed for this key or user (e.g. a read-only key, another county).": "该密钥或用户无权执行（如只读密钥、其他县区）。",
    "Not found, or not yours to see (both answer alike).": "不存在，或无权查看（两者答复相同）。",
    "Conflict: the period is closed, the return is approved or submitted, or the version is stale.": "冲突：报送期已关闭、报表已审核或已报送，或版本已过期。",
    "Too many requests for this client; retry later.": "该客户端请求过多，请稍后重试。",
    "An API client belongs to one county.": "接口客户端只能属于一个县（市、区）。",
    "The expiry must be in the future.": "过期时间必须晚于现在。",
    "No period %(label)s: write it like 2024Q3.": "没有报送期%(label)s，格式如2024Q3。",
    "The Idempotency-Key is longer than 100 characters.": "Idempotency-Key超过100个字符。",
    "This Idempotency-Key was used for a different request.": "该Idempotency-Key已用于另一个不同的请求。",
    "The request body is %(size)s MB; the limit is %(limit)s MB: send the values in several requests.": "请求体为%(size)sMB，超过%(limit)sMB的上限，请分多次发送。",
    "%(n)d values were rejected (see results); nothing was written.": "%(n)d个数据未通过校验（见results），未写入任何数据。",
    "%(code)s is not your county (%(county)s %(own)s): nothing is written.": "%(code)s不是本县区（%(county)s %(own)s）的代码，未写入任何数据。",
    "%(code)s is not an indicator counties report.": "%(code)s不是县区填报的指标。",
    "%(indicator)s has no component %(component)s.": "%(indicator)s没有填报项%(component)s。",
    "The same figure twice in one request.": "同一请求中重复出现同一数据。",
})

ZH.update({
    "households": "户数", "population": "人口", "relocation community (易地搬迁社区)": "易地搬迁社区",
    "community profile": "村（社区）基本情况", "community profiles": "村（社区）基本情况",
    "%(field)s must be a whole number (%(value)s).": "%(field)s须为整数（%(value)s）。",
    "Villages and communities": "村（社区）名录", "Profile": "基本情况", "Households": "户数", "Population": "人口",
    "Relocation community (易地搬迁社区)": "易地搬迁社区", "Save": "保存",
    "Task 18: service window to be upgraded (≥ 300 households or ≥ 800 people)": "任务18：应优化就业创业服务窗口（300户或800人以上）",
    "Certifications": "认定情况", "Withdrawn": "摘牌", "No certifications.": "暂无认定。",
    "History of the profile": "基本情况修改记录", "relocation": "搬迁社区", "All": "全部", "Tier held": "认定等级",
    "None": "无", "Relocation communities": "易地搬迁社区", "%(n)s unit": "共%(n)s个",
})


def _more_terms() -> None:
    """Further tables in locale/terms/*.py (one per area of work, so parallel branches do not
    edit the same lines); each defines a dict named ZH."""
    import runpy
    from pathlib import Path

    for path in sorted((Path(__file__).parent / "terms").glob("*.py")):
        ZH.update(runpy.run_path(str(path))["ZH"])


_more_terms()


# issue 17, parts 1–2: never lose typed work; 流转记录 of returns, task reports and parts
ZH.update({
    "Opened by the reviewer": "审核方已查阅", "Withdrawn by the sender": "报送单位撤回", "step": "环节",
    "review step": "流转记录", "review steps": "流转记录", "Processing record": "流转记录", "Withdraw": "撤回",
    "Only a submitted item can be withdrawn (this one is %(state)s).": "只有已报送的材料才能撤回（当前为“%(state)s”）。",
    "The reviewer has already opened it: it can no longer be withdrawn. Ask them to return it.":
        "审核方已查阅，不能再撤回；如需修改，请联系审核方退回。",
    "Sent to the office of the municipal employment leading group; waiting for review.":
        "已报送至市就业工作领导小组办公室，等待审核。",
    "Withdrawn: change it and submit it again.": "已撤回，可修改后重新报送。",
    "Sent to the lead unit %(lead)s; waiting for it to be compiled into the task's report.":
        "已报送至牵头单位%(lead)s，等待汇总。",
    "Saved automatically at %(time)s.": "已自动保存（%(time)s）。", "You cannot change this.": "您无权修改此内容。",
    "What you typed before you were signed out has been put back below. It is not saved yet: check it (choose any file again), then save or submit.":
        "已恢复您退出登录前输入的内容，尚未保存：请核对（如有附件请重新选择）后保存或报送。",
    "Last returned by the city": "上次市级退回意见", "Last returned by the office": "上次市就业办退回意见",
    "Submit this return to the office of the municipal employment leading group for review? You can withdraw it until the office opens it.":
        "确认将本季报报送至市就业工作领导小组办公室审核？办公室查阅之前可以撤回。",
    "Send the report to the office of the municipal employment leading group for review? You can withdraw it until the office opens it.":
        "确认将任务报告报送至市就业工作领导小组办公室审核？办公室查阅之前可以撤回。",
    "Send our part to the lead unit %(lead)s? You can withdraw it until the lead unit opens it.":
        "确认将本单位分报告报送至牵头单位%(lead)s？牵头单位查阅之前可以撤回。",
    "Sent; the office has not opened it yet.": "已报送，市就业办尚未查阅。",
    "Sent; the lead unit has not opened it yet.": "已报送，牵头单位尚未查阅。",
    "The task's report is %(state)s: its parts can no longer be withdrawn.": "任务报告已处于“%(state)s”状态，分报告不能再撤回。",
    "Withdraw it? It becomes a draft again, to change and submit again.": "确认撤回？撤回后恢复为草稿，可修改后重新报送。",
    "Attach evidence (PDF, JPEG, PNG): saved with the text above": "附上佐证材料（PDF、JPEG、PNG），与上面的文字一并保存",
    "You have not used the platform for a while: you will be signed out in": "您已较长时间未操作，将在",
    "seconds.": "秒后自动退出登录。", "What you type is saved automatically.": "正在填写的报告会自动保存。",
    "You were signed out after a long time without activity. Sign in again: this page comes back with what you typed.":
        "因长时间未操作，您已退出登录。请重新登录，登录后回到本页并恢复已输入的内容。",
    "Stay signed in": "继续使用（保持登录）", "Sign in again": "重新登录", "Saving…": "正在自动保存……",
    "Not saved automatically: the platform cannot be reached. Keep this page open; it tries again as you type.":
        "未能自动保存：无法连接平台。请勿关闭本页，继续输入时会再次尝试。",
    "Signed out: sign in again, and this page comes back with what you typed.": "已退出登录：请重新登录，本页将恢复您输入的内容。",
})


def fill(path: str = "locale/zh_Hans/LC_MESSAGES/django.po") -> list[str]:
    import polib

    po = polib.pofile(path)
    missing = []
    for entry in po:
        zh = ZH.get(entry.msgid)
        if zh is None:
            missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: zh}
        else:
            entry.msgstr = zh
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.save(path)
    return missing


if __name__ == "__main__":
    missing = fill()
    print("missing:", missing) if missing else print("all translated")
