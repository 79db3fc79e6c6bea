"""Reads of quarterly reporting that pages share."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from divisions.models import Region
from kernel.quarters import Quarter, quarters_q
from targets.models import Indicator, IndicatorValue, Snapshot
from tasks.models import Department, Plan, Responsibility, Task, TaskMeasure
from tasks.selectors import plan_as_of, plan_current_for_user

from . import access
from .models import CountyReturn, Instruction, ReportingPeriod, TaskMeasureFigure, TaskReport, TaskReportPart
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
    """Each unit whose return the user may see — the city's own and the counties' — with its return
    for the period (or none yet)."""
    returns = {county_return.region_id: county_return
               for county_return in CountyReturn.objects.for_user(user).filter(period=period)
               .select_related("updated_by", "submitted_by")}
    rows = []
    for county in CountyReturn.objects.units_for(user):
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
    for indicator in reported_indicators(county_return.region):
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
    mine = access.acting_department_ids(user)
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
                                       if task_id == task.pk and department_id in mine), (None, ""))
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
        return round(100 * self.submitted / self.expected, 2) if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return round(100 * self.on_time / self.expected, 2) if self.expected else None


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


def city_timeliness(*, user, period: ReportingPeriod) -> list[Timeliness]:
    """The city's own return (its statistics officer's, the city-only figures such as the surveyed
    unemployment rate) for the period, judged like a county's; empty for a user who does not see it."""
    rows = []
    for city in CountyReturn.objects.units_for(user).filter(level=Region.Level.CITY):
        row = Timeliness(city, expected=1)
        first = (CountyReturn.objects.filter(region=city, period=period)
                 .values_list("first_submitted_at", flat=True).first())
        if first:
            if _on_time(first, period.due_on):
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


# ---------------------------------------------------------------- task measures (任务指标)


@dataclass
class MeasureRollup:
    """One task measure's figures rolled up: the quarter's, each year's and the plan's, by its
    kind — a flow summed over quarters, a stock its latest quarter's value, a ratio its numerator's
    over its denominator's (each rolled up by its own kind) × 100; across units always summed."""

    measure: TaskMeasure
    quarters: dict[Quarter, Decimal] = field(default_factory=dict)  # every quarter with figures
    years: dict[int, Decimal | None] = field(default_factory=dict)
    total: Decimal | None = None  # over the plan (to the cut-off)
    quarter: Decimal | None = None  # the quarter asked for
    years_met: dict[int, bool] = field(default_factory=dict)  # a yearly target, per year
    met: bool | None = None  # the target over the plan (None: no target, or nothing reported)

    @property
    def target_text(self) -> str:
        m = self.measure
        if not m.has_target:
            return ""
        sign = "≥" if m.target_direction == TaskMeasure.Direction.AT_LEAST else "≤"
        value = f"{m.target_value.normalize():f}"
        if m.target_value_max is not None:
            value += f"–{m.target_value_max.normalize():f}"
        return f"{sign}{value}{m.unit}"


def _reach(measure: TaskMeasure, value: Decimal | None) -> bool | None:
    if value is None or not measure.has_target:
        return None
    if measure.target_direction == TaskMeasure.Direction.AT_MOST:
        return value <= measure.target_value
    return value >= measure.target_value


def _roll(kind: str, quarters: dict[Quarter, Decimal], keep) -> Decimal | None:
    chosen = sorted(q for q in quarters if keep(q))
    if not chosen:
        return None
    if kind == TaskMeasure.Kind.FLOW:
        return sum((quarters[q] for q in chosen), Decimal(0))
    return quarters[chosen[-1]]  # a stock: its latest value


def measure_rollups(*, plan: Plan, task: Task | None = None, upto: Quarter | None = None,
                    quarter: Quarter | None = None, approved_only: bool = True,
                    approved_as_of: datetime.datetime | None = None) -> list[MeasureRollup]:
    """The plan's task measures (or one task's) with their figures rolled up over the units, by
    quarter, by year and over the plan's window up to ``upto`` (default: the plan's last quarter).
    ``approved_only``: a quarter's figures count once the office has approved the task's report of
    that quarter (and a part's only if the part was submitted); otherwise every entered figure.
    ``approved_as_of``: only reports approved by then count (a final account's cut-off; a report
    approved later, or approved again after a return, is left out).
    The selector the task page, the task board, the pack and the final assessment read."""
    last = min(upto, plan.last_quarter) if upto else plan.last_quarter
    first = plan.first_quarter
    measures = list(TaskMeasure.objects.filter(task__plan=plan, **({"task": task} if task else {}))
                    .select_related("task", "numerator", "denominator").order_by("task__number", "order"))
    figures = TaskMeasureFigure.objects.filter(measure__in=[m for m in measures if m.is_entered]).filter(
        Q(part__isnull=True) | Q(part__state=TaskReportPart.State.SUBMITTED))
    if approved_only:
        approved = TaskReport.objects.filter(task=OuterRef("measure__task"), period=OuterRef("period"),
                                             state=TaskReport.State.APPROVED)
        if approved_as_of is not None:
            approved = approved.filter(reviewed_at__lte=approved_as_of)
        figures = figures.filter(Exists(approved))
    by_measure: dict[int, dict[Quarter, Decimal]] = defaultdict(dict)
    for measure_id, year, number, total in figures.order_by().values_list(
            "measure_id", "period__year", "period__quarter").annotate(total=Sum("value")):
        q = Quarter(year, number)
        if first <= q <= last:
            by_measure[measure_id][q] = total
    rollups = {m.pk: _rollup(m, by_measure.get(m.pk, {}), first, last, quarter) for m in measures if m.is_entered}
    read_from = [m for m in measures if m.indicator_code]
    if read_from:
        by_indicator = _indicator_quarters({m.indicator_code for m in read_from}, first, last, approved_only,
                                           approved_as_of)
        rollups |= {m.pk: _rollup(m, by_indicator.get(m.indicator_code, {}), first, last, quarter) for m in read_from}
    out = []
    for m in measures:
        if m.pk in rollups:
            out.append(rollups[m.pk])
        elif m.kind == TaskMeasure.Kind.RATIO:
            out.append(_ratio(m, rollups.get(m.numerator_id), rollups.get(m.denominator_id)))
        else:  # counted from other records (labour brands): listed, with its target, counted there
            out.append(MeasureRollup(m, years=dict.fromkeys(range(first.year, last.year + 1))))
    return out


def _indicator_quarters(codes: set[str], first: Quarter, last: Quarter, approved_only: bool,
                        approved_as_of: datetime.datetime | None) -> dict[str, dict[Quarter, Decimal]]:
    """The counties' figures of the plan indicators ``codes`` summed by quarter (a measure that reads
    an indicator the counties report, rather than asking the departments for it again): approved
    ones (by ``approved_as_of``), or every submitted or approved one."""
    values = IndicatorValue.objects.filter(indicator__code__in=codes, region__level=Region.Level.COUNTY,
                                           component__code="value").filter(quarters_q(first, last))
    if approved_only:
        values = values.filter(status=IndicatorValue.Status.APPROVED)
        if approved_as_of is not None:
            values = values.filter(approved_at__lte=approved_as_of)
    else:
        values = values.exclude(status=IndicatorValue.Status.DRAFT)
    out: dict[str, dict[Quarter, Decimal]] = defaultdict(dict)
    for code, year, number, total in values.order_by().values_list(
            "indicator__code", "year", "quarter").annotate(total=Sum("value")):
        out[code][Quarter(year, number)] = total
    return out


def _rollup(measure: TaskMeasure, quarters: dict[Quarter, Decimal], first: Quarter, last: Quarter,
            quarter: Quarter | None) -> MeasureRollup:
    r = MeasureRollup(measure, quarters=quarters)
    for year in range(first.year, last.year + 1):
        r.years[year] = _roll(measure.kind, quarters, lambda q, y=year: q.year == y)
    r.total = _roll(measure.kind, quarters, lambda q: True)
    r.quarter = quarters.get(quarter) if quarter else None
    _judge(r)
    return r


def _ratio(measure: TaskMeasure, numerator: MeasureRollup | None, denominator: MeasureRollup | None) -> MeasureRollup:
    r = MeasureRollup(measure)
    if numerator is None or denominator is None:
        return r
    r.years = dict.fromkeys(denominator.years)

    def rate(num, den):
        return (num / den * 100).quantize(Decimal("0.01")) if num is not None and den else None

    for q in denominator.quarters:
        value = rate(numerator.quarters.get(q), denominator.quarters[q])
        if value is not None:
            r.quarters[q] = value
    r.years = {year: rate(numerator.years.get(year), den) for year, den in denominator.years.items()}
    r.total = rate(numerator.total, denominator.total)
    r.quarter = rate(numerator.quarter, denominator.quarter)
    _judge(r)
    return r


def _judge(r: MeasureRollup) -> None:
    m = r.measure
    if not m.has_target or m.target_scope == TaskMeasure.Scope.PER_COUNTY:
        return
    if m.target_span == TaskMeasure.Span.YEAR:
        r.years_met = {year: _reach(m, value) for year, value in r.years.items() if value is not None}
        r.met = all(r.years_met.values()) if r.years_met else None
    else:
        r.met = _reach(m, r.total)


@dataclass
class MeasureEntry:
    """One unit's figure for one measure on a task's report page."""

    measure: TaskMeasure
    department: Department
    value: Decimal | None
    state: str  # the record it was entered in: draft, submitted… ("" if none)


def measure_entries(*, task: Task, period: ReportingPeriod) -> list[tuple[TaskMeasure, list[MeasureEntry], Decimal | None]]:
    """The task's measures for the quarter with each reporting unit's figure (entered or not) and
    the quarter's total over the units that entered one — what the lead compiles."""
    measures = [m for m in TaskMeasure.objects.filter(task=task).prefetch_related("reporting_units").order_by("order")
                if m.is_entered and (m.period == TaskMeasure.Period.QUARTER or period.quarter == 4)]
    figures = {(f.measure_id, f.department_id): f for f in TaskMeasureFigure.objects.filter(
        measure__in=measures, period=period).select_related("part", "report")}
    rows = []
    for m in measures:
        entries = []
        for unit in m.reporting_units.all():
            f = figures.get((m.pk, unit.pk))
            state = (f.part.state if f.part_id else f.report.state) if f else ""
            entries.append(MeasureEntry(m, unit, f.value if f else None, state))
        values = [e.value for e in entries if e.value is not None]
        rows.append((m, entries, sum(values, Decimal(0)) if values else None))
    return rows


@dataclass
class PartState:
    """A co-responsible unit's part of a task in one quarter: missing, draft or submitted."""

    department: Department
    part: TaskReportPart | None
    members: list[str] = field(default_factory=list)  # a group's members, each with its chain

    @property
    def state(self) -> str:
        return self.part.state if self.part else "missing"


def part_states(*, task: Task, period: ReportingPeriod) -> list[PartState]:
    """Every co-responsible unit of the task, in the document's order, with its part's state."""
    parts = {p.department_id: p for p in TaskReportPart.objects.filter(task=task, period=period).select_related(
        "department", "submitted_by", "returned_by", "filed_by_department")}
    return [PartState(duty.department, parts.get(duty.department_id),
                      duty.department.members_with_chains() if duty.department.kind == Department.Kind.GROUP else [])
            for duty in task.responsibilities.filter(role=Responsibility.Role.CO).select_related("department")
            .order_by("order")]


def measure_values_for_unit(*, measures: list[TaskMeasure], department, period: ReportingPeriod):
    """The measures a unit enters on a task's page, each with its figure for the quarter (or None)."""
    if not measures:
        return []
    values = dict(TaskMeasureFigure.objects.filter(measure__in=measures, period=period, department=department)
                  .values_list("measure_id", "value"))
    return [(m, values.get(m.pk)) for m in measures]


def overdue_instructions_of(*, user, today):
    """督办: the instructions ``user`` gave that are past their deadline and not closed for every
    unit, earliest deadline first (a leader's overview and 我的工作 list them)."""
    if not access.gives_instructions(user):
        return []
    return list(Instruction.objects.filter(author=user).overdue_on(today).select_related("task").order_by("deadline"))
