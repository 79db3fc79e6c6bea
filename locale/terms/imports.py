"""Chinese for the imports app (imports/, templates/imports/)."""

ZH = {
    "Excel and CSV imports": "Excel/CSV导入",
    "%(name)s is empty.": "“%(name)s”是空文件。",
    "%(name)s is %(size)s MB; the limit is %(limit)s MB. Split it into several files.":
        "“%(name)s”大小为%(size)s MB，超过上限%(limit)s MB。请拆分为多个文件后上传。",
    "%(name)s is a macro-enabled workbook; macros are not accepted. Save it as an Excel workbook (.xlsx) and upload that.":
        "“%(name)s”是启用宏的工作簿，平台不接受宏。请另存为Excel工作簿（.xlsx）后上传。",
    "%(name)s is protected by a password; the platform cannot read it. Remove the password in Excel (File → Info → Protect Workbook) and upload again.":
        "“%(name)s”设置了密码，平台无法读取。请在Excel中取消密码（文件 → 信息 → 保护工作簿）后重新上传。",
    "%(name)s is an old-format Excel file (.xls) or another Office document; save it as an Excel workbook (.xlsx) or CSV and upload that.":
        "“%(name)s”是旧版Excel文件（.xls）或其他Office文档，请另存为Excel工作簿（.xlsx）或CSV后上传。",
    "%(name)s is named like an Excel file but is not an Excel workbook (judged by its content, not its name).":
        "“%(name)s”的文件名像Excel文件，但内容不是Excel工作簿（按文件内容判断，而非文件名）。",
    "%(name)s is not an Excel workbook (.xlsx): judged by its content, not its name.":
        "“%(name)s”不是Excel工作簿（.xlsx）：按文件内容判断，而非文件名。",
    "%(name)s has %(n)s parts inside; the limit is %(limit)s. It is not an ordinary workbook.":
        "“%(name)s”内含%(n)s个部件，上限为%(limit)s个，不是普通的工作簿。",
    "%(name)s would unpack to %(size)s MB; the limit is %(limit)s MB. It is not an ordinary workbook.":
        "“%(name)s”解压后将达%(size)s MB，上限为%(limit)s MB，不是普通的工作簿。",
    "%(name)s is compressed %(ratio)s to 1 (part %(part)s); the limit is %(limit)s to 1. It is not an ordinary workbook.":
        "“%(name)s”的压缩比为%(ratio)s比1（部件%(part)s），上限为%(limit)s比1，不是普通的工作簿。",
    "%(name)s contains macros (VBA); macros are not accepted. Save it as an Excel workbook (.xlsx) and upload that.":
        "“%(name)s”含有宏（VBA），平台不接受宏。请另存为Excel工作簿（.xlsx）后上传。",
    "%(name)s is UTF-16 text (Excel's \"Unicode text\"); save it as CSV (UTF-8) or as an Excel workbook.":
        "“%(name)s”是UTF-16文本（Excel的“Unicode文本”），请另存为CSV（UTF-8）或Excel工作簿。",
    "%(name)s is neither an Excel workbook (.xlsx) nor a CSV text file (judged by its content, not its name).":
        "“%(name)s”既不是Excel工作簿（.xlsx），也不是CSV文本文件（按文件内容判断，而非文件名）。",
    "%(name)s is not readable text in UTF-8 or GBK/GB18030; save it from Excel as CSV (UTF-8) and upload again.":
        "“%(name)s”不是UTF-8或GBK/GB18030编码的文本，请在Excel中另存为CSV（UTF-8）后重新上传。",
    "the column %(header)s appears twice": "列“%(header)s”出现了两次",
    "the header row lacks the columns %(names)s (the first row with anything in it is read as the header)":
        "表头缺少以下列：%(names)s（第一个非空行视为表头）",
    "the row names %(named)s, but it is imported for %(county)s; the county comes from your account, not from the file":
        "该行填写的是%(named)s，但本次导入针对%(county)s；所属县（市、区）以您的账号为准，不以文件为准",
    "the NBS code is empty": "统计用区划代码为空",
    "%(code)s is not the NBS code of a village or community of Ankang": "%(code)s不是安康市村（社区）的统计用区划代码",
    "%(code)s is also on row %(row)s": "%(code)s在第%(row)s行已出现",
    "%(name)s (%(code)s) is in %(county)s, not your county; you cannot import its data":
        "%(name)s（%(code)s）属于%(county)s，不是您所在的县（市、区），不能导入其数据",
    "%(code)s is %(name)s, not %(given)s: check the row": "%(code)s是%(name)s，不是%(given)s，请核对该行",
    "%(name)s was changed after your preview: %(detail)s": "%(name)s在您预览之后被修改：%(detail)s",
    "you may no longer change %(name)s": "您已无权修改%(name)s",
    "The %(period)s return is %(state)s and cannot be changed by an import.": "%(period)s季报状态为“%(state)s”，不能通过导入修改。",
    "the row is for %(given)s, but this import is for %(period)s": "该行属于%(given)s，但本次导入的是%(period)s",
    "%(code)s is not an indicator counties report": "%(code)s不是县（市、区）填报的指标",
    "%(indicator)s has no component %(component)s (it has %(codes)s)": "%(indicator)s没有分项%(component)s（其分项为%(codes)s）",
    "%(code)s %(component)s is also on row %(row)s": "%(code)s %(component)s在第%(row)s行已出现",
    "%(n)s rows have no value; those figures stay as they are.": "有%(n)s行未填数值，这些数据保持不变。",
    "Village and community data": "村（社区）基础数据",
    "County return figures": "县区季报数据",
    "Refused": "已拒收",
    "Previewed, waiting for confirmation": "已预览，待确认",
    "Nothing to change": "无需更改",
    "Queued": "排队中",
    "Importing": "导入中",
    "Imported": "已导入",
    "Failed, nothing written": "失败，未写入任何数据",
    "Kept for the audit; a file refused by the gate is not kept.": "留存备查；未通过文件检查的文件不留存。",
    "SHA-256 of the file": "文件SHA-256摘要",
    "file size (bytes)": "文件大小（字节）",
    "file type": "文件类型",
    "data rows": "数据行数",
    "summary": "汇总",
    "Counts of created, updated, unchanged rows and errors.": "新增、更新、未变行数和错误数。",
    "preview": "预览",
    "The changes and errors shown before confirmation, with the versions seen.": "确认前显示的变更和错误，及当时的数据版本。",
    "errors": "错误",
    "confirmed at": "确认时间",
    "import batch": "导入批次",
    "import batches": "导入批次",
    "row %(n)s": "第%(n)s行",
    "column %(c)s": "%(c)s列",
    "The file has no rows: it needs a header row and at least one row of data.": "文件没有内容：需要一行表头和至少一行数据。",
    "The file has %(n)s rows; the limit is %(limit)s. Split it into several files.": "文件有%(n)s行，上限为%(limit)s行。请拆分为多个文件。",
    "The workbook cannot be read (%(error)s); open it in Excel, save it again as .xlsx and upload that.":
        "无法读取该工作簿（%(error)s），请在Excel中打开并重新另存为.xlsx后上传。",
    "Only the first sheet, %(sheet)s, is read; %(others)s are not.": "只读取第一个工作表“%(sheet)s”，不读取%(others)s。",
    "the formula has no calculated result; open the file in Excel, save it and upload it again": "公式没有计算结果，请在Excel中保存后再上传",
    "the formula's result is an error (%(value)s)": "公式计算结果为错误值（%(value)s）",
    "the cell holds an error value (%(value)s)": "单元格为错误值（%(value)s）",
    "%(value)s is not a whole number": "%(value)s不是整数",
    "“%(value)s” is not a whole number": "“%(value)s”不是整数",
    "%(value)s is negative": "%(value)s为负数",
    "%(value)s is not a number": "%(value)s不是数字",
    "“%(value)s” is not a number": "“%(value)s”不是数字",
    "“%(value)s” is not 是 or 否": "“%(value)s”应为“是”或“否”",
    "A return import needs its quarter.": "季报导入需要指定季度。",
    "This import is %(state)s; it cannot be confirmed.": "该导入状态为“%(state)s”，不能确认。",
    "The kept file no longer matches the one previewed; nothing was imported.": "留存的文件与预览时不一致，未导入任何数据。",
    "You may no longer make this import.": "您已无权进行此导入。",
    "Choose a file to upload.": "请选择要上传的文件。",
    "Imported: %(created)s created, %(updated)s updated.": "已导入：新增%(created)s条，更新%(updated)s条。",
    "The platform's data changed since your preview; check the new preview and confirm again. Nothing was imported.":
        "预览之后平台数据已有变化，请查看新的预览后再次确认。本次未导入任何数据。",
    "The import failed; nothing was written. See the reasons below.": "导入失败，未写入任何数据。原因见下方。",
    "Import households, population and relocation status from Excel or CSV": "从Excel或CSV导入户数、人口和易地搬迁社区信息",
    "Recent imports": "最近的导入",
    "An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK, as Excel saves it), up to %(limit)s MB. Macro-enabled and password-protected workbooks are refused.":
        "Excel工作簿（.xlsx）或CSV文件（UTF-8或GBK，即Excel保存的格式），不超过%(limit)s MB。不接受启用宏或设置密码的工作簿。",
    "The first row with anything in it is the header; only the first sheet is read.": "第一个非空行为表头；只读取第一个工作表。",
    "Formulas must have been calculated: save the file in Excel before uploading.": "公式必须已计算：请在Excel中保存后再上传。",
    "Numbers: full-width digits (１２３) are read as 123; thousands separators only in groups of three (1,234,567); anything else in a number cell is an error.":
        "数字：全角数字（１２３）按123读取；千位分隔符只接受每三位一组（1,234,567）；数字单元格中的其他内容均视为错误。",
    "You will see what would change before anything is written; the import is applied whole or not at all.":
        "写入前会先显示将要发生的变更；导入要么全部生效，要么全部不生效。",
    "Import": "导入",
    "Uploaded by %(who)s at %(when)s": "%(who)s于%(when)s上传",
    "the file": "原文件",
    "The import is running in the background; this page follows it. You may leave and come back.":
        "导入正在后台进行，本页面会自动更新进度。您可以离开，稍后再回来查看。",
    "Import progress": "导入进度",
    "Nothing to change: every row of this file matches what the platform holds. Nothing was written.":
        "没有需要更改的内容：文件中每一行都与平台现有数据一致，未写入任何数据。",
    "The same file was imported before (import #%(id)s, %(at)s, by %(by)s).": "同一文件此前已导入过（导入 #%(id)s，%(at)s，%(by)s）。",
    "The file was refused; nothing was written. Correct the file and upload it again.": "文件未被接受，未写入任何数据。请修改文件后重新上传。",
    "Imported at %(at)s.": "已于%(at)s导入。",
    "to create": "将新增",
    "to update": "将更新",
    "unchanged": "未变",
    "Errors": "错误",
    "Confirm and import": "确认导入",
    "Cancel": "取消",
    "What was changed": "已更改的内容",
    "What would change": "将要更改的内容",
    "row": "行",
    "record": "记录",
    "change": "变更",
    "before": "原值",
    "after": "新值",
    "create": "新增",
    "update": "更新",
    "people": "人",
    "relocation,not relocation": "易地搬迁社区,非易地搬迁社区",
    "and %(more)s more rows": "另有%(more)s行",
    "Import village and community data": "导入村（社区）基础数据",
    "Households, population and relocation status of %(county)s's villages and communities, one row per NBS code.":
        "%(county)s各村（社区）的户数、人口和易地搬迁社区信息，每个统计用区划代码一行。",
    "Households, population and relocation status of villages and communities, one row per NBS code; each row's county comes from its code.":
        "各村（社区）的户数、人口和易地搬迁社区信息，每个统计用区划代码一行；所属县（市、区）由代码确定。",
    "Columns": "列",
    "Download a sample file": "下载示例文件",
    "Upload and preview": "上传并预览",
    "Import return figures": "导入季报数据",
    "The figures are saved as a draft of %(county)s's %(period)s return, exactly as if entered in the form; submit the return there afterwards.":
        "数据将保存为%(county)s %(period)s季报的草稿，与在表单中填写完全相同；之后请在季报页面提交。",
    "; optional": "；可选",
    "Import the figures from Excel or CSV": "从Excel或CSV导入数据",
}
