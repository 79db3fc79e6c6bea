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
