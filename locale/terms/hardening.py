"""Chinese for the hardening work: authentication, separation of duties, error pages."""

ZH = {
    "Your session has ended. Please log in again.": "会话已结束，请重新登录。",
    "A second factor is required: log in again on the website.": "需要第二重认证：请在网页上重新登录。",
    "%(user)s already holds the duty of %(held)s: the system, security and audit administrators must be "
    "different people.": "%(user)s 已担任%(held)s：系统管理员、安全管理员和审计管理员须由不同人员担任（三员分立）。",
    "The password must use at least %(min_classes)d of: upper-case letters, lower-case letters, digits, "
    "other characters.": "密码须至少包含大写字母、小写字母、数字、其他字符中的 %(min_classes)d 类。",
    "Use at least %(min_classes)d of: upper-case letters, lower-case letters, digits, other characters.":
        "至少包含大写字母、小写字母、数字、其他字符中的 %(min_classes)d 类。",
    "Security administrator": "安全管理员",
    "Your password was changed. Your other sessions have been logged out.": "密码已修改，您在其他地方的登录已全部退出。",
    "The code is wrong or has expired. Enter the current six-digit code.": "验证码错误或已过期，请输入当前的六位验证码。",
    "previous hash": "前一条哈希", "hash": "哈希", "last hash": "最新哈希", "audit chain head": "审计哈希链头",
    "Set up the second factor": "设置第二重认证",
    "Your role needs a one-time code at every login. Scan this QR code with an authenticator app (TOTP), or type "
    "the key in by hand, then enter the six-digit code it shows.":
        "您的角色每次登录都需要一次性验证码。请用身份验证器应用（动态口令）扫描此二维码，或手工输入密钥，然后输入应用显示的六位验证码。",
    "QR code for the authenticator app": "身份验证器应用二维码",
    "Key": "密钥", "Six-digit code": "六位验证码", "Confirm": "确认", "Second factor": "第二重认证",
    "Enter the six-digit code your authenticator app shows for this platform.": "请输入身份验证器应用为本平台显示的六位验证码。",
    "Verify": "验证",
    "Lost your device? Ask the security administrator to reset your second factor.": "设备丢失？请联系安全管理员重置第二重认证。",
    "Change password": "修改密码", "Request id": "请求编号", "Back to the first page": "返回首页",
    "Access denied": "无权访问",
    "You do not have access to this page. If you think you should, ask the city administrator.":
        "您无权访问此页面。如认为应有权限，请联系市级管理员。",
    "Page not found": "页面不存在",
    "There is no such page, or it is not yours to see.": "页面不存在，或您无权查看。",
    "Something went wrong": "系统出错",
    "The platform could not complete this request. It has been logged; if it happens again, give the request id "
    "below to the administrator.": "平台未能完成此请求，已记录日志；如再次发生，请将下方请求编号提供给管理员。",
}
ZH["The form could not be read."] = "无法读取提交的表单。"
