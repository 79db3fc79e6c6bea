"""Chinese for the API's incremental sync, back-fill and callbacks."""

ZH = {
    "updated_since “%(text)s” is not an ISO 8601 time: write it like 2026-11-30T08:00:00+08:00 or 2026-11-30.":
        "updated_since“%(text)s”不是ISO 8601格式的时间，请写成2026-11-30T08:00:00+08:00或2026-11-30。",
    "updated_since %(text)s is in the future: no row can have changed then.":
        "updated_since %(text)s是将来的时间，不可能有数据在那时变化。",
    "The cursor is not one this API gave: start again from updated_since.":
        "cursor不是本接口给出的游标，请从updated_since重新开始同步。",
    "This list is not kept in the order its rows change: read it whole, without updated_since or cursor (and "
    "with If-None-Match, to pay nothing when it has not changed).":
        "此列表不按数据变化的先后排列，请不带updated_since或cursor整体读取（可带If-None-Match，未变化时不重复传输）。",
    "The body is not JSON: send Content-Type: application/json.":
        "请求体不是JSON，请使用Content-Type: application/json。",
    "Nothing was written: %(periods)s closed for entry. %(why)s": "未写入任何数据：%(periods)s已截止填报。%(why)s",
    "Nothing was written: the return of %(period)s is %(state)s.": "未写入任何数据：%(period)s的报表状态为%(state)s。",
    "versions names %(periods)s, for which no value is sent.": "versions中的%(periods)s没有随请求报送任何数据。",
    "The callback URL must be a full http(s) address.": "回调地址必须是完整的http(s)地址。",
    "The callback URL must use HTTPS.": "回调地址必须使用HTTPS。",
    "The callback URL points at the platform itself.": "回调地址不能指向本平台自身。",
    "The callback of %(client)s was disabled after %(n)d failed deliveries":
        "%(client)s的回调连续%(n)d次推送失败，已停用",
    "%(url)s — last error: %(error)s. Re-enable it in the admin once the county has fixed its receiver.":
        "%(url)s——最近一次错误：%(error)s。县区修复接收端后，请在后台重新启用。",
    "The receiver answered HTTP %(status)s.": "接收端返回HTTP %(status)s。",
    "The signing secret, shown this once: %(secret)s": "签名密钥（仅显示这一次）：%(secret)s",
    "Re-enable the selected callbacks": "重新启用所选回调",
    "Re-enabled.": "已重新启用。",
    "Set after repeated failed deliveries; the office is told.": "连续推送失败后自动停用，并通知市办公室。",
    "One delivery per event and callback.": "每个事件对每个回调只推送一次。",
    "Delivered": "已送达",
    "Failed, not retried": "失败，不再重试",
    "callback URL": "回调地址",
    "callback": "回调",
    "callbacks": "回调",
    "callback delivery": "回调推送记录",
    "callback deliveries": "回调推送记录",
    "signing secret": "签名密钥",
    "failed attempts in a row": "连续失败次数",
    "event id": "事件编号",
    "event": "事件",
    "next attempt at": "下次尝试时间",
    "last HTTP status": "最近一次HTTP状态",
    "delivered at": "送达时间",
    "disabled at": "停用时间",
    "attempts": "尝试次数",
    "payload": "内容",
    "An API client belongs to one county or one department.": "接口客户端属于一个县区或一个部门。",
    "An API client belongs to one county, to the city or to one department.": "接口客户端只能属于一个县（市、区）、全市或一个部门。",
    "A department's system writes its task reports and parts.": "部门系统填报本部门的任务进展报告和分报告。",
}
