"""Reads of quarterly reporting that pages share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from divisions.models import Region
from kernel.quarters import Quarter
from targets.models import Indicator, IndicatorValue, Snapshot
from tasks.models import Plan

from .models import CountyReturn, ReportingPeriod
from .services import reported_indicators, return_values


def period_current(today: datetime.date) -> ReportingPeriod | None:
    """The period counties are working on: the last quarter that has ended, while its entry is
    open; otherwise the quarter in progress."""
    last = Quarter.of_date(today).previous()
    period = ReportingPeriod.objects.filter(year=last.year, quarter=last.number).first()
    if period and today <= period.locks_after:
        return period
    now = Quarter.of_date(today)
    return ReportingPeriod.objects.filter(year=now.year, quarter=now.number).first() or period


@dataclass
class ReturnRow:
    region: Region
    county_return: CountyReturn | None
    overdue: bool


def returns_board(*, user, period: ReportingPeriod, today: datetime.date) -> list[ReturnRow]:
    """Each county whose return the user may see, with its return for the period (or none yet)."""
    returns = {r.region_id: r for r in CountyReturn.objects.for_user(user).filter(period=period)
               .select_related("updated_by", "submitted_by")}
    rows = []
    for county in CountyReturn.objects.counties_for(user):
        r = returns.get(county.pk)
        submitted = r is not None and r.state not in (CountyReturn.State.DRAFT, CountyReturn.State.RETURNED)
        rows.append(ReturnRow(county, r, overdue=not submitted and today > period.due_on))
    return rows


@dataclass
class FormLine:
    indicator: Indicator
    components: list  # (component, current value row or None, last quarter's value)
    cumulative: object  # the approved cumulative to last quarter in the plan, for flows


def return_form(*, county_return: CountyReturn) -> list[FormLine]:
    """Each reported indicator with this quarter's figures, last quarter's, and the cumulative."""
    current = return_values(county_return)
    previous_q = county_return.period.as_quarter.previous()
    previous = {}
    for row in IndicatorValue.objects.filter(region=county_return.region, year=previous_q.year,
                                             quarter=previous_q.number).select_related("indicator", "component"):
        previous[(row.indicator.code, row.component.code)] = row.value
    # the cumulative of the plan the quarter reports for (none in a plan's first quarter)
    plan = Plan.objects.current(county_return.period.as_quarter.end)
    cumulative = dict(Snapshot.objects.filter(plan=plan, region=county_return.region, year=previous_q.year,
                                              quarter=previous_q.number, indicator__kind=Indicator.Kind.FLOW)
                      .values_list("indicator__code", "value")) if plan else {}
    lines = []
    for indicator in reported_indicators():
        comps = [(c, current.get(indicator.code, {}).get(c.code), previous.get((indicator.code, c.code)))
                 for c in indicator.components.all()]
        lines.append(FormLine(indicator, comps, cumulative.get(indicator.code)))
    return lines



@dataclass
class TaskRow:
    task: object
    lead: object
    report: object  # TaskReport or None
    parts_submitted: int
    parts_expected: int
    my_part: object  # for a co-responsible department: its part's id (or None)
    my_role: str  # "lead" | "co" | ""
    my_part_state: str = ""


def task_board(*, user, plan, period: ReportingPeriod) -> list[TaskRow]:
    """The plan's 19 tasks as the user sees them for one period: report state, parts in, own part."""
    from tasks.models import Responsibility, Task

    from .models import TaskReport, TaskReportPart

    tasks = list(Task.objects.for_user(user).filter(plan=plan, kind=Task.Kind.TASK).order_by("number")
                 .prefetch_related(Prefetch("responsibilities",
                                            queryset=Responsibility.objects.select_related("department"))))
    mine = getattr(user, "department_id", None) if user.has_role("dept_officer") else None
    if not (user.is_superuser or user.has_role("city_admin", "leader")):
        tasks = [t for t in tasks if any(r.department_id == mine for r in t.responsibilities.all())]
    reports = {r.task_id: r for r in TaskReport.objects.for_user(user).filter(period=period, task__in=tasks)}
    parts = list(TaskReportPart.objects.filter(period=period, task__in=tasks).values_list(
        "task_id", "department_id", "state", "pk"))
    rows = []
    for task in tasks:
        resp = list(task.responsibilities.all())
        lead = next(r.department for r in resp if r.role == "lead")
        co_ids = {r.department_id for r in resp if r.role == "co"}
        submitted = sum(1 for t, d, s, _ in parts if t == task.pk and d in co_ids and s == "submitted")
        my_role = next((r.role for r in resp if r.department_id == mine), "") if mine else ""
        my_part, my_part_state = next(((pk, s) for t, d, s, pk in parts if t == task.pk and d == mine), (None, ""))
        rows.append(TaskRow(task, lead, reports.get(task.pk), submitted, len(co_ids), my_part, my_role, my_part_state))
    return rows


@dataclass
class Timeliness:
    """One unit's reporting in one period: what was due, what came in, on time or late."""

    unit: object
    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def completeness(self) -> float | None:
        return round(100 * self.submitted / self.expected, 1) if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


def _on_time(first_submitted_at, due_on) -> bool:
    from django.utils import timezone

    return timezone.localdate(first_submitted_at) <= due_on  # the deadline is a local date


def county_timeliness(*, user, period: ReportingPeriod) -> list[Timeliness]:
    """Per county: its return for the period, judged by its first submission against the due date."""
    returns = {r.region_id: r for r in CountyReturn.objects.for_user(user).filter(period=period)}
    rows = []
    for county in CountyReturn.objects.counties_for(user):
        t = Timeliness(county, expected=1)
        r = returns.get(county.pk)
        if r is not None and r.first_submitted_at:
            if _on_time(r.first_submitted_at, period.due_on):
                t.on_time += 1
            else:
                t.late += 1
        rows.append(t)
    return rows


def department_reporting(*, tasks, period: ReportingPeriod, card=None) -> tuple[dict[int, Timeliness], list]:
    """Per department (by id): the task reports of ``tasks`` it leads and the parts it owes as a
    co-responsible unit in ``period``, on time or late; ``card`` is the row class (Timeliness or a
    subclass). Also returns the duties read, (task id, department id, role). Four queries."""
    from tasks.models import Department, Responsibility

    from .models import TaskReport, TaskReportPart

    card = card or Timeliness
    duties = list(Responsibility.objects.filter(task__in=tasks).values_list("task_id", "department_id", "role"))
    reports = dict(TaskReport.objects.filter(period=period, task__in=tasks).values_list("task_id", "first_submitted_at"))
    parts = {(t, d): first for t, d, first in TaskReportPart.objects.filter(period=period, task__in=tasks)
             .values_list("task_id", "department_id", "first_submitted_at")}
    departments = Department.objects.in_bulk({d for _, d, _ in duties})
    cards: dict[int, Timeliness] = {}
    for task_id, dept_id, role in duties:
        row = cards.setdefault(dept_id, card(departments[dept_id]))
        row.expected += 1
        first = reports.get(task_id) if role == "lead" else parts.get((task_id, dept_id))
        if first:
            if _on_time(first, period.due_on):
                row.on_time += 1
            else:
                row.late += 1
    return cards, duties


def department_timeliness(*, user, plan, period: ReportingPeriod) -> list[Timeliness]:
    """Per department: the task reports it leads and the parts it owes as a co-responsible unit."""
    from tasks.models import Task

    if not (user.is_superuser or user.has_role("city_admin", "leader", "dept_officer")):
        return []
    tasks = Task.objects.for_user(user).filter(plan=plan, kind=Task.Kind.TASK)
    cards, _duties = department_reporting(tasks=tasks, period=period)
    rows = sorted(cards.values(), key=lambda t: t.unit.order)
    if not (user.is_superuser or user.has_role("city_admin", "leader")):
        rows = [t for t in rows if t.unit.pk == user.department_id]
    return rows
