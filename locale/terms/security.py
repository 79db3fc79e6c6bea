"""Chinese for the security and reliability fixes: separation of duties, notifications
to auditors, number messages, the API's JSON and documentation."""

ZH = {
    # 三员分立
    "Only the security administrator grants or removes the duties of the system, security and audit "
    "administrators.": "只有安全管理员可以授予或撤销系统管理员、安全管理员和审计管理员的职责（三员分立）。",
    "Only the city administrator grants or removes roles.": "只有市级管理员可以授予或撤销角色。",
    "The system, security and audit administrators must be different people: give this user one of these "
    "duties at most.": "系统管理员、安全管理员和审计管理员须由不同的人担任：一个用户至多担任其中一项职责。",
    "separated duty": "三员职责",
    "separated duties (三员分立: granted by the security administrator only)": "三员职责（三员分立：仅由安全管理员授予）",
    "superuser": "超级用户",
    "Security": "安全",
    "an operator on the server": "服务器上的运维人员",
    "%(user)s was made an auditor": "%(user)s 被授予审计管理员职责",
    "%(user)s is no longer an auditor": "%(user)s 的审计管理员职责已被撤销",
    "Changed by %(by)s. If you did not expect this change, report it to the security administrator.":
        "操作人：%(by)s。如非预期的变更，请向安全管理员报告。",
    # numbers (kernel/numbers.py)
    "%(label)s: “%(value)s” is not a number: write it with the half-width digits 0–9 and at most one decimal point, "
    "without units, spaces or separators.":
        "%(label)s：“%(value)s”不是数字：请只用半角数字0–9和至多一个小数点填写，不带单位、空格或分隔符。",
    "%(label)s: “%(value)s” has more than %(places)s decimal places.": "%(label)s：“%(value)s”的小数超过%(places)s位。",
    "%(label)s: “%(value)s” is too large (at most %(digits)s digits before the decimal point).":
        "%(label)s：“%(value)s”过大（整数部分最多%(digits)s位）。",
    "%(label)s cannot be negative (%(value)s).": "%(label)s不能为负数（%(value)s）。",
    "%(label)s: “%(value)s” is not a whole number.": "%(label)s：“%(value)s”不是整数。",
    "%(label)s: %(value)s is out of range (%(minimum)s to %(maximum)s).":
        "%(label)s：%(value)s超出范围（%(minimum)s至%(maximum)s）。",
    "the figure": "数值",
    "version": "版本",
    # the API's JSON
    "The key “%(key)s” appears twice in one JSON object: send each key once.":
        "同一个JSON对象中出现了两次键“%(key)s”：每个键只能出现一次。",
    "The body is not valid JSON: %(error)s": "请求体不是有效的JSON：%(error)s",
    "The body's JSON is nested too deeply: no request of this API nests more than a few levels.":
        "请求体的JSON嵌套过深：本接口的请求最多只有几层嵌套。",
}
