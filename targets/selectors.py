"""Reads of the targets engine that pages, the API and exports share."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Prefetch, Q, QuerySet

from accounts.scoping import unapproved_counties
from divisions.models import Region
from kernel.quarters import Quarter, quarters_q
from tasks.models import Plan, Responsibility, Section, Task

from .derived import derived_counting_note
from .models import COUNT_UNITS, Indicator, IndicatorValue, QuotaSet, Snapshot, Target


def snapshot_sources(*, snapshot: Snapshot, user) -> QuerySet[IndicatorValue]:
    """The approved values a snapshot was computed from, down to the unit and the person who
    submitted and approved each: a flow's whole window so far, otherwise the quarter itself."""
    indicator = snapshot.indicator
    values = IndicatorValue.objects.for_user(user).official().filter(indicator=indicator)
    if snapshot.region.level != Region.Level.CITY or indicator.kind == Indicator.Kind.CITY_ONLY:
        values = values.filter(region=snapshot.region)
    quarter = Quarter(snapshot.year, snapshot.quarter)
    if indicator.kind == Indicator.Kind.FLOW:
        start, end = snapshot_window(snapshot)
        quarter = min(quarter, Quarter.of_date(end))  # after its window a flow counts nothing more
        values = values.filter(quarters_q(Quarter.of_date(start), quarter))
    else:
        values = values.filter(year=quarter.year, quarter=quarter.number)
    return values.select_related("region", "component", "submitted_by", "approved_by").order_by(
        "region__code", "year", "quarter", "component__role")


def snapshot_window(snapshot: Snapshot):
    """The (start, end) dates a flow's snapshot accumulates over, in its plan."""
    from .rollup import window

    return window(snapshot.indicator, snapshot.target, snapshot.plan, Quarter(snapshot.year, snapshot.quarter))


@dataclass(frozen=True)
class QuotaCheck:
    """Whether a quota set adds up to its city target. Only amounts add up: a rate or a ceiling
    applies to each county as it stands, so there is nothing to sum."""

    applies: bool
    total: Decimal
    target: Decimal
    difference: Decimal  # total − target; negative: short of the target

    @property
    def adds_up(self) -> bool:
        return not self.applies or self.difference == 0


def quota_check(*, quota_set: QuotaSet) -> QuotaCheck:
    target = quota_set.target
    total = sum((q.value for q in quota_set.quotas.all()), Decimal(0))
    additive = target.indicator is not None and target.indicator.kind in (
        Indicator.Kind.FLOW, Indicator.Kind.STOCK, Indicator.Kind.DERIVED) and target.direction == "at_least" \
        and target.scope == Target.Scope.CITY
    return QuotaCheck(applies=additive, total=total, target=target.value, difference=total - target.value)


@dataclass
class TargetDetail:
    target: Target
    quarter: Quarter
    quarters: list[Quarter]
    city: Snapshot | None
    counties: list  # snapshots (or previews), each with .rank
    series: list  # the city's snapshots, quarter by quarter
    quota_set: QuotaSet | None
    quota_check: QuotaCheck | None
    include_unapproved: bool
    rule: str
    may_include_unapproved: bool = False  # whether the user may ask for the 含未审核数据 basis at all
    counting_note: str = ""
    outside: str = ""  # why there is no figure: the quarter asked for lies outside the plan's window


def outside_window_message(plan: Plan, quarter: Quarter) -> str:
    """What a page or the API says for a quarter outside a plan's window (never another plan's figure)."""
    from django.utils.translation import gettext as _

    return _("%(quarter)s is outside this plan's period (%(period)s): the plan has no figures for it.") % {
        "quarter": quarter.label, "period": plan.period_text}


def snapshot_quarters(*, plan: Plan, indicator: Indicator) -> list[Quarter]:
    """The quarters the roll-up has computed for ``plan``'s target on ``indicator`` (the city has a
    snapshot in each): read from the city's rows, so the cost does not grow with the number of units."""
    rows = (Snapshot.objects.filter(plan=plan, indicator=indicator, region__level=Region.Level.CITY)
            .values_list("year", "quarter").distinct().order_by("year", "quarter"))
    return [Quarter(y, q) for y, q in rows]


def latest_reported_quarter(*, plan: Plan, indicator: Indicator) -> Quarter | None:
    row = (Snapshot.objects.filter(plan=plan, indicator=indicator, region__level=Region.Level.CITY,
                                   units_reported__gt=0)
           .order_by("-year", "-quarter").values_list("year", "quarter").first())
    return Quarter(*row) if row else None


def target_detail(*, target: Target, user, quarter: Quarter | None, include_unapproved: bool = False) -> TargetDetail:
    """Everything the target page shows, for the target's own plan, in a fixed number of queries.
    A quarter outside the plan's window shows no figure, and says why (``outside``). With
    ``include_unapproved`` the figures count the unapproved values the user may read
    (``accounts.scoping.unapproved_counties``); who may read none is shown the official figures."""
    from django.utils.translation import get_language

    from .pace import RULES, RULES_EN, rule_for
    from .rollup import preview_including_unapproved

    indicator, plan = target.indicator, target.plan
    may_include_unapproved = bool(unapproved_counties(user))
    include_unapproved = include_unapproved and may_include_unapproved
    quarters = snapshot_quarters(plan=plan, indicator=indicator)
    outside = outside_window_message(plan, quarter) if quarter and not plan.covers(quarter) else ""
    quarter = quarter or latest_reported_quarter(plan=plan, indicator=indicator) or (quarters[-1] if quarters else None)
    # the city's series and the counties of one quarter: never every county of every quarter
    snapshots = Snapshot.objects.for_user(user).filter(plan=plan, indicator=indicator).filter(
        Q(region__level=Region.Level.CITY) | Q(region__level=Region.Level.COUNTY, year=quarter.year if quarter else 0,
                                                quarter=quarter.number if quarter else 0)).select_related("region")
    if include_unapproved:
        preview = preview_including_unapproved(indicator, plan, user=user)
        regions = {r.pk: r for r in Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.COUNTY])}
        rows = [PreviewSnapshot(region=regions[rid], year=y, quarter=q, **values)
                for (rid, y, q), values in preview.items() if rid in regions]
    else:
        rows = list(snapshots)
    at_quarter = [r for r in rows if quarter and (r.year, r.quarter) == (quarter.year, quarter.number)]
    city = next((r for r in at_quarter if r.region.level == Region.Level.CITY), None)
    counties = sorted((r for r in at_quarter if r.region.level == Region.Level.COUNTY), key=lambda r: r.region.code)
    _rank(counties, target.direction)
    series = sorted((r for r in rows if r.region.level == Region.Level.CITY), key=lambda r: (r.year, r.quarter))
    quota_set = target.quota_sets.prefetch_related("quotas").order_by("-version").first()
    return TargetDetail(target=target, quarter=quarter, quarters=quarters, city=city, counties=counties, series=series,
                        quota_set=quota_set, quota_check=quota_check(quota_set=quota_set) if quota_set else None,
                        include_unapproved=include_unapproved, outside=outside,
                        may_include_unapproved=may_include_unapproved,
                        rule=(RULES_EN if (get_language() or "").startswith("en") else RULES)[
                            rule_for(indicator.kind, indicator.direction)],
                        counting_note=derived_counting_note(indicator.code) if indicator.kind == Indicator.Kind.DERIVED else "")


@dataclass
class PreviewSnapshot:
    """A snapshot computed on the fly (含未审核数据), never stored."""

    region: Region
    year: int
    quarter: int
    target_id: int | None = None
    period_value: Decimal | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    target_value: Decimal | None = None
    percent_achieved: Decimal | None = None
    percent_time_elapsed: Decimal | None = None
    expected_to_date: Decimal | None = None
    status: str = "none"
    status_reason: str = ""
    projected_end_value: Decimal | None = None
    required_run_rate: Decimal | None = None
    units_reported: int = 0
    units_expected: int = 0
    data_as_of: object = None
    rank: int | None = None

    @property
    def quarter_label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    def get_status_display(self) -> str:
        return str(dict(Snapshot.Status.choices)[self.status])


def ranked(rows, direction: str, *, percent=lambda r: r.percent_achieved, value=lambda r: r.value) -> list:
    """``rows`` in ranking order: by % achieved (highest first) for amounts and floors, by value
    (lowest first) for ceilings and must-reach-zero figures; rows without data are left out.
    ``percent``/``value`` read a row (snapshots by default; any row shape will do)."""
    if direction == "at_least":
        return sorted((r for r in rows if percent(r) is not None), key=lambda r: -percent(r))
    return sorted((r for r in rows if value(r) is not None), key=value)


def _rank(rows: list, direction: str) -> None:
    """Rank counties (``rows``: snapshots) in place, ``rank`` 1…n; counties without data get none."""
    order = ranked(rows, direction)
    for r in rows:
        r.rank = None
    for i, r in enumerate(order, start=1):
        r.rank = i


def targets_overview(*, plan, user) -> list[tuple[Target, Snapshot | None]]:
    """Each of the plan's targets with the plan's city snapshot for the latest quarter anyone reported in."""
    targets = list(Target.objects.for_user(user).filter(plan=plan).select_related("indicator", "task").order_by("order"))
    latest: dict[int, Snapshot] = {}
    city_snaps = (Snapshot.objects.for_user(user).filter(plan=plan, region__level=Region.Level.CITY,
                                                         units_reported__gt=0,
                                                         indicator__in=[t.indicator_id for t in targets])
                  .order_by("indicator_id", "-year", "-quarter"))
    for s in city_snaps:
        latest.setdefault(s.indicator_id, s)
    return [(t, latest.get(t.indicator_id)) for t in targets]


class RuleIndicator(NamedTuple):
    """What the hard rules (``services.figures_validate``) read of an indicator, without a model
    instance: a bulk save checks thousands."""

    id: int
    code: str
    name: str
    kind: str
    reported_by: str
    numerator_within_denominator: bool

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True)
class RuleCatalogue:
    indicators: dict[str, RuleIndicator]  # code → indicator
    components: dict[str, dict[str, tuple[int, str]]]  # indicator code → component code → (id, role)
    # indicator code → component code → unit, for the components that are counts (whole numbers)
    counts: dict[str, dict[str, str]] = field(default_factory=dict)


def rule_catalogue(*, reported_by: str | None = None) -> RuleCatalogue:
    """The indicator catalogue as the rules need it, in one query of plain rows (all of it, or the
    indicators one kind of unit reports): each indicator joined to its components (an indicator
    without any: one row of nulls). The catalogue is small and changes only by a load."""
    indicators = Indicator.objects.all() if reported_by is None else Indicator.objects.filter(reported_by=reported_by)
    by_code: dict[str, RuleIndicator] = {}
    components: dict[str, dict[str, tuple[int, str]]] = {}
    counts: dict[str, dict[str, str]] = {}
    width = len(RuleIndicator._fields)
    for row in indicators.order_by().values_list(*RuleIndicator._fields, "components__id", "components__code",
                                                 "components__role", "components__unit"):
        code = row[1]
        if code not in by_code:
            by_code[code] = RuleIndicator(*row[:width])
            components[code], counts[code] = {}, {}
        pk, component, role, unit = row[width:]
        if pk is not None:
            components[code][component] = (pk, role)
            if unit in COUNT_UNITS:
                counts[code][component] = unit
    return RuleCatalogue(indicators=by_code, components=components, counts=counts)


# ---------------------------------------------------------------- the plan page


@dataclass
class SectionView:
    section: Section
    tasks: list[Task]


@dataclass
class PlanOverview:
    plan: Plan
    parts: list[tuple[Section, list[SectionView]]]  # top-level parts with their subsections
    main_targets: list[Target]
    task_targets: list[Target]
    tasks: list[Task]

    @property
    def task_count(self) -> int:
        return sum(t.kind == Task.Kind.TASK for t in self.tasks)

    @property
    def requirement_count(self) -> int:
        return sum(t.kind == Task.Kind.REQUIREMENT for t in self.tasks)


def plan_overview(*, plan: Plan) -> PlanOverview:
    """The whole plan for its page, in a fixed number of queries whatever its size."""
    sections = list(plan.sections.order_by("order"))
    tasks = list(
        Task.objects.filter(plan=plan).order_by("number").prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("department").order_by("order")),
        )
    )
    by_section: dict[int, list[Task]] = {}
    for t in tasks:
        by_section.setdefault(t.section_id, []).append(t)
    parts = []
    for top in (s for s in sections if s.parent_id is None):
        children = [s for s in sections if s.parent_id == top.pk]
        views = [SectionView(c, by_section.get(c.pk, [])) for c in children] or [SectionView(top, by_section.get(top.pk, []))]
        parts.append((top, views))
    targets = list(Target.objects.filter(plan=plan).select_related("task").order_by("order"))
    return PlanOverview(
        plan=plan, parts=parts, tasks=tasks,
        main_targets=[t for t in targets if t.category == Target.Category.MAIN],
        task_targets=[t for t in targets if t.category == Target.Category.TASK],
    )
