"""Reads of quarterly reporting that pages share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from divisions.models import Region
from kernel.quarters import Quarter, quarters_q
from targets.models import Indicator, IndicatorValue, Snapshot
from tasks.models import Department, Plan, Responsibility, Task
from tasks.selectors import plan_as_of, plan_current_for_user

from . import access
from .models import CountyReturn, Instruction, ReportingPeriod, TaskReport, TaskReportPart
from .services import reported_indicators, return_values


def period_for_label(label: str | None) -> ReportingPeriod | None:
    """The period a label such as "2024Q3" names, or None for a malformed or unknown label."""
    try:
        quarter = Quarter.parse(label or "")
    except ValueError:
        return None
    return ReportingPeriod.objects.filter(year=quarter.year, quarter=quarter.number).first()


def periods_near(year: int, today: datetime.date):
    """The periods a page's period menu offers: the latest eight from the year before ``year`` on,
    up to the quarter running ``today`` (periods further ahead are announced, not yet reported)."""
    return (ReportingPeriod.objects.filter(quarters_q(None, Quarter.of_date(today)), year__gte=year - 1)
            .order_by("-year", "-quarter")[:8])


def period_as_of(*, user, today: datetime.date) -> ReportingPeriod | None:
    """The period a reporting page opens on: the quarter of tasks.selectors.plan_as_of for the
    user's current plan (the last one due, capped at the plan's end), the one rule every page uses."""
    quarter = plan_as_of(plan_current_for_user(user), today)
    return ReportingPeriod.objects.filter(year=quarter.year, quarter=quarter.number).first()


@dataclass
class ReturnRow:
    region: Region
    county_return: CountyReturn | None
    overdue: bool


def returns_board(*, user, period: ReportingPeriod, today: datetime.date) -> list[ReturnRow]:
    """Each county whose return the user may see, with its return for the period (or none yet)."""
    returns = {county_return.region_id: county_return
               for county_return in CountyReturn.objects.for_user(user).filter(period=period)
               .select_related("updated_by", "submitted_by")}
    rows = []
    for county in CountyReturn.objects.counties_for(user):
        county_return = returns.get(county.pk)
        submitted = county_return is not None and not county_return.is_editable_state
        rows.append(ReturnRow(county, county_return, overdue=not submitted and today > period.due_on))
    return rows


def returns_waiting(*, user, period: ReportingPeriod):
    """Returns of other periods still waiting for the user: for those who see every county, the
    ones submitted for review; for a county, its own drafts and returned ones."""
    states = ([CountyReturn.State.SUBMITTED, CountyReturn.State.RESUBMITTED] if access.sees_every_unit(user)
              else [CountyReturn.State.RETURNED, CountyReturn.State.DRAFT])
    return (CountyReturn.objects.for_user(user).filter(state__in=states).exclude(period=period)
            .select_related("region", "period").order_by("-period__year", "-period__quarter", "region__code"))


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
        components = [(component, current.get(indicator.code, {}).get(component.code),
                       previous.get((indicator.code, component.code)))
                      for component in indicator.components.all()]
        lines.append(FormLine(indicator, components, cumulative.get(indicator.code)))
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
    tasks = list(Task.objects.for_user(user).filter(plan=plan, kind=Task.Kind.TASK).order_by("number")
                 .prefetch_related(Prefetch("responsibilities",
                                            queryset=Responsibility.objects.select_related("department"))))
    mine = access.own_department_id(user)
    if not access.sees_every_unit(user):
        tasks = [task for task in tasks if access.role_in_task(user, task.responsibilities.all())]
    reports = {report.task_id: report
               for report in TaskReport.objects.for_user(user).filter(period=period, task__in=tasks)}
    parts = list(TaskReportPart.objects.filter(period=period, task__in=tasks).values_list(
        "task_id", "department_id", "state", "pk"))
    rows = []
    for task in tasks:
        duties = list(task.responsibilities.all())
        lead = next(duty.department for duty in duties if duty.role == Responsibility.Role.LEAD)
        co_ids = {duty.department_id for duty in duties if duty.role == Responsibility.Role.CO}
        submitted = sum(1 for task_id, department_id, state, _pk in parts
                        if task_id == task.pk and department_id in co_ids
                        and state == TaskReportPart.State.SUBMITTED)
        my_role = access.role_in_task(user, duties)
        my_part, my_part_state = next(((pk, state) for task_id, department_id, state, pk in parts
                                       if task_id == task.pk and mine and department_id == mine), (None, ""))
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
    return timezone.localdate(first_submitted_at) <= due_on  # the deadline is a local date


def county_timeliness(*, user, period: ReportingPeriod) -> list[Timeliness]:
    """Per county: its return for the period, judged by its first submission against the due date."""
    returns = {county_return.region_id: county_return
               for county_return in CountyReturn.objects.for_user(user).filter(period=period)}
    rows = []
    for county in CountyReturn.objects.counties_for(user):
        row = Timeliness(county, expected=1)
        county_return = returns.get(county.pk)
        if county_return is not None and county_return.first_submitted_at:
            if _on_time(county_return.first_submitted_at, period.due_on):
                row.on_time += 1
            else:
                row.late += 1
        rows.append(row)
    return rows


def department_reporting(*, tasks, period: ReportingPeriod, card=None) -> tuple[dict[int, Timeliness], list]:
    """Per department (by id): the task reports of ``tasks`` it leads and the parts it owes as a
    co-responsible unit in ``period``, on time or late; ``card`` is the row class (Timeliness or a
    subclass). Also returns the duties read, (task id, department id, role). Four queries."""
    card = card or Timeliness
    duties = list(Responsibility.objects.filter(task__in=tasks).values_list("task_id", "department_id", "role"))
    reports = dict(TaskReport.objects.filter(period=period, task__in=tasks).values_list("task_id", "first_submitted_at"))
    parts = {(task_id, department_id): first
             for task_id, department_id, first in TaskReportPart.objects.filter(period=period, task__in=tasks)
             .values_list("task_id", "department_id", "first_submitted_at")}
    departments = Department.objects.in_bulk({department_id for _task, department_id, _role in duties})
    cards: dict[int, Timeliness] = {}
    for task_id, dept_id, role in duties:
        row = cards.setdefault(dept_id, card(departments[dept_id]))
        row.expected += 1
        first = reports.get(task_id) if role == Responsibility.Role.LEAD else parts.get((task_id, dept_id))
        if first:
            if _on_time(first, period.due_on):
                row.on_time += 1
            else:
                row.late += 1
    return cards, duties


def department_timeliness(*, user, plan, period: ReportingPeriod) -> list[Timeliness]:
    """Per department: the task reports it leads and the parts it owes as a co-responsible unit."""
    if not access.can_see_task_reports(user):
        return []
    tasks = Task.objects.for_user(user).filter(plan=plan, kind=Task.Kind.TASK)
    cards, _duties = department_reporting(tasks=tasks, period=period)
    rows = sorted(cards.values(), key=lambda card: card.unit.order)
    if not access.sees_every_unit(user):
        rows = [card for card in rows if card.unit.pk == access.own_department_id(user)]
    return rows


def timeliness_total(rows: list[Timeliness]) -> Timeliness:
    """The total row of a timeliness table."""
    total = Timeliness(None)
    for row in rows:
        total.expected += row.expected
        total.on_time += row.on_time
        total.late += row.late
    return total


def overdue_instructions_of(*, user, today):
    """督办: the instructions ``user`` gave that are past their deadline and not closed for every
    unit, earliest deadline first (a leader's overview and 我的工作 list them)."""
    if not access.gives_instructions(user):
        return []
    return list(Instruction.objects.filter(author=user).overdue_on(today).select_related("task").order_by("deadline"))
