"""The successor-plan workbook written out: the empty template the office downloads (the sheets of
imports/plan_kind.py ``SHEETS`` with their headers, choice lists and a sheet of instructions) and
the same workbook filled with rows (the sample under imports/samples/, the demo's successor plan).

Every row goes in through ``kernel.exports.xlsx_row``: what a user typed is written as text, never as
a live formula, so the file reads back as it was written.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kernel.exports import workbook_save, xlsx_row

from .plan_kind import CHOICES, KIND, SHEETS
from .templates import HEADER_FILL, _meta_sheet

# the columns that take a choice, and which list
CHOICE_COLUMNS = {("sections", "kind"): "section_kind", ("tasks", "kind"): "task_kind",
                  ("indicators", "kind"): "indicator_kind", ("indicators", "direction"): "direction",
                  ("indicators", "reported_by"): "reported_by", ("indicators", "period_type"): "period_type",
                  ("targets", "category"): "category", ("targets", "direction"): "direction",
                  ("targets", "span"): "span", ("targets", "scope"): "scope"}
WIDE = {"title", "text", "clause", "preamble", "name", "co", "description"}
INSTRUCTIONS = "填写说明"


def plan_workbook(rows: dict[str, list[list]] | None = None) -> bytes:
    """The workbook: one sheet per part (``SHEETS``), headers in the first row, ``rows`` (sheet key →
    rows of cells in the header's order) below; the template when ``rows`` is empty."""
    rows = rows or {}
    workbook = Workbook()
    workbook.remove(workbook.active)
    for key, (name, fields) in SHEETS.items():
        sheet = workbook.create_sheet(name)
        sheet.append(xlsx_row(sheet, [("*" if required else "") + header for _f, header, required in fields]))
        for index, (field, _header, _required) in enumerate(fields, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            sheet.column_dimensions[get_column_letter(index)].width = 40 if field in WIDE else 14
            choices = CHOICE_COLUMNS.get((key, field))
            if choices:
                listed = ",".join(CHOICES[choices])
                check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True, showErrorMessage=True,
                                       errorTitle=_("Choose from the list"), error=listed)
                letter = get_column_letter(index)
                check.add(f"{letter}2:{letter}1000")
                sheet.add_data_validation(check)
        sheet.freeze_panes = "A2"
        for row in rows.get(key, []):
            sheet.append(xlsx_row(sheet, row))
    notes = workbook.create_sheet(INSTRUCTIONS)
    for line in INSTRUCTION_LINES:
        notes.append(xlsx_row(notes, [line]))
    notes.column_dimensions["A"].width = 120
    _meta_sheet(workbook, kind=KIND, kind_label=_("A plan (successor plan workbook)"), scope="", period="",
                label=_("a new plan"))
    return workbook_save(workbook)


INSTRUCTION_LINES = [
    "填写说明（本页不导入）",
    "1. 带*的列必填。每个工作表第一行是表头，请勿改名、删除工作表或表头；选择项可填中文或代码。",
    "2. 规划：一行。规划代码如 ankang-2026（小写字母、数字、连字符，不可与已有规划重复）；开始日期为某季度第一天，"
    "结束日期为某季度最后一天（整季度）；同一系列（代码去掉年份，如 ankang）的规划期不得重叠。",
    "3. 章节：章节键唯一（如 tasks、tasks.1）；上级章节键须为本表中的章节键；类型：" + "、".join(CHOICES["section_kind"]) + "。",
    "4. 任务：任务序号不得重复；所属章节键须在“章节”表中；类别为“任务”时须填牵头单位；配合单位用顿号分隔；"
    "单位须为平台已有单位（名称或别名）。",
    "5. 新增指标：仅填平台尚无的指标；比率须填分子、分母名称。已有指标直接在“目标”表中引用其代码。",
    "6. 目标：指标代码须为平台已有指标或“新增指标”表中的指标；类别为“任务指标”时须填任务序号。",
    "7. 分县任务：每个目标每县一行；全市“不低于”的总量目标（流量、存量、计数），各县分解数之和须等于全市目标值。",
    "8. 任何一处错误，整个文件不导入；预览逐条列出错误所在的工作表、行和列。",
]
