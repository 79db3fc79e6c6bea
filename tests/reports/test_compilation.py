"""The lead department compiles (parts' states, returning a part, quoting parts, the missing-parts
reason), the group of key-industry-chain leads files through its members, and the notifications
that close the loop, each cleared once someone else has decided the step."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from reports.models import Notification, ReportingPeriod, TaskReportPart
from reports.selectors import department_timeliness, part_states
from reports.services import (
    task_part_open,
    task_part_return,
    task_part_save,
    task_part_submit,
    task_report_approve,
    task_report_open,
    task_report_quote_parts,
    task_report_save,
    task_report_send_back,
    task_report_submit,
)
from tasks.models import Department, Plan, Task
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
FIELDS = {"measures": "开展商贸企业用工调查", "progress": "收集岗位需求860个", "self_status": "on_track"}
DAY = dt.date(2024, 10, 12)


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def task(number: int) -> Task:
    return Task.objects.get(plan__code="ankang-2022", number=number)


def dept(name: str) -> Department:
    return Department.objects.get(name=name)


def sent_part(user, number=6, department="市商务局", figures=None):
    part = task_part_open(task=task(number), department=dept(department), period=period(), user=user)
    part = task_part_save(part=part, fields=FIELDS, version=part.version, user=user, today=DAY, figures=figures)
    return task_part_submit(part=part, version=part.version, user=user, today=DAY)


def compiled(personas):
    report = task_report_open(task=task(6), period=period(), user=personas["lead_officer"])
    return task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"],
                            today=DAY)


def unread(user, kind=None):
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return list(qs.filter(kind=kind) if kind else qs)


def test_the_lead_sees_every_co_unit_with_its_parts_state(personas):
    sent_part(personas["co_officer"])
    other = make_user("edu", roles=[Role.DEPT_OFFICER], department="市教体局")
    task_part_open(task=task(6), department=dept("市教体局"), period=period(), user=other)
    states = {row.department.name: row.state for row in part_states(task=task(6), period=period())}
    assert states == {"市人社局": "missing", "市教体局": "draft", "市文旅广电局": "missing", "市商务局": "submitted",
                      "市农业农村局": "missing", "市总工会": "missing"}


def test_the_lead_returns_a_part_with_a_comment_and_its_unit_is_told(personas):
    part = sent_part(personas["co_officer"])
    with pytest.raises(ValidationError, match="意见"):
        task_part_return(part=part, version=part.version, user=personas["lead_officer"], comment="  ")
    for persona in ("co_officer", "city_admin", "county_a"):
        with pytest.raises(PermissionDenied):
            task_part_return(part=part, version=part.version, user=personas[persona], comment="请补充")
    assert [n.title for n in unread(personas["lead_officer"], Notification.Kind.REVIEW)] == [
        "市商务局报送了第6项任务2024Q3分报告"]
    part = task_part_return(part=part, version=part.version, user=personas["lead_officer"], comment="请补充岗位来源")
    assert part.state == "draft" and part.return_comment == "请补充岗位来源" and part.returned_by == personas["lead_officer"]
    told = unread(personas["co_officer"], Notification.Kind.RETURNED)
    assert len(told) == 1 and told[0].body == "请补充岗位来源"
    assert unread(personas["lead_officer"], Notification.Kind.REVIEW) == []  # decided: no longer waiting
    part = task_part_save(part=part, fields={**FIELDS, "progress": "收集岗位需求860个，来源为商贸企业"},
                          version=part.version, user=personas["co_officer"], today=DAY)
    part = task_part_submit(part=part, version=part.version, user=personas["co_officer"], today=DAY)
    assert part.state == "submitted"
    assert len(unread(personas["lead_officer"], Notification.Kind.REVIEW)) == 1  # sent again: waiting again


def test_submitting_with_parts_missing_needs_a_reason_the_office_sees(personas, client_for):
    sent_part(personas["co_officer"])
    report = compiled(personas)
    with pytest.raises(ValidationError) as exc:
        task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY)
    assert "市人社局" in exc.value.messages[0] and "市商务局" not in exc.value.messages[0]
    report.refresh_from_db()
    assert report.state == "draft"
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位本季度无新增工作，已电话确认")
    assert report.missing_parts_reason == "其余单位本季度无新增工作，已电话确认"
    office = unread(personas["city_admin"], Notification.Kind.REVIEW)
    assert len(office) == 1 and "其余单位本季度无新增工作" in office[0].body
    with mock.patch("django.utils.timezone.localdate", return_value=DAY):
        page = client_for("city_admin").get("/reports/tasks/6/2024Q3/").content.decode()
    assert "其余单位本季度无新增工作，已电话确认" in page and "未报送" in page


def test_the_lead_quotes_submitted_parts_into_its_report(personas):
    part = sent_part(personas["co_officer"])
    report = compiled(personas)
    report = task_report_quote_parts(report=report, parts=[part], version=report.version,
                                     user=personas["lead_officer"], today=DAY)
    assert "【市商务局】收集岗位需求860个" in report.progress and "【市商务局】开展商贸企业用工调查" in report.measures
    again = task_report_quote_parts(report=report, parts=[part], version=report.version,
                                    user=personas["lead_officer"], today=DAY)
    assert again.progress.count("【市商务局】") == 1  # quoting twice adds nothing
    draft = task_part_open(task=task(6), department=dept("市教体局"), period=period(),
                           user=make_user("edu", roles=[Role.DEPT_OFFICER], department="市教体局"))
    with pytest.raises(ValidationError):
        task_report_quote_parts(report=again, parts=[draft], version=again.version, user=personas["lead_officer"],
                                today=DAY)


def test_the_report_submitted_reaches_the_office_and_a_decision_clears_the_other_reviewers(personas):
    second_admin = make_user("office2", roles=[Role.CITY_ADMIN], department="市人社局")
    report = compiled(personas)
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位无新进展")
    assert len(unread(personas["city_admin"], Notification.Kind.REVIEW)) == 1
    assert len(unread(second_admin, Notification.Kind.REVIEW)) == 1
    report = task_report_send_back(report=report, version=report.version, reviewer=second_admin, comment="请补充数据")
    assert unread(personas["city_admin"], Notification.Kind.REVIEW) == []  # decided by someone else
    returned = unread(personas["lead_officer"], Notification.Kind.RETURNED)
    assert len(returned) == 1 and returned[0].body == "请补充数据"  # the lead is told
    report = task_report_save(report=report, fields=FIELDS, version=report.version, user=personas["lead_officer"],
                              today=DAY)
    report = task_report_submit(report=report, version=report.version, user=personas["lead_officer"], today=DAY,
                                missing_parts_reason="其余单位无新进展")
    assert len(unread(personas["city_admin"], Notification.Kind.REVIEW)) == 1
    task_report_approve(report=report, version=report.version, reviewer=personas["city_admin"])
    assert unread(second_admin, Notification.Kind.REVIEW) == []
    assert len(unread(personas["lead_officer"], Notification.Kind.APPROVED)) == 1


def test_a_member_files_the_groups_part_on_its_behalf_and_timeliness_counts_the_group_once(personas, client_for):
    group = dept("市重点产业链牵头单位")
    group.members.add(dept("市工信局"), dept("市富硒办"))
    selenium = make_user("selenium", roles=[Role.DEPT_OFFICER], department="市富硒办")
    outsider = make_user("finance", roles=[Role.DEPT_OFFICER], department="市财政局")
    with pytest.raises(PermissionDenied):
        task_part_open(task=task(2), department=group, period=period(), user=outsider)
    part = sent_part(selenium, number=2, department="市重点产业链牵头单位", figures={"t2_chain_jobs": "5200"})
    assert part.department == group and part.filed_by_department == dept("市富硒办")
    lead_told = unread(personas["lead_officer"], Notification.Kind.REVIEW)
    assert lead_told[0].title == "市重点产业链牵头单位（市富硒办代填）报送了第2项任务2024Q3分报告"
    with mock.patch("django.utils.timezone.localdate", return_value=DAY):
        page = client_for("lead_officer").get("/reports/tasks/2/2024Q3/").content.decode()
        assert "由市富硒办代为填报" in page
        member_page = selenium_client(selenium).get("/reports/tasks/2/2024Q3/").content.decode()
        assert "市重点产业链牵头单位" in member_page and 'name="m__t2_chain_jobs"' not in member_page  # submitted
    assert TaskReportPart.objects.filter(task=task(2), period=period()).count() == 1
    part = task_part_return(part=part, version=part.version, user=personas["lead_officer"], comment="请补充产业链数据")
    assert [n.body for n in unread(selenium, Notification.Kind.RETURNED)] == ["请补充产业链数据"]  # the members are told
    part = task_part_submit(part=part, version=part.version, user=selenium, today=DAY)
    plan = Plan.objects.get(code="ankang-2022")
    cards = {card.unit.name: card for card in department_timeliness(user=personas["city_admin"], plan=plan,
                                                                    period=period())}
    group_card = cards["市重点产业链牵头单位"]
    assert group_card.expected == 1 and group_card.submitted == 1  # one part owed by the group, filed once
    assert cards["市富硒办"].submitted == 0  # the member's own parts (task 1) are not credited with the group's


def selenium_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
