"""Chinese for the resilience work: the outbox, the database-outage page."""

ZH = {
    "Job outbox": "任务发件箱",
    "job": "任务",
    "The Celery job's name, e.g. targets.rollup.": "Celery 任务名，例如 targets.rollup。",
    "arguments": "参数",
    "written at": "写入时间",
    "sent at": "发送时间",
    "failed attempts": "发送失败次数",
    "last error": "最近一次错误",
    "outbox job": "待发送任务",
    "outbox jobs": "待发送任务",
    "Service temporarily unavailable": "服务暂时不可用",
    "Try again": "重试",
    "The platform's database cannot be reached at the moment. Nothing you sent was lost or half-saved; "
    "please try again in a minute.": "平台数据库暂时无法连接。您提交的内容没有丢失，也不会只保存一半；请一分钟后重试。",
}
ZH["Operations"] = "运维"
