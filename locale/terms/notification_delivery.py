"""Notifications that leave the platform: channels, the delivery log (issue 18, part 5)."""

ZH = {
    "Enter a mainland mobile number of 11 digits starting with 13–19.": "请输入以13—19开头的11位手机号码。",
    "E-mail": "电子邮件", "Text message": "手机短信",
    "mobile number": "手机号码", "every notification by e-mail": "全部通知发送邮件", "by e-mail": "按类别发送邮件",
    "every notification by text message": "全部通知发送短信", "by text message": "按类别发送短信",
    "updated at": "更新时间", "notification preference": "通知方式", "notification preferences": "通知方式",
    "Waiting to be sent": "待发送", "Sent": "已发送",
    "channel": "渠道", "address": "发送地址", "The e-mail address or mobile number it was sent to.": "发送到的电子邮箱或手机号码。",
    "gateway's message id": "短信平台消息编号",
    "notification delivery": "通知发送记录", "notification deliveries": "通知发送记录",
    "Delivery failures": "发送失败",
    "Some notifications could not be sent by e-mail or text message":
        "部分通知未能通过邮件或短信发出",
    "See the delivery log for the messages, the addresses and the errors.":
        "请在通知发送记录中查看消息内容、发送地址和错误原因，并以其他方式告知收件人。",
    "E-mail address": "电子邮箱", "Mobile number": "手机号码",
    "Enter a valid e-mail address, such as zhangsan@ankang.gov.cn.": "请输入有效的电子邮箱地址，例如 zhangsan@ankang.gov.cn。",
    "Every notification by e-mail": "全部通知都发送邮件", "By e-mail, only these kinds": "只有以下类别发送邮件",
    "Every notification by text message": "全部通知都发送短信", "By text message, only these kinds": "只有以下类别发送短信",
    "E-mail was chosen: give the address to send to.": "已选择邮件通知，请填写电子邮箱。",
    "Text messages were chosen: give the mobile number to send to.": "已选择短信通知，请填写手机号码。",
    "Unknown kind of notification.": "未知的通知类别。",
    "Your notification channels are saved.": "通知方式已保存。",
    "Notification channels": "通知方式设置",
    "Every notification is shown in the platform. You may also receive them by e-mail and by text message: "
    "choose every notification, or only the kinds you tick.":
        "所有通知都会在平台内（站内）显示。您还可以通过电子邮件和手机短信接收：选择全部通知，或只勾选需要的类别。",
    "Notification channels (e-mail, text message)": "通知方式设置（邮件、短信）",
    "Delivery log of notifications": "通知发送记录",
    "Notifications sent by e-mail and text message, after the change that made them, with retries. A message "
    "that still fails is marked failed here; tell its recipient another way.":
        "通过电子邮件和手机短信发出的通知：在产生通知的操作完成后发送，失败会自动重试。仍然失败的在此标为发送失败，请以其他方式告知收件人。",
    "message": "消息内容", "next attempt": "下次尝试",
    "Nothing has been sent outside the platform yet.": "尚无发往平台外的通知。",
    "The SMS gateway did not answer within %(seconds)s seconds.": "短信平台在%(seconds)s秒内未应答。",
    "The SMS gateway answered with an error (HTTP %(status)s).": "短信平台返回错误（HTTP %(status)s）。",
    "The SMS gateway refused the message: %(answer)s": "短信平台拒绝了该短信：%(answer)s",
    "No SMS gateway is configured.": "未配置短信平台。",
    "The SMS gateway could not be reached.": "无法连接短信平台。",
    "The mail server refused the address.": "邮件服务器拒绝了该收件地址。",
    "The mail server could not be reached or did not take the message.": "邮件服务器无法连接或未接收该邮件。",
    "Notifications not sent by e-mail or text message": "未能通过邮件或短信发出的通知",
    "Unexpected error while sending.": "发送时出现意外错误。",
}
