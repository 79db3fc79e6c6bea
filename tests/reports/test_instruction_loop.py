"""督办: a leader's instruction names the units responsible and a deadline; each unit replies with
text and evidence; the office closes or returns the reply; overdue instructions are listed for
their leader; a reminder goes before the deadline."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from reports.models import Evidence, Instruction, InstructionUnit, Notification
from reports.notifications import instruction_reminders_send
from reports.services import (
    instruction_give,
    instruction_reply,
    instruction_reply_close,
    instruction_reply_return,
)
from tasks.models import Department, Task
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)
DEADLINE = dt.date(2026, 12, 10)


def pdf(name="办理材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")


def task6() -> Task:
    return Task.objects.get(plan__code="ankang-2022", number=6)


def give(personas, units=None, deadline=DEADLINE) -> Instruction:
    return instruction_give(task=task6(), text="请于月底前报送企业用工调查结果。", user=personas["leader"],
                            deadline=deadline, units=units, today=TODAY)


def addressed(personas) -> Instruction:
    """To 市工信局 (a department) and 汉滨区 (a county)."""
    return give(personas, units=[Department.objects.get(name="市工信局"), county("汉滨区")])


def unit_of(instruction, **unit) -> InstructionUnit:
    return instruction.addressees.get(**unit)


def test_an_instruction_without_a_unit_or_with_a_past_deadline_is_refused(personas):
    with pytest.raises(ValidationError, match="至少|at least"):
        give(personas, units=[])
    with pytest.raises(ValidationError):
        give(personas, deadline=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        give(personas, deadline=None)
    with pytest.raises(PermissionDenied):
        instruction_give(task=task6(), text="x", user=personas["city_admin"], deadline=DEADLINE, today=TODAY)
    assert not Instruction.objects.exists()
    assert give(personas, deadline=TODAY).deadline == TODAY  # today is not in the past


def test_by_default_the_tasks_departments_are_addressed_and_told(personas):
    instruction = give(personas)
    names = {a.department.name for a in instruction.addressees.all()}
    assert names == {r.department.name for r in task6().responsibilities.all()} and {"市工信局", "市商务局"} <= names
    assert Notification.objects.filter(kind="instruction", recipient=personas["co_officer"]).exists()
    assert not Notification.objects.filter(kind="instruction", recipient=personas["county_a"]).exists()


def test_reply_return_reply_again_close(personas):
    instruction = addressed(personas)
    hanbin = unit_of(instruction, region=county("汉滨区"))
    assert Notification.objects.filter(kind="instruction", recipient=personas["county_a"]).exists()
    hanbin = instruction_reply(addressee=hanbin, text="已完成调查。", version=hanbin.version, user=personas["county_a"])
    assert hanbin.state == "replied" and hanbin.replied_by == personas["county_a"]
    assert Notification.objects.filter(kind="supervision", recipient=personas["city_admin"]).count() == 1
    with pytest.raises(ValidationError):  # a return needs a comment
        instruction_reply_return(addressee=hanbin, version=hanbin.version, reviewer=personas["city_admin"], comment=" ")
    hanbin = instruction_reply_return(addressee=hanbin, version=hanbin.version, reviewer=personas["city_admin"],
                                      comment="请附调查表。")
    assert hanbin.state == "returned" and hanbin.review_comment == "请附调查表。"
    note = Notification.objects.get(kind="supervision", recipient=personas["county_a"])
    assert "被退回" in note.title and note.body == "请附调查表。"
    with pytest.raises(ValidationError):  # nothing to close until the unit replies again
        instruction_reply_close(addressee=hanbin, version=hanbin.version, reviewer=personas["city_admin"])
    hanbin = instruction_reply(addressee=hanbin, text="已完成调查，附调查表。", version=hanbin.version,
                               user=personas["county_a"])
    from reports.services import evidence_attach

    evidence_attach(record=hanbin, upload=pdf(), user=personas["county_a"])
    hanbin = instruction_reply_close(addressee=hanbin, version=hanbin.version, reviewer=personas["city_admin"])
    assert hanbin.state == "closed" and hanbin.version == 5
    assert Evidence.objects.get(reply=hanbin).name == "办理材料.pdf"
    assert hanbin.history.count() == 5  # audited through its history


def test_a_reply_to_a_closed_instruction_is_refused(personas):
    instruction = addressed(personas)
    hanbin = unit_of(instruction, region=county("汉滨区"))
    hanbin = instruction_reply(addressee=hanbin, text="已办。", version=hanbin.version, user=personas["county_a"])
    hanbin = instruction_reply_close(addressee=hanbin, version=hanbin.version, reviewer=personas["city_admin"])
    with pytest.raises(ValidationError, match="closed|办结|关闭"):
        instruction_reply(addressee=hanbin, text="补充。", version=hanbin.version, user=personas["county_a"])
    from reports.services import evidence_attach

    with pytest.raises(ValidationError):
        evidence_attach(record=hanbin, upload=pdf(), user=personas["county_a"])
    with pytest.raises(ValidationError):
        instruction_reply_return(addressee=hanbin, version=hanbin.version, reviewer=personas["city_admin"],
                                 comment="再看看")


def test_only_the_unit_replies_and_only_the_office_reviews(personas):
    instruction = addressed(personas)
    hanbin = unit_of(instruction, region=county("汉滨区"))
    for other in ("county_b", "co_officer", "leader", "city_admin"):
        with pytest.raises(PermissionDenied):
            instruction_reply(addressee=hanbin, text="x", version=hanbin.version, user=personas[other])
    with pytest.raises(ValidationError):  # a reply needs its text
        instruction_reply(addressee=hanbin, text=" ", version=hanbin.version, user=personas["county_a"])
    hanbin = instruction_reply(addressee=hanbin, text="已办。", version=hanbin.version, user=personas["county_a"])
    for other in ("leader", "county_a", "lead_officer"):
        with pytest.raises(PermissionDenied):
            instruction_reply_close(addressee=hanbin, version=hanbin.version, reviewer=personas[other])
    with pytest.raises(ValidationError):  # a stale version
        instruction_reply_close(addressee=hanbin, version=hanbin.version - 1, reviewer=personas["city_admin"])


def test_a_unit_sees_only_the_instructions_addressed_to_it(personas, client_for):
    instruction = addressed(personas)
    url = f"/reports/instructions/{instruction.pk}/"
    assert Instruction.objects.for_user(personas["county_a"]).count() == 1
    assert not Instruction.objects.for_user(personas["county_b"]).exists()
    assert client_for("county_b").get(url).status_code == 404
    page = client_for("county_a").get(url).content.decode()
    assert "请于月底前报送" in page and "汉滨区" in page and "市工信局" not in page  # only its own reply
    office = client_for("city_admin").get(url).content.decode()
    assert "汉滨区" in office and "市工信局" in office
    assert InstructionUnit.objects.for_user(personas["county_b"]).count() == 0
    listing = client_for("county_b").get("/reports/instructions/")
    assert listing.status_code == 200 and "请于月底前" not in listing.content.decode()
    assert "请于月底前" in client_for("county_a").get("/reports/instructions/").content.decode()


def test_the_pages_reply_with_evidence_return_and_close(personas, client_for):
    instruction = addressed(personas)
    url = f"/reports/instructions/{instruction.pk}/"
    hanbin = unit_of(instruction, region=county("汉滨区"))
    county_a = client_for("county_a")
    assert county_a.post(url, {"action": "reply", "reply": " ", "version": 1}).status_code == 400
    answer = county_a.post(url, {"action": "reply", "reply": "已办结调查。", "version": 1, "file": pdf()})
    assert answer.status_code == 302
    hanbin.refresh_from_db()
    assert hanbin.state == "replied" and hanbin.evidence.count() == 1
    evidence = hanbin.evidence.get()
    assert county_a.get(f"/reports/evidence/{evidence.pk}/").status_code == 200
    assert client_for("county_b").get(f"/reports/evidence/{evidence.pk}/").status_code == 404
    assert county_a.post(url, {"action": "close", "addressee": hanbin.pk, "version": 2}).status_code == 403
    office = client_for("city_admin")
    refused = office.post(url, {"action": "return", "addressee": hanbin.pk, "version": 2, "comment": ""})
    assert refused.status_code == 400
    assert office.post(url, {"action": "close", "addressee": hanbin.pk, "version": 2}).status_code == 302
    hanbin.refresh_from_db()
    assert hanbin.state == "closed"
    again = county_a.post(url, {"action": "reply", "reply": "补充", "version": hanbin.version})
    assert again.status_code == 400 and InstructionUnit.objects.get(pk=hanbin.pk).reply == "已办结调查。"


def test_overdue_instructions_are_listed_for_their_leader(personas, client_for):
    instruction = addressed(personas)
    hanbin = unit_of(instruction, region=county("汉滨区"))
    hanbin = instruction_reply(addressee=hanbin, text="已办。", version=hanbin.version, user=personas["county_a"])
    instruction_reply_close(addressee=hanbin, version=hanbin.version, reviewer=personas["city_admin"])
    closed = give(personas, units=[county("石泉县")])
    closed_unit = closed.addressees.get()
    closed_unit = instruction_reply(addressee=closed_unit, text="已办。", version=1, user=personas["county_b"])
    instruction_reply_close(addressee=closed_unit, version=closed_unit.version, reviewer=personas["city_admin"])
    late_day = DEADLINE + dt.timedelta(days=1)
    assert list(Instruction.objects.overdue_on(late_day)) == [instruction]  # 市工信局 has not replied
    assert not Instruction.objects.overdue_on(DEADLINE).exists()
    with mock.patch("django.utils.timezone.localdate", return_value=late_day):
        home = client_for("leader").get("/reports/my/", follow=True).content.decode()  # the leader's overview
    assert "逾期" in home and f"/reports/instructions/{instruction.pk}/" in home
    assert f"/reports/instructions/{closed.pk}/" not in home


@override_settings(INSTRUCTION_REMINDER_DAYS=3)
def test_reminder_before_the_deadline_then_overdue_once_each(personas):
    instruction = addressed(personas)
    hanbin = unit_of(instruction, region=county("汉滨区"))
    instruction_reply(addressee=hanbin, text="已办。", version=hanbin.version, user=personas["county_a"])
    instruction_reminders_send(today=DEADLINE - dt.timedelta(days=4))
    assert not Notification.objects.filter(key__startswith="supervision:due").exists()
    instruction_reminders_send(today=DEADLINE - dt.timedelta(days=3))
    instruction_reminders_send(today=DEADLINE - dt.timedelta(days=2))
    due = Notification.objects.filter(key__startswith="supervision:due")
    assert list(due.values_list("recipient__username", flat=True)) == [personas["lead_officer"].username]
    assert "到期" in due.get().title  # 汉滨区 replied: no reminder
    instruction_reminders_send(today=DEADLINE + dt.timedelta(days=1))
    instruction_reminders_send(today=DEADLINE + dt.timedelta(days=2))
    overdue = Notification.objects.filter(key__startswith="supervision:overdue")
    assert set(overdue.values_list("recipient__username", flat=True)) == {personas["leader"].username,
                                                                       personas["city_admin"].username}
    assert overdue.count() == 4  # 市工信局 and 汉滨区 (replied, not closed), to the leader and the office, once


def test_the_reminder_job_is_scheduled_each_morning():
    from django.conf import settings

    from reports.jobs import instruction_reminders_job

    entry = settings.CELERY_BEAT_SCHEDULE["reports-instruction-reminders"]
    assert entry["task"] == instruction_reminders_job.name == "reports.instruction_reminders"


def test_the_demo_holds_instructions_in_every_state(personas, settings, client_for):
    from seeding.demo.accounts import demo_accounts_seed
    from seeding.demo.supervision import demo_instructions_seed

    settings.DEMO_MODE = True
    users = {u.username: u for u in demo_accounts_seed()}
    assert demo_instructions_seed(users=users) == 5
    assert demo_instructions_seed(users=users) == 0  # once
    states = set(InstructionUnit.objects.values_list("state", flat=True))
    assert states == {"open", "replied", "returned", "closed"}
    from django.utils import timezone

    overdue = Instruction.objects.overdue_on(timezone.localdate())
    assert overdue.count() == 1 and overdue.get().author == users["demo_leader"]
    assert all(i.text.startswith("【演示】") for i in Instruction.objects.all())


def test_the_task_page_gives_an_instruction_to_the_units_ticked(personas, client_for):
    leader = client_for("leader")
    url = "/reports/tasks/6/2024Q3/"
    base = {"action": "instruct", "instruction": "请报送进展。"}
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        no_unit = leader.post(url, {**base, "deadline": "2026-12-10"})
        past = leader.post(url, {**base, "deadline": "2026-11-29", "counties": [county("汉滨区").pk]})
        assert no_unit.status_code == past.status_code == 400 and not Instruction.objects.exists()
        done = leader.post(url, {**base, "deadline": "2026-12-10", "counties": [county("汉滨区").pk],
                                 "departments": [Department.objects.get(name="市商务局").pk]})
    assert done.status_code == 302
    instruction = Instruction.objects.get()
    assert instruction.deadline == DEADLINE
    assert {a.unit.name for a in instruction.addressees.all()} == {"汉滨区", "市商务局"}
