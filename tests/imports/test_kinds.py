"""the return and task report templates, the certification application and task report
import kinds, and the django-import-export Resources that clean and map their rows.

Every import here goes upload → preview → confirm through imports.services, as the pages do;
the writes are the apps' services' (pipeline, reports), checked by what they leave behind.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from communities.models import Application, Tier
from divisions.models import Region
from imports.models import ImportBatch
from imports.resources import ChoiceWidget, FigureWidget, WholeNumberWidget
from imports.services import import_confirm, import_upload
from imports.templates import return_template, task_report_template
from reports.models import ReportingPeriod, SelfStatus, TaskReport, TaskReportPart
from targets.models import IndicatorValue
from tests.imports_helpers import csv_bytes, upload, villages, xlsx_bytes

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)  # 2024Q3's entry window


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def q(label: str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))


def county(name: str = "汉滨区") -> Region:
    return Region.objects.get(level="county", name=name)


def messages(batch: ImportBatch) -> str:
    return " | ".join(f"{e['sheet']} {e['row']} {e['column']} {e['message']}" for e in batch.errors)


# ---------------------------------------------------------------- widgets


@pytest.mark.parametrize(("raw", "expected"), [("１２３", 123), ("1,234", 1234), (12.0, 12), ("", None)])
def test_the_whole_number_widget_follows_the_number_rules(raw, expected):
    assert WholeNumberWidget().clean(raw) == expected


@pytest.mark.parametrize("raw", ["1,23", "12人", "-1", "1.5"])
def test_the_whole_number_widget_refuses_rather_than_guesses(raw):
    with pytest.raises(ValueError):
        WholeNumberWidget().clean(raw)


def test_the_figure_widget_reads_full_width_and_separators():
    assert FigureWidget().clean("１，２３４．５") == Decimal("1234.5")
    assert FigureWidget().clean(0.1) == Decimal("0.1")


def test_the_choice_widget_takes_code_english_or_chinese():
    widget = ChoiceWidget(SelfStatus.choices)
    assert [widget.clean(v) for v in ("on_track", "On track", "达到进度", "滞后", "")] == [
        "on_track", "on_track", "on_track", "behind", ""]
    with pytest.raises(ValueError, match="达到进度"):
        widget.clean("很好")


# ---------------------------------------------------------------- the return template


def read_sheets(data: bytes):
    workbook = load_workbook(io.BytesIO(data))
    return workbook, workbook.worksheets[0], workbook["_meta"]


def test_the_return_template_is_prefilled_validated_locked_and_stamped(personas, in_window):
    from reports.services import reported_indicators

    first = reported_indicators().first()
    component = first.components.first()
    IndicatorValue.objects.create(indicator=first, component=component, region=county(), year=2024, quarter=2,
                                  value=Decimal("77"))
    data = return_template(county=county(), period=q("2024Q3"))
    workbook, sheet, meta = read_sheets(data)
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["指标代码", "分项代码", "指标名称"] and "数值" in header and "上季度数值（2024年第二季度）" in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(i.components.count() for i in reported_indicators())
    row = next(r for r in rows if (r[0], r[1]) == (first.code, component.code))
    assert row[5] == 77 and row[7] == "汉滨区" and row[8] == "610902000000" and row[9] == "2024Q3"
    # every figure a county reports is a count of people, households or posts: whole numbers in Excel too
    (whole,) = sheet.data_validations.dataValidation
    assert (whole.type, whole.operator, whole.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert {r.coord for r in whole.sqref.ranges} == {f"G{n}" for n in range(2, len(rows) + 2)}
    assert all(r[4] in ("人", "户", "个", "家") for r in rows)
    # the city's rate may have decimals
    (decimals,) = read_sheets(return_template(county=Region.objects.get(level="city"), period=q("2024Q3")))[1] \
        .data_validations.dataValidation
    assert (decimals.type, decimals.operator, decimals.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert sheet.protection.sheet and sheet["A1"].protection.locked and not sheet["G2"].protection.locked
    assert meta.sheet_state == "hidden" and meta.protection.sheet
    stamp = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert (stamp["kind"], stamp["scope"], stamp["period"], stamp["version"]) == ("county_return", "610902000000",
                                                                                 "2024Q3", "1")


def filled_return_template(region: Region, period: str) -> bytes:
    data = return_template(county=region, period=q(period))
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    from targets.models import IndicatorComponent

    roles = {(c.indicator.code, c.code): (c.role, c.indicator.direction, c.indicator.kind)
             for c in IndicatorComponent.objects.select_related("indicator")}
    for row in sheet.iter_rows(min_row=2):
        role, direction, kind = roles[(row[0].value, row[1].value)]
        value = 10
        if kind == "ratio":
            value = (30 if direction == "at_most" else 900) if role == "numerator" else 1000
        row[6].value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_filled_return_template_imports_unedited(personas, in_window):
    data = filled_return_template(county(), "2024Q3")
    batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.COUNTY_RETURN,
                          upload=upload(data, "汉滨区2024Q3季报模板.xlsx"), region=county(), period=q("2024Q3"))
    assert batch.state == ImportBatch.State.READY, messages(batch)
    assert batch.summary["created"] == batch.rows_total > 0
    assert not any("_meta" in note for note in batch.preview["notes"])  # the hidden sheet is not "another sheet"
    assert import_confirm(batch=batch, user=personas["county_a"]).state == ImportBatch.State.APPLIED
    assert IndicatorValue.objects.filter(region=county(), year=2024, quarter=3).count() == batch.rows_total


@pytest.mark.parametrize(("made_for", "period"), [("石泉县", "2024Q3"), ("汉滨区", "2024Q2")])
def test_a_template_of_another_county_or_quarter_is_refused(made_for, period, personas, in_window):
    data = filled_return_template(county(made_for), period)
    batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.COUNTY_RETURN, upload=upload(data),
                          region=county(), period=q("2024Q3"))
    assert batch.state == ImportBatch.State.REFUSED
    assert f"{made_for} {period}" in messages(batch) and "模板" in messages(batch), messages(batch)
    assert not IndicatorValue.objects.exists()


def test_a_task_report_template_is_refused_by_the_return_import(personas, in_window):
    data = task_report_template(department=personas["co_officer"].department, period=q("2024Q3"),
                                user=personas["co_officer"])
    batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.COUNTY_RETURN, upload=upload(data),
                          region=county(), period=q("2024Q3"))
    assert batch.state == ImportBatch.State.REFUSED and "任务报告" in messages(batch), messages(batch)


def test_template_downloads_are_scoped_and_linked(client_for, in_window):
    page = client_for("county_a").get("/reports/returns/610902000000/2024Q3/").content.decode()
    assert "/imports/templates/returns/610902000000/2024Q3/" in page
    response = client_for("county_a").get("/imports/templates/returns/610902000000/2024Q3/")
    assert response.status_code == 200 and "filename*=utf-8''" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]["A1"].value == "指标代码"
    for persona in ("county_b", "city_admin", "leader", "co_officer"):
        assert client_for(persona).get("/imports/templates/returns/610902000000/2024Q3/").status_code == 404
    assert client_for("county_a").get("/imports/templates/task-reports/2024Q3/").status_code == 404


# ---------------------------------------------------------------- certification applications


APPLICATION_HEADER = ["统计用区划代码", "名称", "申请说明", "社区就业服务规范", "就业政策落实到位", "就业援助全面", "群众评价好",
                      "登记失业人员", "零就业家庭", "就业困难人员援助率"]


def application_rows(regions, *, unemployed="3") -> list[list]:
    return [[r.code, r.short_name, f"{r.short_name}就业工作扎实", "是", "是", "是", "是", unemployed, "0", "100"]
            for r in regions]


def upload_applications(user, rows, *, tier="municipal", name="申请.xlsx") -> ImportBatch:
    return import_upload(user=user, kind=ImportBatch.Kind.APPLICATIONS, upload=upload(xlsx_bytes(rows), name),
                         region=user.region, tier=Tier.objects.get(code=tier))


def test_applications_open_through_the_pipeline_and_reimport_changes_nothing(personas):
    regions = villages("汉滨区", 3)
    rows = [APPLICATION_HEADER] + application_rows(regions)
    batch = upload_applications(personas["county_a"], rows)
    assert batch.state == ImportBatch.State.READY, messages(batch)
    assert batch.summary["created"] == 3
    batch = import_confirm(batch=batch, user=personas["county_a"])
    assert batch.state == ImportBatch.State.APPLIED, messages(batch)
    applications = Application.objects.filter(community__in=regions).order_by("community__code")
    assert [(a.state, a.tier.code, a.created_by.username, a.summary) for a in applications] == [
        ("draft", "municipal", "county_a", f"{r.short_name}就业工作扎实") for r in regions]
    first = applications[0]
    answers = {c.criterion.code: (c.met, c.value) for c in first.checks.select_related("criterion")}
    assert answers["services"] == (True, None) and answers["registered_unemployed"] == (None, Decimal("3.00"))
    assert first.history.exists()  # the pipeline's history, not a bare save
    again = upload_applications(personas["county_a"], rows)
    assert again.state == ImportBatch.State.UNCHANGED and again.summary["unchanged"] == 3
    changed = [APPLICATION_HEADER] + application_rows(regions[:1], unemployed="５") + application_rows(regions[1:])
    one = upload_applications(personas["county_a"], changed)
    assert (one.summary["updated"], one.summary["unchanged"]) == (1, 2), messages(one)
    assert import_confirm(batch=one, user=personas["county_a"]).state == ImportBatch.State.APPLIED
    first.refresh_from_db()
    assert first.version == 3
    assert first.checks.get(criterion__code="registered_unemployed").value == Decimal("5.00")


@pytest.mark.parametrize("position", ["first", "middle", "last"])
def test_a_bad_application_row_anywhere_writes_nothing(position, personas):
    regions = villages("汉滨区", 5)
    rows = application_rows(regions)
    index = {"first": 0, "middle": 2, "last": 4}[position]
    rows[index][3] = "也许"
    batch = upload_applications(personas["county_a"], [APPLICATION_HEADER] + rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(index + 2, "D")]
    assert not Application.objects.exists()


def test_application_rows_outside_the_county_or_already_in_review_are_errors(personas):
    from communities.pipeline import application_create

    own = villages("汉滨区", 2)
    other = villages("石泉县", 1)
    application_create(community=own[1], tier=Tier.objects.get(code="municipal"), user=personas["county_a"])
    Application.objects.filter(community=own[1]).update(state="in_review", step="town")
    batch = upload_applications(personas["county_a"], [APPLICATION_HEADER] + application_rows(own + other))
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "A"), (4, "A")], messages(batch)
    assert "石泉县" in batch.errors[1]["message"]
    assert Application.objects.count() == 1


def test_higher_tier_rules_are_the_pipelines(personas):
    communities = list(Region.objects.filter(level="village", county__name="汉滨区", kind="community")[:1])
    batch = upload_applications(personas["county_a"], [APPLICATION_HEADER] + application_rows(communities),
                                tier="provincial")
    assert batch.state == ImportBatch.State.REFUSED
    assert "市级充分就业村（社区）" in messages(batch)  # the tier below must be held


def test_who_may_import_applications(personas, client_for):
    assert client_for("county_a").get("/imports/applications/municipal/").status_code == 200
    for persona in ("city_admin", "co_officer", "leader", "outsider"):
        assert client_for(persona).get("/imports/applications/municipal/").status_code == 404
    with pytest.raises(PermissionDenied):
        import_upload(user=personas["co_officer"], kind=ImportBatch.Kind.APPLICATIONS, upload=upload(b"x"),
                      region=None, tier=Tier.objects.get(code="municipal"))
    assert "/imports/applications/municipal/" in client_for("county_a").get("/communities/applications/").content.decode()


# ---------------------------------------------------------------- department task reports


TASK_HEADER = ["任务序号", "采取的措施", "任务指标进展", "存在问题", "下步打算", "自评状态"]


def upload_reports(user, rows, period="2024Q3", name="任务报告.csv") -> ImportBatch:
    return import_upload(user=user, kind=ImportBatch.Kind.TASK_REPORTS, upload=upload(csv_bytes(rows), name),
                         period=q(period))


def co_and_lead_tasks(user) -> tuple[list[int], list[int]]:
    from tasks.models import Responsibility

    rows = Responsibility.objects.filter(department=user.department, task__plan__code="ankang-2022", task__kind="task")
    return (sorted(r.task.number for r in rows if r.role == "co"), sorted(r.task.number for r in rows if r.role == "lead"))


def test_a_department_imports_its_parts_and_its_lead_reports(personas, in_window):
    co, lead = co_and_lead_tasks(personas["lead_officer"])
    assert co and lead
    rows = [TASK_HEADER] + [[n, f"措施{n}", f"进展{n}", "", "", "达到进度"] for n in [co[0], lead[0]]]
    batch = upload_reports(personas["lead_officer"], rows)
    assert batch.state == ImportBatch.State.READY, messages(batch)
    assert batch.summary["created"] == 2
    assert import_confirm(batch=batch, user=personas["lead_officer"]).state == ImportBatch.State.APPLIED
    part = TaskReportPart.objects.get(task__number=co[0], department=personas["lead_officer"].department)
    report = TaskReport.objects.get(task__number=lead[0])
    assert (part.measures, part.self_status, part.state, part.version) == (f"措施{co[0]}", "on_track", "draft", 2)
    assert (report.progress, report.state, report.updated_by) == (f"进展{lead[0]}", "draft", personas["lead_officer"])
    again = upload_reports(personas["lead_officer"], rows)
    assert again.state == ImportBatch.State.UNCHANGED and again.summary["unchanged"] == 2


def test_task_report_rows_the_department_may_not_write_are_errors(personas, in_window):
    co, lead = co_and_lead_tasks(personas["co_officer"])
    others = [n for n in range(1, 20) if n not in co + lead]
    rows = [TASK_HEADER, [co[0], "措施", "", "", "", "很好"], [others[0], "措施", "", "", "", ""],
            [co[0], "再一次", "", "", "", ""]]
    batch = upload_reports(personas["co_officer"], rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "F"), (3, "A"), (4, "A")], messages(batch)
    assert not TaskReportPart.objects.exists() and not TaskReport.objects.exists()


def test_a_submitted_part_cannot_be_changed_by_an_import(personas, in_window):
    from reports.services import task_part_open, task_part_save, task_part_submit

    user = personas["co_officer"]
    co, _lead = co_and_lead_tasks(user)
    from tasks.models import Task

    task = Task.objects.get(plan__code="ankang-2022", number=co[0])
    part = task_part_open(task=task, department=user.department, period=q("2024Q3"), user=user)
    part = task_part_save(part=part, fields={"measures": "a", "progress": "b", "self_status": "on_track"},
                          version=part.version, user=user)
    task_part_submit(part=part, version=part.version, user=user)
    batch = upload_reports(user, [TASK_HEADER, [co[0], "改", "", "", "", ""]])
    assert batch.state == ImportBatch.State.REFUSED and batch.errors[0]["row"] == 2
    assert TaskReportPart.objects.get().measures == "a"


def test_the_task_report_template_round_trips(personas, client_for, in_window):
    user = personas["lead_officer"]
    co, lead = co_and_lead_tasks(user)
    page = client_for("lead_officer").get(f"/reports/tasks/{lead[0]}/2024Q3/").content.decode()
    assert f"/imports/templates/task-reports/2024Q3/{lead[0]}/" in page and "/imports/task-reports/2024Q3/" in page
    response = client_for("lead_officer").get("/imports/templates/task-reports/2024Q3/")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.worksheets[0]
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == sorted(co + lead)
    assert {v.type for v in sheet.data_validations.dataValidation} == {"textLength", "list"}
    for row in sheet.iter_rows(min_row=2):
        row[5].value, row[9].value = f"措施{row[0].value}", "有风险"
    out = io.BytesIO()
    workbook.save(out)
    batch = import_upload(user=user, kind=ImportBatch.Kind.TASK_REPORTS, upload=upload(out.getvalue()),
                          period=q("2024Q3"))
    assert batch.state == ImportBatch.State.READY and batch.summary["created"] == len(co + lead), messages(batch)
    assert import_confirm(batch=batch, user=user).state == ImportBatch.State.APPLIED
    assert TaskReportPart.objects.filter(department=user.department, self_status="at_risk").count() == len(co)
    # another department's template is refused
    theirs = task_report_template(department=personas["co_officer"].department, period=q("2024Q3"),
                                  user=personas["co_officer"])
    refused = import_upload(user=user, kind=ImportBatch.Kind.TASK_REPORTS, upload=upload(theirs), period=q("2024Q3"))
    assert refused.state == ImportBatch.State.REFUSED and "市商务局" in messages(refused)


def test_who_may_import_task_reports(personas, client_for):
    assert client_for("co_officer").get("/imports/task-reports/2024Q3/").status_code == 200
    for persona in ("county_a", "city_admin", "leader"):
        assert client_for(persona).get("/imports/task-reports/2024Q3/").status_code == 404
    with pytest.raises(PermissionDenied):
        upload_reports(personas["county_a"], [TASK_HEADER])


# ---------------------------------------------------------------- samples


def test_the_new_samples_import_cleanly(personas, client_for, settings, in_window):
    from pathlib import Path

    samples = Path(settings.BASE_DIR) / "imports" / "samples"
    data = (samples / "hanbin_applications_municipal.csv").read_bytes()
    batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.APPLICATIONS, upload=upload(data, "a.csv"),
                          region=county(), tier=Tier.objects.get(code="municipal"))
    assert batch.state == ImportBatch.State.READY and batch.summary["created"] == 10, messages(batch)
    data = (samples / "task_reports_co.csv").read_bytes()
    batch = import_upload(user=personas["co_officer"], kind=ImportBatch.Kind.TASK_REPORTS,
                          upload=upload(data, "t.csv"), period=q("2024Q3"))
    assert batch.state == ImportBatch.State.READY and batch.summary["created"] >= 1, messages(batch)
    for name in ("applications", "task-reports"):
        assert client_for("county_a").get(f"/imports/samples/{name}/").status_code == 200
