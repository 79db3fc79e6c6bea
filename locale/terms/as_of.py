"""Chinese for the quarter pages open on, and for periods that open for entry when they end."""

ZH = {
    "%(period)s opens for entry on %(day)s.": "%(period)s将于%(day)s开放填报。",
    "Figures as of %(quarter)s": "数据截至%(quarter)s",
    "Opening a period early needs a reason.": "提前开放填报须说明理由。",
    "%(period)s was already opened early.": "%(period)s已提前开放填报。",
    "opened early by": "提前开放人",
    "opened early at": "提前开放时间",
    "reason for opening early": "提前开放理由",
}
