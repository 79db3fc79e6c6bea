"""Notifications (督办): in the platform, and by e-mail and text message for those who chose them
(reports/deliveries.py), each at most once per recipient and key."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from divisions.models import Region
from kernel.dates import date_text, quarter_text
from tasks.models import Department, Plan, Responsibility

from .deliveries import deliveries_queue
from .models import CountyReturn, InstructionUnit, Notification, ReportingPeriod, TaskReport, TaskReportPart

log = logging.getLogger(__name__)
DUE_SOON_DAYS = 3


def officers_of(*, region=None, department=None):
    """The active officers who answer for a county's (or the city's own) return or a department's
    reports (a group's: its members' officers, who file for it)."""
    if region is not None:
        return User.objects.filter(is_active=True, region=region, role_assignments__role__in=[
            Role.COUNTY_OFFICER, Role.CITY_STATS_OFFICER]).distinct()
    if department.kind == Department.Kind.GROUP:
        return User.objects.filter(is_active=True, department__in=department.members.all(),
                                   role_assignments__role=Role.DEPT_OFFICER)
    return User.objects.filter(is_active=True, department=department, role_assignments__role=Role.DEPT_OFFICER)


def city_admins():
    return User.objects.filter(is_active=True, role_assignments__role=Role.CITY_ADMIN)


def notify(*, users, kind: str, key: str, title: str, body: str = "", link: str = "") -> int:
    """Create the notification for each user who has not had this key yet, and queue its e-mail
    and text message (through the outbox, sent after the commit) to those who chose them
    (reports/deliveries.py). Returns how many were new."""
    new = []
    for user in set(users):
        notification, created = Notification.objects.get_or_create(
            recipient=user, key=key, defaults={"kind": kind, "title": title, "body": body, "link": link})
        if created:
            new.append(notification)
    deliveries_queue(new)
    return len(new)


def reminders_send(*, today: datetime.date | None = None) -> int:
    """Due-in-3-days and overdue reminders for the period being reported, to every unit that has
    not submitted. Safe to run any number of times a day: each reminder goes once."""

    today = today or timezone.localdate()
    sent = 0
    for period in ReportingPeriod.objects.filter(due_on__gte=today - datetime.timedelta(days=60),
                                                 due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)):
        if today > period.due_on:
            kind, title = Notification.Kind.OVERDUE, f"{quarter_text(period)}报送已逾期"
        elif (period.due_on - today).days <= DUE_SOON_DAYS:
            kind, title = Notification.Kind.DUE_SOON, f"{quarter_text(period)}报送将于{date_text(period.due_on)}截止"
        else:
            continue
        done = set(CountyReturn.objects.filter(period=period, first_submitted_at__isnull=False)
                   .values_list("region_id", flat=True))
        for county in Region.objects.counties().exclude(pk__in=done):
            sent += notify(users=officers_of(region=county), kind=kind, key=f"{kind}:{period.label}:return:{county.pk}",
                           title=f"{county.name}{title}（季度报表）",
                           link=reverse("reports:county-return", args=[county.code, period.label]))
        plan = Plan.objects.current(period.as_quarter.end)
        if plan is None:
            continue
        reported = set(TaskReport.objects.filter(period=period, first_submitted_at__isnull=False)
                       .values_list("task_id", flat=True))
        parts = set(TaskReportPart.objects.filter(period=period, first_submitted_at__isnull=False)
                    .values_list("task_id", "department_id"))
        for duty in Responsibility.objects.filter(task__plan=plan, task__kind="task").select_related("task",
                                                                                                     "department"):
            lead = duty.role == Responsibility.Role.LEAD
            owed = duty.task_id not in reported if lead else (duty.task_id, duty.department_id) not in parts
            if owed:
                what = "任务进展报告" if lead else "分报告"
                sent += notify(users=officers_of(department=duty.department), kind=kind,
                               key=f"{kind}:{period.label}:task{duty.task.number}:{duty.department_id}",
                               title=f"第{duty.task.number}项任务{what}{title}",
                               link=reverse("reports:task-report", args=[duty.task.number, period.label]))
    return sent


def instruction_reminders_send(*, today: datetime.date | None = None) -> int:
    """督办: a reminder to every addressed unit that has not replied (or whose reply was returned),
    ``settings.INSTRUCTION_REMINDER_DAYS`` days or fewer before the instruction's deadline, and one
    to the office and the leader on the first morning it is overdue. Each goes once."""
    today = today or timezone.localdate()
    days = settings.INSTRUCTION_REMINDER_DAYS
    sent = 0
    waiting = (InstructionUnit.objects.filter(state__in=(InstructionUnit.State.OPEN, InstructionUnit.State.RETURNED),
                                              instruction__deadline__gte=today,
                                              instruction__deadline__lte=today + datetime.timedelta(days=days))
               .select_related("instruction__task", "region", "department"))
    for addressee in waiting:
        instruction = addressee.instruction
        officers = (officers_of(region=addressee.region) if addressee.region_id
                    else officers_of(department=addressee.department))
        sent += notify(users=officers, kind=Notification.Kind.SUPERVISION,
                       key=f"supervision:due:{addressee.pk}",
                       title=f"第{instruction.task.number}项任务批示将于{instruction.deadline:%Y年%m月%d日}到期，请反馈办理情况",
                       body=instruction.text, link=reverse("reports:instruction", args=[instruction.pk]))
    late = (InstructionUnit.objects.filter(state__in=InstructionUnit.OPEN_STATES, instruction__deadline__lt=today)
            .select_related("instruction__task", "instruction__author", "region", "department"))
    for addressee in late:
        instruction = addressee.instruction
        sent += notify(users=[instruction.author, *city_admins()], kind=Notification.Kind.OVERDUE,
                       key=f"supervision:overdue:{addressee.pk}",
                       title=f"第{instruction.task.number}项任务批示已逾期：{addressee.unit}尚未办结",
                       body=instruction.text, link=reverse("reports:instruction", args=[instruction.pk]))
    return sent
