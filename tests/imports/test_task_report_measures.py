"""Task measures (任务指标) in the task-report template and import: one column per measure the
department enters (header 【code】name（unit）), open on its task's row only; read by the form's
rule (reports.services.measure_figures_read); refusals located by sheet, row and column; all or
nothing."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pytest
from openpyxl import load_workbook

from imports.models import ImportBatch
from imports.services import import_confirm, import_upload
from imports.templates import measure_header, task_report_template
from reports.models import ReportingPeriod, TaskMeasureFigure, TaskReport, TaskReportPart
from reports.services import measures_entered_by
from tasks.models import Responsibility
from tests.imports_helpers import csv_bytes, upload

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)  # 2024Q3's entry window


@pytest.fixture(autouse=True)
def in_window(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def measured(user):
    """(task, a whole-number measure it has the department enter, a task without that measure)."""
    duties = Responsibility.objects.filter(department=user.department, task__plan__code="ankang-2022",
                                           task__kind="task").select_related("task").order_by("task__number")
    found = None
    for duty in duties:
        whole = [m for m in measures_entered_by(task=duty.task, department=user.department, period=period())
                 if m.whole_numbers]
        if whole and found is None:
            found = (duty.task, whole[0])
    assert found is not None, "the department enters no whole-number measure"
    task, measure = found
    other = next(d.task for d in duties if measure not in measures_entered_by(
        task=d.task, department=user.department, period=period()))
    return task, measure, other


def import_rows(user, rows) -> ImportBatch:
    return import_upload(user=user, kind=ImportBatch.Kind.TASK_REPORTS, upload=upload(csv_bytes(rows), "任务.csv"),
                         period=period())


def errors(batch) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in batch.errors]


@pytest.mark.parametrize("persona", ["lead_officer", "co_officer"])
def test_the_template_has_the_measures_and_a_filled_one_imports(personas, persona):
    user = personas[persona]
    task, measure, other = measured(user)
    sheet_bytes = task_report_template(department=user.department, period=period(), user=user)
    workbook = load_workbook(io.BytesIO(sheet_bytes))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index(measure_header(measure))
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == task.number:
            assert row[column].protection.locked is False
            row[column].value, row[5].value = 37, "措施"
        elif row[0].value == other.number:
            assert row[column].protection.locked is True
    out = io.BytesIO()
    workbook.save(out)
    batch = import_upload(user=user, kind=ImportBatch.Kind.TASK_REPORTS, upload=upload(out.getvalue()),
                          period=period())
    assert batch.state == ImportBatch.State.READY, errors(batch)
    assert import_confirm(batch=batch, user=user).state == ImportBatch.State.APPLIED
    stored = TaskMeasureFigure.objects.get(measure=measure, period=period(), department=user.department)
    assert stored.value == 37 and stored.updated_by == user
    # the same file again changes nothing
    again = import_upload(user=user, kind=ImportBatch.Kind.TASK_REPORTS, upload=upload(out.getvalue(), "again.xlsx"),
                          period=period())
    assert again.state == ImportBatch.State.UNCHANGED, errors(again)


def test_a_bad_figure_is_refused_with_its_row_and_column_and_nothing_is_written(personas):
    user = personas["co_officer"]
    task, measure, other = measured(user)
    header = ["任务序号", "采取的措施", measure_header(measure)]
    batch = import_rows(user, [header, [task.number, "措施", "12.5"], [other.number, "措施", "3"]])
    assert batch.state == ImportBatch.State.REFUSED
    found = errors(batch)
    assert [(row, column) for row, column, _m in found] == [(2, "C"), (3, "C")], found
    assert "12.5" in found[0][2] and measure.name in found[0][2]
    assert str(other.number) in found[1][2] and measure.code in found[1][2] and "留空" in found[1][2]
    assert not TaskMeasureFigure.objects.exists()
    assert not TaskReportPart.objects.exists() and not TaskReport.objects.exists()


def test_a_negative_figure_is_refused(personas):
    user = personas["co_officer"]
    task, measure, _other = measured(user)
    batch = import_rows(user, [["任务序号", measure_header(measure)], [task.number, "-1"]])
    assert batch.state == ImportBatch.State.REFUSED and errors(batch)[0][:2] == (2, "B"), errors(batch)
    assert not TaskMeasureFigure.objects.exists()
