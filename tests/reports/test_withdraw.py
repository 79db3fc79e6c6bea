"""Submitting asks for confirmation and says what happens next; what was sent can be withdrawn
(撤回) until a reviewer opens it — the office for returns and task reports, the lead unit for
parts. Opening is recorded the first time a reviewer views the page after a sending."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports.models import CountyReturn, ReportingPeriod, ReviewStep, TaskReport, TaskReportPart
from reports.services import (
    county_return_open,
    county_return_save,
    county_return_send_back,
    county_return_submit,
    county_return_withdraw,
    review_opened,
    task_part_open,
    task_part_save,
    task_part_submit,
    task_report_open,
    task_report_save,
    task_report_submit,
)
from targets.models import IndicatorValue
from tasks.models import Department, Task
from tests.reports.test_county_returns import full_figures
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)
TASK_URL = "/reports/tasks/6/2024Q3/"
HANBIN = "610902000000"
RETURN_URL = f"/reports/returns/{HANBIN}/2024Q3/"
CONTENT = {"measures": "措施", "progress": "进展", "self_status": "on_track"}


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def submitted_return(personas) -> CountyReturn:
    officer = personas["county_a"]
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    r = county_return_save(county_return=r, figures=full_figures(), version=r.version, user=officer, today=IN_WINDOW)
    return county_return_submit(county_return=r, version=r.version, user=officer, today=IN_WINDOW)


def submitted_part(personas) -> TaskReportPart:
    officer = personas["co_officer"]
    part = task_part_open(task=Task.objects.get(plan__code="ankang-2022", number=6),
                          department=Department.objects.get(name="市商务局"), period=period(), user=officer)
    part = task_part_save(part=part, fields=CONTENT, version=part.version, user=officer)
    return task_part_submit(part=part, version=part.version, user=officer)


def submitted_report(personas) -> TaskReport:
    officer = personas["lead_officer"]
    report = task_report_open(task=Task.objects.get(plan__code="ankang-2022", number=6), period=period(), user=officer)
    report = task_report_save(report=report, fields=CONTENT, version=report.version, user=officer)
    return task_report_submit(report=report, version=report.version, user=officer, missing_parts_reason="尚未收到")


def test_submitting_a_return_says_where_it_went_and_asks_first(client_for, personas):
    county_a = client_for("county_a")
    page = county_a.get(RETURN_URL).content.decode()
    assert 'value="submit" data-confirm="确认将本季报报送至市就业工作领导小组办公室审核' in page
    r = county_return_open(region=county("汉滨区"), period=period(), user=personas["county_a"])
    county_return_save(county_return=r, figures=full_figures(), version=r.version, user=personas["county_a"],
                       today=IN_WINDOW)
    fields = {f"v__{code}__{c}": v for code, comps in full_figures().items() for c, v in comps.items()}
    response = county_a.post(RETURN_URL, {"action": "submit", "version": r.version + 1, **fields}, follow=True)
    assert "已报送至市就业工作领导小组办公室，等待审核" in response.content.decode()


def test_a_return_is_withdrawn_before_the_office_opens_it(client_for, personas):
    r = submitted_return(personas)
    county_a = client_for("county_a")
    assert 'value="withdraw"' in county_a.get(RETURN_URL).content.decode()
    response = county_a.post(RETURN_URL, {"action": "withdraw", "version": r.version}, follow=True)
    assert "已撤回" in response.content.decode()
    r.refresh_from_db()
    assert r.state == CountyReturn.State.DRAFT
    assert set(IndicatorValue.objects.filter(source_ref=r.source_ref).values_list("status", flat=True)) == {"draft"}
    assert list(r.steps.values_list("action", flat=True)) == ["submitted", "withdrawn"]


def test_once_the_office_opened_the_return_it_cannot_be_withdrawn(client_for, personas):
    r = submitted_return(personas)
    assert client_for("city_admin").get(RETURN_URL).status_code == 200  # the office opens it
    client_for("city_admin").get(RETURN_URL)
    assert list(r.steps.values_list("action", "actor__username")) == [("submitted", "county_a"),
                                                                      ("opened", "city_admin")]  # once
    county_a = client_for("county_a")
    assert 'value="withdraw"' not in county_a.get(RETURN_URL).content.decode()
    response = county_a.post(RETURN_URL, {"action": "withdraw", "version": r.version})
    assert response.status_code == 400 and "审核方已查阅" in response.content.decode()
    r.refresh_from_db()
    assert r.state == CountyReturn.State.SUBMITTED


def test_a_leader_reading_does_not_open_it_for_review(client_for, personas):
    r = submitted_return(personas)
    client_for("leader").get(RETURN_URL)
    assert not r.steps.filter(action=ReviewStep.Action.OPENED).exists()


def test_a_resubmitted_return_withdrawn_is_returned_again_with_its_comment(personas):
    r = submitted_return(personas)
    r = county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"], comment="请核实")
    r = county_return_submit(county_return=r, version=r.version, user=personas["county_a"], today=IN_WINDOW)
    r = county_return_withdraw(county_return=r, version=r.version, user=personas["county_a"])
    assert r.state == CountyReturn.State.RETURNED and r.review_comment == "请核实"


def test_only_the_countys_officer_withdraws(client_for, personas):
    r = submitted_return(personas)
    assert client_for("county_b").post(RETURN_URL, {"action": "withdraw", "version": r.version}).status_code == 404
    with pytest.raises(PermissionDenied):
        county_return_withdraw(county_return=r, version=r.version, user=personas["county_b"])
    r.refresh_from_db()
    assert r.state == CountyReturn.State.SUBMITTED


def test_a_part_is_withdrawn_until_the_lead_opens_it(client_for, personas):
    part = submitted_part(personas)
    co = client_for("co_officer")
    assert 'value="part_withdraw"' in co.get(TASK_URL).content.decode()
    response = co.post(TASK_URL, {"action": "part_withdraw", "version": part.version}, follow=True)
    assert "已撤回" in response.content.decode()
    part.refresh_from_db()
    assert part.state == TaskReportPart.State.DRAFT
    part = task_part_submit(part=part, version=part.version, user=personas["co_officer"])
    client_for("lead_officer").get(TASK_URL)  # the lead opens the page: the part is opened
    assert part.steps.last().action == ReviewStep.Action.OPENED
    assert 'value="part_withdraw"' not in co.get(TASK_URL).content.decode()
    assert co.post(TASK_URL, {"action": "part_withdraw", "version": part.version}).status_code == 400
    part.refresh_from_db()
    assert part.state == TaskReportPart.State.SUBMITTED


def test_submitting_a_part_names_the_lead_unit(client_for, personas):
    co = client_for("co_officer")
    page = co.get(TASK_URL).content.decode()
    assert 'value="part_submit" data-confirm="确认将本单位分报告报送至牵头单位市工信局' in page
    response = co.post(TASK_URL, {"action": "part_submit", "version": 0, **CONTENT}, follow=True)
    assert "已报送至牵头单位市工信局，等待汇总" in response.content.decode()


def test_a_task_report_is_withdrawn_until_the_office_opens_it(client_for, personas):
    report = submitted_report(personas)
    lead = client_for("lead_officer")
    response = lead.post(TASK_URL, {"action": "report_withdraw", "version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == TaskReport.State.DRAFT
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"],
                                missing_parts_reason="尚未收到")
    assert review_opened(record=report, user=personas["city_admin"]) is True
    assert review_opened(record=report, user=personas["city_admin"]) is False  # recorded once per sending
    assert lead.post(TASK_URL, {"action": "report_withdraw", "version": report.version}).status_code == 400
    with pytest.raises(ValidationError):
        from reports.services import task_report_withdraw
        task_report_withdraw(report=report, version=report.version, user=personas["lead_officer"])


def test_the_co_unit_cannot_withdraw_the_leads_report(client_for, personas):
    report = submitted_report(personas)
    assert client_for("co_officer").post(TASK_URL, {"action": "report_withdraw",
                                                    "version": report.version}).status_code == 404
    report.refresh_from_db()
    assert report.state == TaskReport.State.SUBMITTED


def test_a_part_is_not_withdrawn_once_the_lead_sent_the_report_on(client_for, personas):
    part = submitted_part(personas)
    submitted_report(personas)  # the lead sent the task's report (without opening the page)
    co = client_for("co_officer")
    assert 'value="part_withdraw"' not in co.get(TASK_URL).content.decode()
    response = co.post(TASK_URL, {"action": "part_withdraw", "version": part.version})
    assert response.status_code == 400 and "不能再撤回" in response.content.decode()
    part.refresh_from_db()
    assert part.state == TaskReportPart.State.SUBMITTED
