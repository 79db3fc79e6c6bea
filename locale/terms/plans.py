"""Chinese for the strings of the branch i14-plan-targets (figures belong to a plan's targets)."""

ZH = {
    "%(quarter)s is outside this plan's period (%(period)s): the plan has no figures for it.":
        "%(quarter)s不在本规划期（%(period)s）内，无数据。",
    "%(start)s–%(end)s": "%(start)s年—%(end)s年",
    "%(start)s to %(end)s": "%(start)s至%(end)s",
    "No plan %(code)s: the plans' codes are listed at /api/v1/plans/.":
        "没有代码为 %(code)s 的规划：规划代码见 /api/v1/plans/。",
    "The plan's target on the indicator.": "该规划对此指标设定的目标。",
}
