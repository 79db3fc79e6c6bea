"""Malformed posts to the reporting pages: each is a message on the page (a 4xx), never a 500,
and writes nothing. The test client re-raises a view's exception, so a 500 fails the test."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from reports.models import (
    Correction,
    CorrectionItem,
    CountyReturn,
    Evidence,
    ExtensionRequest,
    Instruction,
    Notification,
    PeriodException,
    ReportingPeriod,
    TaskReport,
    TaskReportPart,
)
from reports.services import (
    correction_request,
    county_return_approve,
    county_return_open,
    county_return_save,
    extension_request,
    reported_indicators,
    task_part_open,
    task_report_open,
    task_report_save,
    task_report_submit,
)
from targets.models import Indicator, IndicatorValue
from tasks.models import Department, Task
from tests.reports.test_county_returns import full_figures, submitted
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)  # 2024Q3: due 10-10, entry closes after 10-20
RETURN_URL = "/reports/returns/610902000000/2024Q3/"  # 汉滨区
TASK_URL = "/reports/tasks/6/2024Q3/"  # lead 市工信局 (lead_officer), co-responsible 市商务局 (co_officer)
EXTENSIONS_URL = "/reports/extensions/"
FIELDS = {"measures": "组织专场招聘会3场", "progress": "新增岗位1200个", "problems": "企业用工季节性强",
          "next_steps": "继续开展用工调查", "self_status": "on_track"}
BAD_VERSIONS = ["abc", "-1", "1.5", "1e3", "", "99999999999999999999"]
BAD_IDS = ["abc", "", "-1", "1.5", "99999999999999999999", "0x10"]
TOO_LONG = "长" * 10001
WRITTEN = [CountyReturn, IndicatorValue, Correction, CorrectionItem, TaskReport, TaskReportPart, Evidence,
           Instruction, ExtensionRequest, PeriodException, Notification]


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def rows() -> dict[str, list[dict]]:
    """Every row the reporting pages write, field by field."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WRITTEN}


def period(label: str = "2024Q3") -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))


def grid(figures=None, **extra) -> dict[str, str]:
    data = dict(extra)
    for code, components in (figures if figures is not None else full_figures()).items():
        for component, value in components.items():
            data[f"v__{code}__{component}"] = value
    return data


def refused(client, url, data, *, status=400, **kwargs):
    """Post ``data``; assert the given 4xx and that no row changed. Returns the page's text."""
    before = rows()
    response = client.post(url, data, **kwargs)
    assert response.status_code == status, (data, response.status_code)
    assert rows() == before, data
    return response.content.decode()


def a_figure() -> tuple[str, str]:
    """The field name and the indicator name of one figure of the return."""
    indicator = reported_indicators().first()
    component = indicator.components.first()
    return f"v__{indicator.code}__{component.code}", indicator.name


def draft(personas) -> CountyReturn:
    officer = personas["county_a"]
    county_return = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    return county_return_save(county_return=county_return, figures=full_figures(), version=county_return.version,
                              user=officer, today=IN_WINDOW)


# ---------------------------------------------------------------- the county return page


@pytest.mark.parametrize("version", BAD_VERSIONS)
@pytest.mark.parametrize("action", ["save", "submit", "correct"])
def test_a_malformed_version_of_the_figure_grid_is_a_field_error(client_for, personas, action, version):
    county_return = draft(personas)
    if action == "correct":
        county_return.state = CountyReturn.State.APPROVED
        county_return.save()
    html = refused(client_for("county_a"), RETURN_URL, grid(action=action, version=version, reason="漏报"))
    assert "版本" in html and "未保存" not in html  # named as the version, not as a figure


@pytest.mark.parametrize("action", ["save", "submit"])
def test_a_missing_version_is_a_field_error(client_for, personas, action):
    draft(personas)
    html = refused(client_for("county_a"), RETURN_URL, grid(action=action))
    assert "版本" in html


@pytest.mark.parametrize("value", ["1e999", "1E+30", "12,34,5", "1,2345", "-5", "abc", "NaN", "Infinity", "sNaN",
                                   "1.23456", "12 345", "0x10", "1" * 15])
def test_a_malformed_figure_is_an_error_beside_its_indicator_and_nothing_is_saved(client_for, personas, value):
    county_return = draft(personas)
    name, indicator_name = a_figure()
    html = refused(client_for("county_a"), RETURN_URL,
                   {**grid(action="save", version=county_return.version), name: value})
    assert "未保存" in html  # "Nothing was saved: correct the figures marked below."
    row = html.split(indicator_name, 1)[1].split("</td>", 1)[0]
    assert "text-danger" in row  # the message sits in the indicator's cell
    assert 'class="table-danger"' in html


def test_a_malformed_figure_on_a_return_not_yet_started_starts_nothing(client_for):
    name, _indicator_name = a_figure()
    refused(client_for("county_a"), RETURN_URL, {**grid(action="save", version=0), name: "1e999"})
    assert not CountyReturn.objects.exists()


def test_a_refused_save_of_a_return_not_yet_started_starts_nothing(client_for):
    """A rule broken by valid numbers (a zero denominator) is the service's refusal: the return
    the save would have started is not kept either."""
    figures = full_figures()
    figures["registered_unemployment_rate"] = {"registered_unemployed": "5", "urban_labour_force": "0"}
    html = refused(client_for("county_a"), RETURN_URL, grid(figures, action="save", version=0))
    assert "分母不能为零" in html
    assert not CountyReturn.objects.exists()


def test_figures_grouped_in_thousands_are_numbers(client_for, personas):
    county_return = draft(personas)
    figures = full_figures()
    figures["urban_new_jobs"] = {"value": "12,345"}
    response = client_for("county_a").post(RETURN_URL, grid(figures, action="save", version=county_return.version))
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator__code="urban_new_jobs", region=county("汉滨区"), year=2024,
                                      quarter=3).value == 12345


@pytest.mark.parametrize("key", ["v__bogus__value", "v__urban_new_jobs__bogus", "v__x", "v__"])
def test_a_figure_the_return_does_not_have_is_refused(client_for, personas, key):
    county_return = draft(personas)
    refused(client_for("county_a"), RETURN_URL, {**grid(action="save", version=county_return.version), key: "1"})


def test_a_too_long_explanation_is_a_field_error(client_for, personas):
    county_return = draft(personas)
    html = refused(client_for("county_a"), RETURN_URL,
                   grid(action="submit", version=county_return.version, explanation=TOO_LONG))
    assert "2000" in html


@pytest.mark.parametrize("action", ["approve", "send_back"])
@pytest.mark.parametrize("version", BAD_VERSIONS + [None])
def test_a_review_with_a_malformed_or_missing_version_is_a_field_error(client_for, personas, action, version):
    submitted(personas)
    data = {"action": action, "comment": "请核实"}
    if version is not None:
        data["version"] = version
    refused(client_for("city_admin"), RETURN_URL, data)
    assert CountyReturn.objects.get().state == "submitted"


def test_a_too_long_review_comment_is_a_field_error(client_for, personas):
    county_return = submitted(personas)
    html = refused(client_for("city_admin"), RETURN_URL,
                   {"action": "send_back", "version": county_return.version, "comment": TOO_LONG})
    assert "1000" in html


def approved_with_correction(personas, region="汉滨区") -> Correction:
    officer = personas["county_a"] if region == "汉滨区" else personas["county_b"]
    county_return = submitted(personas, region=region)
    county_return = county_return_approve(county_return=county_return, version=county_return.version,
                                          reviewer=personas["city_admin"])
    return correction_request(county_return=county_return, indicator=Indicator.objects.get(code="urban_new_jobs"),
                              figures={"value": "14"}, reason="漏报", user=officer)


@pytest.mark.parametrize("action", ["correction_approve", "correction_reject"])
@pytest.mark.parametrize("correction_id", BAD_IDS + [None])
def test_a_malformed_correction_id_is_a_field_error(client_for, personas, action, correction_id):
    approved_with_correction(personas)
    data = {"action": action, "comment": "不予更正"}
    if correction_id is not None:
        data["correction"] = correction_id
    refused(client_for("city_admin"), RETURN_URL, data)
    assert Correction.objects.get().state == "submitted"


@pytest.mark.parametrize("action", ["correction_approve", "correction_reject"])
def test_another_countys_correction_cannot_be_decided_on_this_page(client_for, personas, action):
    approved_with_correction(personas)  # 汉滨区's return, on the page
    other = approved_with_correction(personas, region="石泉县")
    refused(client_for("city_admin"), RETURN_URL, {"action": action, "correction": other.pk, "comment": "x"})
    assert Correction.objects.get(pk=other.pk).state == "submitted"


def test_a_correction_decision_with_a_malformed_version_or_too_long_comment_is_refused(client_for, personas):
    correction = approved_with_correction(personas)
    admin = client_for("city_admin")
    refused(admin, RETURN_URL, {"action": "correction_approve", "correction": correction.pk, "version": "abc"})
    refused(admin, RETURN_URL, {"action": "correction_reject", "correction": correction.pk, "comment": TOO_LONG})


def test_a_correction_request_with_a_malformed_figure_or_too_long_reason_is_refused(client_for, personas):
    approved_with_correction(personas)  # urban_new_jobs already waits; another indicator is corrected here
    county_return = CountyReturn.objects.get()
    name, _indicator_name = a_figure()
    county_client = client_for("county_a")
    refused(county_client, RETURN_URL,
            {**grid(action="correct", version=county_return.version, reason="漏报"), name: "1e999"})
    figures = full_figures()
    figures["registered_unemployment_rate"] = {"registered_unemployed": "31", "urban_labour_force": "1000"}
    refused(county_client, RETURN_URL, grid(figures, action="correct", version=county_return.version, reason=TOO_LONG))


@pytest.mark.parametrize("action", ["", "delete", "approve_all"])
def test_an_unknown_action_is_a_404(client_for, personas, action):
    county_return = draft(personas)
    refused(client_for("county_a"), RETURN_URL, grid(action=action, version=county_return.version), status=404)


def test_another_county_posting_anything_is_a_404(client_for, personas):
    county_return = draft(personas)
    refused(client_for("county_b"), RETURN_URL, grid(action="save", version=county_return.version), status=404)


# ---------------------------------------------------------------- the task report page


def task(number: int = 6) -> Task:
    return Task.objects.get(plan__code="ankang-2022", number=number)


@pytest.mark.parametrize("version", BAD_VERSIONS + [None])
@pytest.mark.parametrize("persona, action", [("co_officer", "part_save"), ("co_officer", "part_submit"),
                                             ("lead_officer", "report_save"), ("lead_officer", "report_submit")])
def test_a_malformed_version_of_a_report_is_a_field_error(client_for, persona, action, version):
    data = {"action": action, **FIELDS}
    if version is not None:
        data["version"] = version
    html = refused(client_for(persona), TASK_URL, data)
    assert "版本" in html
    assert not TaskReportPart.objects.exists() and not TaskReport.objects.exists()


@pytest.mark.parametrize("field, value", [("self_status", "excellent"), ("measures", TOO_LONG),
                                          ("next_steps", TOO_LONG), ("progress", TOO_LONG)])
@pytest.mark.parametrize("persona, action", [("co_officer", "part_save"), ("lead_officer", "report_submit")])
def test_a_malformed_report_field_is_a_field_error(client_for, persona, action, field, value):
    html = refused(client_for(persona), TASK_URL, {"action": action, "version": 0, **FIELDS, field: value})
    with translation.override("zh-hans"):
        label = str(TaskReport._meta.get_field(field).verbose_name)
    assert f"{label}：" in html  # the message names the field


def submitted_report(personas) -> TaskReport:
    officer = personas["lead_officer"]
    report = task_report_open(task=task(), period=period(), user=officer)
    report = task_report_save(report=report, fields=FIELDS, version=report.version, user=officer, today=IN_WINDOW)
    return task_report_submit(report=report, version=report.version, user=officer, today=IN_WINDOW,
                              missing_parts_reason="其余单位本季度无新进展")


@pytest.mark.parametrize("action", ["approve", "send_back"])
@pytest.mark.parametrize("version", BAD_VERSIONS + [None])
def test_a_task_report_review_with_a_malformed_version_is_a_field_error(client_for, personas, action, version):
    submitted_report(personas)
    data = {"action": action, "comment": "请补充"}
    if version is not None:
        data["version"] = version
    refused(client_for("city_admin"), TASK_URL, data)
    assert TaskReport.objects.get().state == "submitted"


def test_a_too_long_task_report_review_comment_is_a_field_error(client_for, personas):
    report = submitted_report(personas)
    refused(client_for("city_admin"), TASK_URL, {"action": "send_back", "version": report.version, "comment": TOO_LONG})


def test_reviewing_a_report_not_yet_started_is_a_404(client_for):
    refused(client_for("city_admin"), TASK_URL, {"action": "approve", "version": 1}, status=404)


def test_a_too_long_instruction_is_a_field_error(client_for):
    html = refused(client_for("leader"), TASK_URL, {"action": "instruct", "instruction": "批" * 2001})
    assert "2000" in html


def test_evidence_without_a_file_or_with_a_malformed_version_is_refused(client_for, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task_part_open(task=task(), department=Department.objects.get(name="市商务局"), period=period(),
                   user=personas["co_officer"])
    co = client_for("co_officer")
    refused(co, TASK_URL, {"action": "part_evidence", "version": 1})
    for version in ("abc", "-1"):
        pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")
        refused(co, TASK_URL, {"action": "part_evidence", "version": version, "file": pdf})
    empty = SimpleUploadedFile("空.pdf", b"", content_type="application/pdf")
    refused(co, TASK_URL, {"action": "part_evidence", "version": 1, "file": empty})
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_part_is_written_only_by_a_co_responsible_department(client_for):
    refused(client_for("lead_officer"), TASK_URL, {"action": "part_save", "version": 0, **FIELDS}, status=403)


@pytest.mark.parametrize("action", ["", "report_delete", "instruct_all"])
def test_an_unknown_task_report_action_is_a_404(client_for, action):
    refused(client_for("lead_officer"), TASK_URL, {"action": action, "version": 0, **FIELDS}, status=404)


# ---------------------------------------------------------------- the extensions page


@pytest.mark.parametrize("field, value", [
    ("period", "abc"), ("period", "2099Q1"), ("period", "2024Q5"), ("period", ""), ("period", None),
    ("until", "2024-13-45"), ("until", "30/10/2024"), ("until", "abc"), ("until", ""), ("until", None),
    ("reason", "因" * 296),
])
def test_a_malformed_extension_request_is_a_field_error(client_for, field, value):
    data = {"action": "request", "period": "2024Q3", "until": "2024-10-30", "reason": "系统升级无法报送"}
    if value is None:
        del data[field]
    else:
        data[field] = value
    refused(client_for("county_a"), EXTENSIONS_URL, data)


def test_the_longest_extension_reason_fits_the_exception_it_opens(client_for, personas):
    """An approved request's reason goes, after a prefix, into the period exception's 300 characters."""
    response = client_for("county_a").post(EXTENSIONS_URL, {"action": "request", "period": "2024Q3",
                                                            "until": "2024-10-30", "reason": "因" * 295})
    assert response.status_code == 302
    ask = ExtensionRequest.objects.get()
    response = client_for("city_admin").post(EXTENSIONS_URL, {"action": "approve", "request": ask.pk})
    assert response.status_code == 302 and ExtensionRequest.objects.get().state == "approved"
    assert len(PeriodException.objects.get().reason) == 300


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("request_id", BAD_IDS + [None])
def test_a_malformed_extension_id_is_a_field_error(client_for, personas, action, request_id):
    extension_request(period=period(), until=dt.date(2024, 10, 30), reason="系统升级", user=personas["county_a"])
    data = {"action": action, "comment": "理由不充分"}
    if request_id is not None:
        data["request"] = request_id
    refused(client_for("city_admin"), EXTENSIONS_URL, data)
    assert ExtensionRequest.objects.get().state == "pending"


def test_a_too_long_extension_decision_comment_is_a_field_error(client_for, personas):
    ask = extension_request(period=period(), until=dt.date(2024, 10, 30), reason="系统升级", user=personas["county_a"])
    refused(client_for("city_admin"), EXTENSIONS_URL, {"action": "reject", "request": ask.pk, "comment": TOO_LONG})


def test_only_the_office_decides_extensions(client_for, personas):
    ask = extension_request(period=period(), until=dt.date(2024, 10, 30), reason="系统升级", user=personas["county_a"])
    for persona in ("county_a", "county_b", "lead_officer"):
        refused(client_for(persona), EXTENSIONS_URL, {"action": "approve", "request": ask.pk}, status=403)


@pytest.mark.parametrize("action", [None, "", "withdraw"])
def test_an_unknown_extension_action_is_a_404(client_for, action):
    data = {"period": "2024Q3", "until": "2024-10-30", "reason": "x"}
    if action is not None:
        data["action"] = action
    refused(client_for("county_a"), EXTENSIONS_URL, data, status=404)


# ---------------------------------------------------------------- pages that take no post


@pytest.mark.parametrize("url", ["/reports/", "/reports/tasks/", "/reports/timeliness/", "/reports/notifications/",
                                 "/reports/evidence/1/"])
def test_read_only_pages_refuse_a_post(client_for, personas, url):
    Notification.objects.create(recipient=personas["city_admin"], kind="overdue", key="k", title="提醒")
    refused(client_for("city_admin"), url, {"action": "save"}, status=405)
    assert Notification.objects.get().read_at is None  # a post does not mark anything read
