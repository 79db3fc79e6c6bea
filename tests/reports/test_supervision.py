"""督办: reminders, notifications by platform and e-mail, leaders' instructions, extension requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from reports.models import ExtensionRequest, Notification, PeriodException, ReportingPeriod
from reports.notifications import reminders_send
from reports.services import (
    extension_decide,
    extension_request,
    instruction_give,
    period_is_open_for,
)
from tasks.models import Task
from tests.reports.test_county_returns import submitted
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db


GIVEN, DEADLINE = dt.date(2026, 11, 30), dt.date(2026, 12, 15)


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)  # due 2024-10-10


def test_due_soon_then_overdue_reminders_go_once_each(personas):
    from reports.services import notification_preferences_save

    notification_preferences_save(user=personas["county_a"], email="hanbin@example.gov.cn", mobile="",
                                  email_all=False, email_kinds=["due_soon"], sms_all=False, sms_kinds=[])
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminders_send(today=dt.date(2024, 10, 7))  # three days before
    due = Notification.objects.filter(recipient=personas["county_a"], kind="due_soon")
    assert due.count() == 1 and "2024年第三季度" in due.get().title
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hanbin@example.gov.cn"]
    reminders_send(today=dt.date(2024, 10, 8))  # the next morning: nothing new for 汉滨区
    assert Notification.objects.filter(recipient=personas["county_a"], kind="due_soon").count() == 1
    assert Notification.objects.filter(recipient=personas["lead_officer"], kind="due_soon").exists()  # tasks 2, 6
    assert not Notification.objects.filter(recipient=personas["county_a"], kind="overdue").exists()
    reminders_send(today=dt.date(2024, 10, 11))
    assert Notification.objects.filter(recipient=personas["county_a"], kind="overdue").count() == 1
    assert not Notification.objects.filter(recipient=personas["leader"]).exists()


def test_a_submitted_unit_is_not_reminded(personas):
    submitted(personas)  # 汉滨区 submitted on time
    reminders_send(today=dt.date(2024, 10, 11))
    assert not Notification.objects.filter(recipient=personas["county_a"], kind="overdue").exists()
    assert Notification.objects.filter(recipient=personas["county_b"], kind="overdue").exists()


def test_returned_and_approved_tell_the_county(personas):
    from reports.services import county_return_approve, county_return_send_back

    r = submitted(personas)
    r = county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"], comment="请核实")
    note = Notification.objects.get(recipient=personas["county_a"], kind="returned")
    assert "被退回" in note.title and note.body == "请核实" and note.link.endswith("/2024Q3/")
    assert not Notification.objects.filter(recipient=personas["county_b"]).exists()
    from reports.services import county_return_save, county_return_submit
    from tests.reports.test_county_returns import IN_WINDOW, full_figures

    r = county_return_save(county_return=r, figures=full_figures(), version=r.version, user=personas["county_a"],
                           today=IN_WINDOW)
    r = county_return_submit(county_return=r, version=r.version, user=personas["county_a"], today=IN_WINDOW)
    county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
    assert Notification.objects.filter(recipient=personas["county_a"], kind="approved").count() == 1


def test_leaders_instruction_reaches_every_department_of_the_task(personas, client_for):
    task = Task.objects.get(plan__code="ankang-2022", number=6)
    with pytest.raises(PermissionDenied):
        instruction_give(task=task, text="x", user=personas["city_admin"], deadline=DEADLINE, today=GIVEN)
    with pytest.raises(ValidationError):
        instruction_give(task=task, text=" ", user=personas["leader"], deadline=DEADLINE, today=GIVEN)
    instruction_give(task=task, text="请加快企业用工调查，月底前报结果。", user=personas["leader"], deadline=DEADLINE,
                     today=GIVEN)
    assert Notification.objects.filter(kind="instruction", recipient=personas["lead_officer"]).exists()  # 市工信局
    assert Notification.objects.filter(kind="instruction", recipient=personas["co_officer"]).exists()  # 市商务局
    assert not Notification.objects.filter(kind="instruction", recipient=personas["county_a"]).exists()
    page = client_for("co_officer").get("/reports/tasks/6/2024Q3/").content.decode()
    assert "请加快企业用工调查" in page
    bell = client_for("co_officer").get("/reports/notifications/").content.decode()
    assert "领导对第6项任务作出批示" in bell


def test_extension_request_opens_that_unit_only_when_approved(personas, client_for):
    late = dt.date(2024, 10, 25)
    p = period()
    with pytest.raises(ValidationError):
        extension_request(period=p, until=dt.date(2024, 10, 15), reason="x", user=personas["county_a"])  # still open
    with pytest.raises(PermissionDenied):
        extension_request(period=p, until=dt.date(2024, 10, 30), reason="x", user=personas["leader"])
    ask = extension_request(period=p, until=dt.date(2024, 10, 30), reason="系统升级无法报送", user=personas["county_a"])
    assert Notification.objects.filter(recipient=personas["city_admin"], kind="extension").exists()
    assert not period_is_open_for(period=p, region=county("汉滨区"), today=late)
    with pytest.raises(PermissionDenied):
        extension_decide(request=ask, approve=True, reviewer=personas["leader"])
    extension_decide(request=ask, approve=True, reviewer=personas["city_admin"])
    assert period_is_open_for(period=p, region=county("汉滨区"), today=late)
    assert not period_is_open_for(period=p, region=county("石泉县"), today=late)
    assert ExtensionRequest.objects.get().exception == PeriodException.objects.get()
    other = extension_request(period=p, until=dt.date(2024, 10, 30), reason="人手不足", user=personas["county_b"])
    with pytest.raises(ValidationError):
        extension_decide(request=other, approve=False, reviewer=personas["city_admin"], comment="")
    extension_decide(request=other, approve=False, reviewer=personas["city_admin"], comment="理由不充分")
    assert not period_is_open_for(period=p, region=county("石泉县"), today=late)
    assert Notification.objects.filter(recipient=personas["county_b"], kind="extension").exists()
    html = client_for("city_admin").get("/reports/extensions/").content.decode()
    assert "系统升级无法报送" in html and "人手不足" in html
    assert "系统升级无法报送" not in client_for("county_b").get("/reports/extensions/").content.decode()
    for persona in ("outsider", "leader", "auditor"):
        assert client_for(persona).get("/reports/extensions/").status_code == 404


def test_notifications_are_private(personas, client_for):
    Notification.objects.create(recipient=personas["county_a"], kind="overdue", key="k", title="汉滨区的提醒")
    assert "汉滨区的提醒" in client_for("county_a").get("/reports/notifications/").content.decode()
    assert "汉滨区的提醒" not in client_for("county_b").get("/reports/notifications/").content.decode()
    assert client_for("anonymous").get("/reports/notifications/").status_code == 302
