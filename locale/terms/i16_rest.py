"""Chinese for issue 16's remaining parts: the checklist's figures, the labour-brand pages, the
chain group's members, task measures through the API."""

ZH = {
    "%(community)s, %(name)s: %(value)s is a count (%(unit)s) and must be a whole number.":
        "%(community)s，%(name)s：%(value)s 是计数（%(unit)s），必须为整数。",
    "%(community)s, %(name)s: %(value)s%% is more than 100%%.":
        "%(community)s，%(name)s：%(value)s%% 超过100%%。",
    "%(community)s, %(name)s: %(value)s %(unit)s is more than the %(size)s %(unit)s the registry records for it.":
        "%(community)s，%(name)s：%(value)s%(unit)s，超过台账登记的%(size)s%(unit)s。",
}
ZH.update({
    "Labour brands": "劳务品牌", "Task 11: each county builds 1–2 labour brands.": "任务11：每个县（市、区）打造1—2个劳务品牌。",
    "%(meeting)s of %(total)s counties meet the target of 1–2 labour brands per county.":
        "%(total)s个县（市、区）中有%(meeting)s个达到每县1—2个劳务品牌的目标。",
    "Record a labour brand": "登记劳务品牌", "Brands": "品牌数", "Meets 1–2 per county": "达到每县1—2个",
    "No labour brand recorded.": "尚未登记劳务品牌。", "Labour brand recorded.": "劳务品牌已登记。",
    "Labour brand removed.": "劳务品牌已删除。", "Remove this labour brand": "删除该劳务品牌",
    "Choose a county.": "请选择县（市、区）。",
})
ZH.update({
    "key industry chain": "牵头产业链",
    "For a member of a group of chain leads (市重点产业链牵头单位): the key industry chain(s) it leads, e.g. 富硒食品.":
        "作为市重点产业链牵头单位成员时，其牵头的重点产业链，如：富硒食品。",
    "members (their chains)": "成员（牵头产业链）", "Members (the chains they lead)": "成员（牵头产业链）",
})
ZH.update({"At most 200 figures in one request.": "一次请求最多200个数值。"})
ZH.update({
    "indicator counted from": "取数指标",
    "The code of the plan indicator whose approved county figures this measure reads (the plan asks for the figure once, in the counties' returns), e.g. internship_posts.":
        "本任务指标读取的规划指标代码（取其县区审核通过的数值，同一数据只报送一次），如 internship_posts。",
    "counted from %(source)s": "取自%(source)s",
})
ZH.update({
    "Import labour brands": "导入劳务品牌", "Import the county's labour brands from Excel or CSV": "从Excel或CSV导入本县劳务品牌",
    "%(county)s's labour brands, one row per brand: a name the county already has changes that brand, a new name adds one; brands the file does not name are kept.":
        "%(county)s的劳务品牌，每行一个：本县已有的品牌名称将更新该品牌，新名称将新增品牌；文件中未列出的品牌保持不变。",
    "%(name)s is also on row %(row)s": "%(name)s 在第%(row)s行也出现了", "it was removed after your preview": "预览后已被删除",
})
