"""Chinese for the dashboards at a glance (issue 17 part 6): the leader's page 差距与责任, 仅全市."""

ZH = {
    "Where we are behind": "差距与责任", "Targets behind": "滞后目标", "Targets behind pace": "滞后于进度的目标",
    "Counties behind": "滞后的县（市、区）", "%(number)s target behind or at risk": "%(number)s项目标滞后或有风险",
    "%(number)s on track": "%(number)s项达到进度",
    "%(number)s unit overdue for %(quarter)s": "%(quarter)s逾期未报%(number)s个单位",
    "City only": "仅全市", "task %(number)s": "任务%(number)s", "The city": "市级",
    "Each county, by its quota": "各县（市、区）按分解任务", "and %(number)s more": "，另有%(number)s个",
    "Every target is on pace.": "所有目标均达到进度。", "County returns not submitted": "未报送季报的县（市、区）",
    "Departments with task reports or parts missing": "任务报告或分报告未报的部门（缺报数）",
    "Instructions past their deadline": "逾期未办结的领导批示", "Not closed": "未办结",
}
ZH.update({
    "Figures saved": "保存数据", "Government units set up": "设置政府单位", "Demo accounts set up": "设置演示账号",
    "Measure figure cleared": "清除任务指标数据", "Final assessment checked": "终期评估核稿",
    "Final assessment issued": "终期评估签发", "Recorded by the system": "系统记录",
})
