"""Issue 17 parts 3–4: each role's to-do list (待办) and the one number format."""

ZH = {
    "To do": "待办事项", "To-do item": "事项", "State": "状态", "Days remaining": "剩余天数", "Nothing to do.": "暂无待办事项。",
    "%(days)s days left": "还剩%(days)s天", "due today": "今天到期", "%(days)s days overdue": "已逾期%(days)s天",
    "waiting %(days)s days": "已等待%(days)s天", "since today": "今天提交",
    "%(unit)s %(quarter)s quarterly return": "%(unit)s%(quarter)s季度报表", "Not started": "未开始",
    "Quarterly returns to file": "待填报的季度报表", "Every open quarter's return has been sent.": "各开放季度的报表均已报送。",
    "Correction requests": "更正申请", "Certification applications": "认定申请", "All applications": "全部申请",
    "%(in)s of %(of)s parts in": "已收到%(in)s/%(of)s个分报告", "returned by the lead": "牵头单位已退回",
    "Task reports to compile (we lead)": "待汇总报送的任务进展报告（我牵头）",
    "Every task report we lead has been sent for this quarter.": "我牵头的任务进展报告均已报送。",
    "Task board": "任务看板", "Parts to file for other units' tasks": "待报送的分报告（其他单位牵头的任务）",
    "No part to file in an open quarter.": "开放填报的季度暂无待报送的分报告。",
    "%(quarter)s: %(n)s task reports we lead": "%(quarter)s：我牵头的任务进展报告%(n)s份",
    "%(quarter)s: %(n)s parts of other units' tasks": "%(quarter)s：其他单位牵头任务的分报告%(n)s份",
    "Instructions to reply to": "待反馈的领导批示",
    "Correction: %(unit)s %(quarter)s · %(indicator)s": "更正申请：%(unit)s%(quarter)s · %(indicator)s",
    "Extension request: %(unit)s %(quarter)s": "延期申请：%(unit)s%(quarter)s",
    "Reply to an instruction: %(unit)s · task %(task)s": "批示办理反馈：%(unit)s · 任务%(task)s",
    "Waiting for the office's decision (oldest first)": "待市就业办处理（按等待时间排序，最早的在前）",
    "Nothing waits for review.": "暂无待审核事项。",
    "Targets behind pace": "进度滞后的目标",
    "No target is behind pace.": "暂无进度滞后的目标。", "Overdue units": "逾期未报的单位", "No unit is overdue.": "暂无逾期单位。",
    "Completeness and timeliness": "报送完整率和及时率", "Instructions I gave, not yet closed": "我作出的未办结批示",
    "Every instruction you gave is closed.": "您作出的批示均已办结。", "All instructions": "全部批示",
    "This quarter at a glance": "本季度概况",
    "%(percent)s of the target": "完成目标的%(percent)s", "%(percent)s of the time elapsed": "时间已过%(percent)s",
}

ZH.update({  # Django admin's msgids its own zh_Hans catalogue lacks (ankang_jobs/admin_terms.py)
    "Model name": "数据类型", "Add link": "新增", "Change or view list link": "修改或查看列表",
    "After you’ve created a user, you’ll be able to edit more user options.": "创建用户后，可以继续编辑用户的其他信息。",
})

ZH.update({
    "now %(value)s, target %(target)s · %(quarter)s": "现为%(value)s，目标%(target)s · %(quarter)s",
    "%(achieved)s achieved, %(elapsed)s of the time elapsed · %(quarter)s": "完成%(achieved)s，时间已过%(elapsed)s · %(quarter)s",
    "sent; waiting for the office's review": "已报送，等待市就业办审核", "Opens on %(day)s": "%(day)s开放填报",
})
