"""Chinese for the city's own return (市统计员), labour brands and the integrity rules."""

ZH = {
    "City statistics officer": "市统计员",
    "A city statistics officer must belong to the city.": "市统计员必须隶属于全市（安康市）。",
    "reporting unit": "填报单位",
    "%(code)s is not in the city's return (the city reports only its own figures).":
        "%(code)s 不在全市报表中（全市只填报由全市统计的指标）。",
    "%(code)s is not in the city's return (the city reports only its own figures)":
        "%(code)s 不在全市报表中（全市只填报由全市统计的指标）",
    "Exceptions are opened for a county or the city's own return.": "例外只能为某个县（市、区）或全市报表开放。",
    "An API client belongs to one county or to the city.": "接口客户端只能属于一个县（市、区）或全市。",
}
ZH.update({
    "%(name)s: %(code)s is a count (%(unit)s) and must be a whole number, not %(value)s.":
        "%(name)s：%(code)s 是计数（单位：%(unit)s），只能是整数，不能是 %(value)s。",
    "%(name)s: %(value)s is more than the %(registered)s %(what)s %(region)s has in the registry.":
        "%(name)s：%(value)s 超过了%(region)s在区划名录中的%(what)s总数 %(registered)s。",
    "Not a whole number": "不是整数",
    "A count of people, households, villages or posts is a whole number.": "人数、户数、村（社区）数、岗位数等计数只能是整数。",
})
ZH.update({
    "Labour brands": "劳务品牌", "labour brand": "劳务品牌", "labour brands": "劳务品牌",
    "brand name": "品牌名称", "work type": "工种", "year recognised": "认定年份", "workers employed": "带动就业人数",
    "Brand name": "品牌名称", "Work type": "工种", "Year recognised": "认定年份", "Workers employed": "带动就业人数",
    "The trade or occupation the brand stands for, e.g. 家政服务, 建筑工匠.": "品牌所代表的工种或行业，如家政服务、建筑工匠。",
    "People working under the brand (a whole number).": "以该品牌就业的人数（整数）。",
    "demo record": "演示记录",
    "No labour brands recorded.": "尚未登记劳务品牌。",
    "A labour brand belongs to a county.": "劳务品牌属于某个县（市、区）。",
    "A labour brand needs its name and its work type.": "劳务品牌须填写品牌名称和工种。",
    "%(county)s already has a labour brand named %(name)s.": "%(county)s已有名为“%(name)s”的劳务品牌。",
    "Counted from the labour brand records (admin → labour brands): a brand counts from the year it was "
    "recognised. Each county is to build 1–2; the city's figure is how many counties meet that.":
        "按劳务品牌登记记录统计（后台 → 劳务品牌）：品牌自认定当年起计入。每个县（市、区）打造1—2个；"
        "全市数字为达到该目标的县（市、区）个数。",
})
ZH.update({
    "Evidence can be removed while the application is a draft or returned.": "申请为草稿或被退回时才能删除佐证材料。",
    "Evidence can be removed while the report is being written.": "报告填写期间（提交前）才能删除佐证材料。",
    "The certification date %(day)s is in the future (today is %(today)s).": "认定日期 %(day)s 晚于今天（%(today)s），不能是将来的日期。",
    "The certification date %(day)s is before the application was submitted (%(submitted)s).":
        "认定日期 %(day)s 早于申请提交日期（%(submitted)s）。",
    "Evidence removed.": "佐证材料已删除。",
    "Remove": "删除",
    "Evidence": "佐证材料",
})
ZH.update({"No target": "未设目标"})
ZH.update({
    "The city and the counties": "全市与各县（市、区）",
    "The city and the counties (quarterly returns)": "全市与各县（市、区）（季度报表）",
})
