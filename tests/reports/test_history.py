"""流转记录 (issue 17, part 2): returns, task reports and parts list each step — who, when, what
and the comment — written by the services in one place (ReviewStep), shown with the partial the
certification applications use; a return's comment stays after the item is sent again."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from reports.models import CountyReturn, ReviewStep, TaskReport, TaskReportPart
from reports.services import (
    county_return_approve,
    county_return_send_back,
    county_return_submit,
    review_steps_backfill,
    task_part_return,
    task_part_submit,
    task_report_send_back,
    task_report_submit,
)
from tests.reports.test_withdraw import (
    HANBIN,
    RETURN_URL,
    TASK_URL,
    submitted_part,
    submitted_report,
    submitted_return,
)

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def test_a_returns_history_lists_every_step_with_the_comment(client_for, personas):
    r = submitted_return(personas)
    client_for("city_admin").get(RETURN_URL)
    r = county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"],
                                comment="失业人数与上季度差异较大，请核实")
    r = county_return_submit(county_return=r, version=r.version, user=personas["county_a"], today=IN_WINDOW,
                             explanation="已核实，为季节性波动")
    r = county_return_approve(county_return=CountyReturn.objects.get(pk=r.pk), version=r.version,
                              reviewer=personas["city_admin"])
    steps = list(r.steps.values_list("action", "actor__username", "comment"))
    assert steps == [("submitted", "county_a", ""), ("opened", "city_admin", ""),
                     ("returned", "city_admin", "失业人数与上季度差异较大，请核实"),
                     ("resubmitted", "county_a", "已核实，为季节性波动"), ("approved", "city_admin", "")]
    page = client_for("county_a").get(RETURN_URL).content.decode()
    assert "流转记录" in page
    history = page[page.index("流转记录"):]
    for text in ("已报送", "审核方已查阅", "失业人数与上季度差异较大，请核实", "已重新报送", "已审核", "city_admin", "county_a"):
        assert text in history, text
    assert history.index("失业人数与上季度差异较大") < history.index("已重新报送")


def test_the_comment_stays_visible_after_resubmission(client_for, personas):
    r = submitted_return(personas)
    r = county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"], comment="请补充说明")
    county_return_submit(county_return=r, version=r.version, user=personas["county_a"], today=IN_WINDOW)
    page = client_for("city_admin").get(RETURN_URL).content.decode()
    assert "上次市级退回意见" in page and "请补充说明" in page


def test_a_task_report_and_its_parts_have_their_history(client_for, personas):
    part = submitted_part(personas)
    part = task_part_return(part=part, version=part.version, user=personas["lead_officer"], comment="请补充企业数量")
    part = task_part_submit(part=part, version=part.version, user=personas["co_officer"])
    report = submitted_report(personas)
    report = task_report_send_back(report=report, version=report.version, reviewer=personas["city_admin"],
                                   comment="请补充园区数据")
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"],
                                missing_parts_reason="仍缺部分单位")
    assert list(part.steps.values_list("action", flat=True)) == ["submitted", "returned", "resubmitted"]
    assert list(report.steps.values_list("action", "comment")) == [
        ("submitted", "尚未收到"), ("returned", "请补充园区数据"), ("resubmitted", "仍缺部分单位")]
    co_page = client_for("co_officer").get(TASK_URL).content.decode()
    assert "流转记录" in co_page and "请补充企业数量" in co_page
    office_page = client_for("city_admin").get(TASK_URL).content.decode()
    assert "请补充园区数据" in office_page[office_page.index("流转记录"):]
    assert "上次市就业办退回意见" in office_page


def test_the_history_is_seen_only_by_who_sees_the_item(personas):
    submitted_return(personas)
    assert ReviewStep.objects.for_user(personas["county_a"]).count() == 1
    assert ReviewStep.objects.for_user(personas["county_b"]).count() == 0
    assert client_page_404(personas)


def client_page_404(personas) -> bool:
    from django.test import Client

    client = Client()
    client.force_login(personas["county_b"])
    return client.get(f"/reports/returns/{HANBIN}/2024Q3/").status_code == 404


def test_records_sent_before_steps_were_kept_get_theirs_from_their_fields(personas):
    r = submitted_return(personas)
    r = county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"], comment="旧意见")
    ReviewStep.objects.all().delete()  # as if made before the steps existed (or seeded in bulk)
    assert review_steps_backfill() == 2
    assert list(r.steps.values_list("action", "comment")) == [("submitted", ""), ("returned", "旧意见")]
    assert review_steps_backfill() == 0  # records with steps are left alone


def test_the_certification_application_uses_the_same_history_list():
    from pathlib import Path

    template = Path("templates/communities/application.html").read_text(encoding="utf-8")
    assert '{% include "_steps.html" with steps=reviews %}' in template
    for name in ("county_return.html", "task_report.html"):
        assert '{% include "_steps.html"' in Path("templates/reports", name).read_text(encoding="utf-8")


def test_a_step_is_never_shown_for_an_item_without_one(client_for, personas):
    assert not TaskReport.objects.exists() and not TaskReportPart.objects.exists()
    assert "流转记录" not in client_for("lead_officer").get(TASK_URL).content.decode()
