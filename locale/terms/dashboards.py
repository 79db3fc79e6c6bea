"""Chinese for the leadership dashboards (dashboards/, templates/dashboards/)."""

ZH = {
    "Dashboards": "领导驾驶舱", "% achieved": "完成率", "% of time elapsed": "时间进度",
    "Projected end value": "预计期末值", "City overview": "全市总览", "Actual": "实际", "Pace line": "进度线",
    "Completion by county": "各县（市、区）完成情况", "Quota": "分解任务", "Achieved": "已完成",
    "City quarter by quarter": "全市分季度数据", "First submitted at": "首次报送时间", "Reviewed at": "审核时间",
    "Certification by town": "各镇（街道）认定情况", "Submitted late": "逾期报送", "Not yet due": "未到期",
    "Appr.": "审", "Subm.": "报", "Retd.": "退", "Lt.": "迟", "Miss.": "缺",
    "Task reports by quarter": "各季度任务进展报告", "Section": "部分", "Lead department": "牵头单位",
    "Department scorecard": "部门考评表", "Expected": "应报", "Task board": "任务看板",
    "Certification by county": "各县（市、区）认定情况", "Certification": "充分就业认定",
    "Mean percent of quota achieved": "平均任务完成率", "Time elapsed, %": "时间进度（%）", "Counties by quota completion": "各县（市、区）任务完成排名",
    "Departments by timeliness": "部门报送及时率排名", "Export": "导出", "Rankings": "排名通报", "Print": "打印",
    "Figures are read from the roll-up's snapshots of approved values. Colours come with a symbol and a label: "
    "● on track, ▲ at risk, ■ behind, ○ no data.":
        "数据取自已审核数据的汇总快照。颜色均配有符号和文字：● 达到进度，▲ 有风险，■ 滞后，○ 无数据。",
    "Full-employment certification": "充分就业村（社区）认定", "The four tiers against their targets": "四级认定与目标对比",
    "certified / quota": "已认定 / 分解任务", "No certification figures yet.": "暂无认定数据。",
    "mean rank among counties: %(r)s": "各项指标平均排名：%(r)s", "%% achieved by target": "各指标完成率",
    "Targets and quotas": "目标与分解任务", "No returns you can see.": "暂无可查看的季度报表。",
    "%(p)s%% of the time elapsed": "时间已过 %(p)s%%", "Next reporting deadline": "下一报送截止日",
    "Overdue for %(q)s": "%(q)s 逾期未报", "%(n)s county return": "县区报表 %(n)s 份",
    "%(n)s task report": "任务进展报告 %(n)s 份", "Trend": "趋势", "time elapsed": "时间进度", "projected": "预计",
    "Circular on the %(q)s progress of the full-employment city plan": "关于 %(q)s 高质量充分就业市创建工作进展情况的通报",
    "generated": "生成时间", "1. Counties by quota completion": "一、各县（市、区）目标任务完成情况", "Mean": "平均",
    "Percent of each county's quota achieved for the targets split among the counties (amounts to reach); "
    "ranked by their mean.": "按分解到各县（市、区）的总量类目标计算任务完成率，以其平均值排名。",
    "2. Departments by timeliness": "二、各部门报送及时情况", "Full target page": "目标详情页",
    "Quarterly trend against the target and the pace line": "分季度走势（对照目标和进度线）",
    "%% achieved by county": "各县（市、区）完成率", "No county figures yet.": "暂无县区数据。",
    "Task reports by state, whole plan so far": "任务进展报告状态统计（实施以来）",
}
