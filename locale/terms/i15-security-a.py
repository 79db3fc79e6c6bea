"""Chinese for issue 15 (security and reliability, part A): separation of duties, notifications
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
}
