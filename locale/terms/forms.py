"""Chinese for the pages' forms (malformed values are field errors) and for placeholders renamed
to words in the templates' translated sentences."""

ZH = {
    # form fields and their errors
    "Enter the NBS code of the village or community.": "请输入村（社区）的统计用区划代码。",
    "Write a whole number with the digits 0–9.": "请用半角数字0—9填写整数。",
    "%(value)s is outside the years the platform records (%(first)s–%(last)s).":
        "%(value)s 超出平台记录的年份范围（%(first)s—%(last)s年）。",
    "%(field)s: %(message)s": "%(field)s：%(message)s",
    # the same sentences as before, their placeholders named
    "%(percent)s%% of the target": "完成目标的%(percent)s%%",
    "%(units)s unit": "共%(units)s个",
    "mean rank among counties: %(rank)s": "各项指标平均排名：%(rank)s",
    "%(percent)s%% of the time elapsed": "时间已过 %(percent)s%%",
    "Overdue for %(quarter)s": "%(quarter)s 逾期未报",
    "%(number)s county return": "县区报表 %(number)s 份",
    "%(number)s task report": "任务进展报告 %(number)s 份",
    "Circular on the %(label)s progress of the full-employment city plan":
        "关于 %(label)s 高质量充分就业市创建工作进展情况的通报",
    "%(counties)s counties, %(towns)s towns and sub-districts, %(villages)s villages, %(communities)s communities "
    "(NBS statistical division codes, 2023).":
        "%(counties)s个县（市、区），%(towns)s个镇（街道），%(villages)s个村，%(communities)s个社区（国家统计局统计用区划代码，2023年）。",
    "Quarterly report pack %(quarter)s": "%(quarter)s 季度报告包",
    "%(tasks)s tasks, %(requirements)s work requirements": "主要任务%(tasks)s项，工作要求%(requirements)s项",
    "%(main)s main targets, %(figures)s task-level figures": "主要目标%(main)s项，任务指标%(figures)s项",
}
