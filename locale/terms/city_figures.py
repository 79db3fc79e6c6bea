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
