"""Chinese for the clean-pages work (issue 17): file kinds, counting notes without setting names."""

ZH = {
    "PDF file": "PDF文件", "Word document": "Word文档", "Excel workbook": "Excel表格", "Text file": "文本文件",
    "CSV file": "CSV文件", "Compressed file": "压缩文件", "Image": "图片", "File": "文件",
    "A community holding a higher tier also counts toward the lower tiers.":
        "取得更高等级认定的村（社区）同时计入较低等级。",
    "Each community counts at the tier it holds only.": "每个村（社区）只计入其所持等级。",
    "Counted from certification records in force at each quarter's end. A community holding a higher "
    "tier also counts toward the lower tiers.":
        "按各季度末有效的认定记录计数；获得高一级认定的村（社区）同时计入低一级目标。",
    "Counted from certification records in force at each quarter's end, this tier only.":
        "按各季度末有效的认定记录计数，只计本级。",
    "No": "否", "Failed logins and lockouts": "登录失败与锁定", "Login security": "登录安全",
    "IP address": "IP地址", "Browser": "浏览器", "Failed logins": "失败次数", "Last attempt": "最近一次尝试时间",
    "Second-factor devices": "动态口令设备", "Second factor (dynamic password)": "动态口令（第二因素）",
    "Home": "首页", "Choose": "请选择", "or by name": "或按名称查找", "Find": "查找",
    "Choose a town first, or search by name": "请先选择乡镇（街道），或按名称查找",
    "Device name": "设备名称", "Enrolled": "已绑定", "Last used at": "最近使用时间",
}
