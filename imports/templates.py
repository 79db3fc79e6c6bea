"""Excel templates to fill in and upload again: a county's return for a quarter and a
department's task reports for a quarter.

Each template's first sheet has the header in its first row (what the import reads) and is
protected except for the cells to fill in; figures have data validation (a decimal ≥ 0) and text
cells a length limit; a hidden, protected sheet (``_meta``) names what the template was made for
— its kind, the county or department, the quarter and the template version — which the import
checks (imports/kinds.py ``template_errors``): a template of another county or quarter is refused
with a message saying so. A filled template imports through the ordinary import pages unedited.

Every row goes in through ``kernel.exports.xlsx_row`` (the writers' one helper): what a user typed —
a report's measures beginning with "=", "+", "-" or "@", or "#REF!" — is written as text, never as a
live formula or an error value, so the unedited template reads back as it was written.
"""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from kernel.dates import quarter_text
from kernel.exports import workbook_save, xlsx_row
from reports.models import CountyReturn, SelfStatus, TaskMeasureFigure, TaskReport, TaskReportPart
from reports.services import measures_entered_by, reported_indicators, return_values
from targets.models import IndicatorValue
from tasks.models import Responsibility
from tasks.selectors import plan_current_for_user

from .reading import META_SHEET

TEMPLATE_VERSION = "1"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")


def _meta_sheet(workbook: Workbook, **meta: str) -> None:
    sheet = workbook.create_sheet(META_SHEET)
    for key, value in {"version": TEMPLATE_VERSION, "generated_at": timezone.localtime().isoformat(timespec="seconds"),
                       **meta}.items():
        sheet.append(xlsx_row(sheet, [key, value]))
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
    sheet.protection.password = secrets.token_hex(8)  # nobody needs to edit it


def _header(sheet, columns: list[tuple[str, int]]) -> None:
    sheet.append(xlsx_row(sheet, [title for title, _width in columns]))
    for index, (_title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _protect(sheet) -> None:
    """Header and pre-filled cells locked; the input cells (unlocked before) stay editable. No
    password: the lock prevents slips, the import checks everything anyway."""
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False


def _save(workbook: Workbook) -> bytes:
    return workbook_save(workbook)


def return_template(*, county, period) -> bytes:
    """The county's return for ``period``: every indicator it reports, one row per component, with
    codes, names, units and last quarter's figure; the 数值 column to fill in (this quarter's
    figures already entered are pre-filled)."""

    previous = period.as_quarter.previous()
    last = {(v.indicator.code, v.component.code): v.value for v in IndicatorValue.objects.filter(
        region=county, year=previous.year, quarter=previous.number).select_related("indicator", "component")}
    county_return = CountyReturn.objects.filter(region=county, period=period).first()
    current = return_values(county_return) if county_return is not None else {}

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Return")
    columns = [("指标代码", 30), ("分项代码", 16), ("指标名称", 30), ("分项名称", 22), ("单位", 8),
               (f"上季度数值（{quarter_text(previous)}）", 16), ("数值", 16), ("县（市、区）", 12), ("统计用区划代码", 15),
               ("季度", 10)]
    _header(sheet, columns)
    rows, count_rows = 0, []
    for indicator in reported_indicators(county):
        for component in indicator.components.all():
            value = current.get(indicator.code, {}).get(component.code)
            sheet.append(xlsx_row(sheet, [
                indicator.code, component.code, indicator.name, component.name, component.unit or indicator.unit,
                last.get((indicator.code, component.code)), value.value if value is not None else None, county.name,
                county.code, period.label]))
            rows += 1
            cell = sheet.cell(row=rows + 1, column=7)
            cell.protection, cell.fill = Protection(locked=False), INPUT_FILL
            cell.number_format = "#,##0.####"
            if component.is_count:
                count_rows.append(rows + 1)
    figures = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                             showErrorMessage=True, errorTitle=_("Not a figure"),
                             error=_("Enter a number of 0 or more (no units, no text)."),
                             showInputMessage=True, promptTitle=_("This quarter's figure"),
                             prompt=_("A number of 0 or more; leave empty to keep what the return has."))
    for row in range(2, rows + 2):
        if row not in count_rows:
            figures.add(f"G{row}")
    if len(count_rows) < rows:  # figures that may have decimals (a rate)
        sheet.add_data_validation(figures)
    if count_rows:  # counts of people, households, villages, posts: whole numbers (the import refuses others)
        whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                               showErrorMessage=True, errorTitle=_("Not a whole number"),
                               error=_("A count of people, households, villages or posts is a whole number."))
        for row in count_rows:
            whole.add(f"G{row}")
        sheet.add_data_validation(whole)
    _protect(sheet)
    _meta_sheet(workbook, kind="county_return", kind_label=_("County return figures"), scope=county.code,
                period=period.label, label=f"{county.name} {period.label}")
    return _save(workbook)


TEXT_LIMIT = 4000  # a cell of a report: a few paragraphs, well under Excel's 32,767 characters


def measure_header(measure) -> str:
    """A task measure's column in the task-report template: its code in 【】 (what the import
    reads), then its name and unit."""
    return f"【{measure.code}】{measure.name}（{measure.unit}）"


def task_report_template(*, department, period, user, task=None) -> bytes:
    """The department's reports on its tasks for ``period`` (or one ``task``): its part of each
    task it is co-responsible for, the compiled report of each task it leads, with what is
    already written pre-filled."""

    responsibilities = Responsibility.objects.filter(department=department, task__plan=plan_current_for_user(user),
                                                     task__kind="task").select_related("task").order_by("task__number")
    if task is not None:
        responsibilities = responsibilities.filter(task=task)
    reports = {r.task_id: r for r in TaskReport.objects.filter(period=period)}
    parts = {p.task_id: p for p in TaskReportPart.objects.filter(period=period, department=department)}
    labels = dict(SelfStatus.choices)
    # the task measures (任务指标) the department enters: one column each, open on its task's row only
    entered = {r.task_id: measures_entered_by(task=r.task, department=department, period=period)
               for r in responsibilities}
    measures = list({m.code: m for ms in entered.values() for m in ms}.values())
    stored = {(f.measure_id, f.department_id): f.value for f in TaskMeasureFigure.objects.filter(
        period=period, department=department, measure__in=measures)}

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Task reports")
    # the headers are the import's (Chinese whatever the user's language), so the file reads back as it is
    columns = [("任务序号", 9), ("任务名称", 40), ("职责", 10), ("单位", 14), ("季度", 9), ("采取的措施", 50),
               ("任务指标进展", 50), ("存在问题", 40), ("下步打算", 40), ("自评状态", 12)]
    columns += [(measure_header(m), 18) for m in measures]
    _header(sheet, columns)
    rows = 0
    for responsibility in responsibilities:
        record = reports.get(responsibility.task_id) if responsibility.role == "lead" else parts.get(
            responsibility.task_id)
        content = [getattr(record, f, "") if record is not None else "" for f in
                   ("measures", "progress", "problems", "next_steps")]
        status = labels.get(record.self_status, "") if record is not None and record.self_status else ""
        own = {m.code for m in entered[responsibility.task_id]}
        figures = [stored.get((m.pk, department.pk)) if m.code in own else None for m in measures]
        sheet.append(xlsx_row(sheet, [responsibility.task.number, responsibility.task.title,
                                      _("lead") if responsibility.role == "lead" else _("co-responsible"),
                                      department.name, period.label, *content, str(status),
                                      *(None if v is None else float(v) for v in figures)]))
        rows += 1
        for column in range(6, 11):
            cell = sheet.cell(row=rows + 1, column=column)
            cell.protection, cell.fill = Protection(locked=False), INPUT_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for offset, measure in enumerate(measures):
            if measure.code in own:  # another task's measure stays locked on this row
                cell = sheet.cell(row=rows + 1, column=11 + offset)
                cell.protection, cell.fill = Protection(locked=False), INPUT_FILL
    if rows:
        text = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(TEXT_LIMIT),
                              allow_blank=True, showErrorMessage=True, errorTitle=_("Too long"),
                              error=_("At most %(n)s characters per cell.") % {"n": TEXT_LIMIT})
        text.add(f"F2:I{rows + 1}")
        status_list = ",".join(str(label) for label in labels.values())
        status = DataValidation(type="list", formula1=f'"{status_list}"', allow_blank=True, showErrorMessage=True,
                                errorTitle=_("Choose from the list"), error=status_list)
        status.add(f"J2:J{rows + 1}")
        sheet.add_data_validation(text)
        sheet.add_data_validation(status)
    _protect(sheet)
    _meta_sheet(workbook, kind="task_reports", kind_label=_("Department task reports"), scope=str(department.pk),
                period=period.label, label=f"{department.name} {period.label}")
    return _save(workbook)
