"""Reads behind the leadership dashboards. They read one plan's snapshots (computed by the
roll-up) and the reporting records; they never recompute a figure. Each function runs a fixed number of queries,
however many counties, villages and quarters there are (tests/dashboards/test_pages.py asserts it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.db.models import Count, Prefetch, Q, Subquery

from accounts.roles import Role
from accounts.scoping import can_read_plan, officer_county_id, sees_whole_city
from communities.models import Certification, Tier
from divisions.models import Region
from kernel.quarters import Quarter, quarters_q
from reports.access import can_see_task_reports, sees_every_unit
from reports.models import CountyReturn, Instruction, InstructionUnit, ReportingPeriod, ReviewState, TaskReport
from reports.selectors import Timeliness, _on_time, department_reporting
from targets.models import Indicator, Quota, Snapshot, Target
from targets.scoring import Scored, competition_ranks, goal_of, score_figure, total_percent
from targets.selectors import ranked
from tasks.models import Plan, Responsibility, Task

from .caching import per_generation

SUBMITTED_STATES = (ReviewState.SUBMITTED, ReviewState.RESUBMITTED, ReviewState.APPROVED)


# ---------------------------------------------------------------- who sees which county


def sees_every_county(user) -> bool:
    """The office, leaders and departments see every county's detail; a county officer only
    their own (the city-wide figures, rankings included, are every plan reader's)."""
    return can_read_plan(user) and (sees_whole_city(user) or user.has_role(Role.DEPT_OFFICER))


def counties_for(user):
    """The counties whose detail page ``user`` may open, in code order."""
    counties = Region.objects.for_user(user).counties().order_by("code")
    if sees_every_county(user):
        return counties
    county_id = officer_county_id(user)
    return counties.filter(pk=county_id) if county_id else counties.none()


# ---------------------------------------------------------------- helpers


def _main_targets(user, plan: Plan) -> list[Target]:
    return list(Target.objects.for_user(user).filter(plan=plan, category=Target.Category.MAIN, indicator__isnull=False)
                .select_related("indicator").order_by("order"))


def _latest_quarters(user, plan: Plan, indicator_ids, as_of: Quarter | None = None) -> dict[int, Quarter]:
    """Per indicator: the latest quarter of the plan's figures anyone reported in (the plan's city
    snapshot has data), up to ``as_of`` (the quarter the page opens on) if given."""
    # the city's row by id (one scalar subquery, an index lookup), not by joining every region's
    # snapshots to their level: the latter grows with the number of counties
    city = Subquery(Region.objects.filter(level=Region.Level.CITY).values("pk")[:1])
    rows = (Snapshot.objects.for_user(user).filter(quarters_q(None, as_of), plan=plan, region_id=city,
                                                   units_reported__gt=0, indicator__in=indicator_ids)
            .values("indicator_id").annotate(year=_max("year")).values_list("indicator_id", "year"))
    latest_year = dict(rows)
    if not latest_year:
        return {}
    q = Q()
    for ind, year in latest_year.items():
        q |= Q(indicator_id=ind, year=year)
    rows = (Snapshot.objects.for_user(user).filter(q, quarters_q(None, as_of), plan=plan, region_id=city,
                                                   units_reported__gt=0)
            .values("indicator_id", "year").annotate(quarter=_max("quarter"))
            .values_list("indicator_id", "year", "quarter"))
    return {ind: Quarter(y, n) for ind, y, n in rows}


def _max(name):
    from django.db.models import Max

    return Max(name)


def _snapshots_at(user, plan: Plan, latest: dict[int, Quarter], level: str | None, region=None) -> list[Snapshot]:
    """Each indicator's snapshots of the plan at its own latest quarter, for one level (or one region)."""
    if not latest:
        return []
    q = Q()
    for ind, quarter in latest.items():
        q |= Q(indicator_id=ind, year=quarter.year, quarter=quarter.number)
    qs = Snapshot.objects.for_user(user).filter(q, plan=plan).select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    else:
        qs = qs.filter(region__level__in=[level] if level else [Region.Level.CITY, Region.Level.COUNTY])
    return list(qs.order_by("indicator_id", "region__code"))


def _latest_quotas(target_ids, region=None) -> dict[tuple[int, int], Decimal]:
    """(target id, county id) → the quota of the newest issue of each target's split."""
    qs = Quota.objects.filter(quota_set__target__in=target_ids)
    if region is not None:
        qs = qs.filter(region=region)
    newest: dict[int, int] = {}
    out: dict[tuple[int, int, int], Decimal] = {}
    for target_id, version, region_id, value in qs.values_list("quota_set__target_id", "quota_set__version",
                                                                "region_id", "value"):
        newest[target_id] = max(newest.get(target_id, 0), version)
        out[(target_id, region_id, version)] = value
    return {(t, r): v for (t, r, ver), v in out.items() if newest[t] == ver}


def plan_progress(plan: Plan, today: datetime.date) -> dict:
    total = (plan.period_end - plan.period_start).days or 1
    elapsed = min(max((today - plan.period_start).days, 0), total)
    return {"start": plan.period_start, "end": plan.period_end, "today": today,
            "percent": round(100 * elapsed / total, 2), "days_left": max((plan.period_end - today).days, 0)}


# ---------------------------------------------------------------- 1. city overview


@dataclass
class TargetCard:
    target: Target
    snapshot: Snapshot | None
    series: list[Snapshot]


@dataclass
class Overview:
    plan: Plan
    cards: list[TargetCard]
    progress: dict
    next_period: ReportingPeriod | None
    overdue_period: ReportingPeriod | None
    overdue_returns: int
    overdue_task_reports: int
    as_of: datetime.datetime | None


def _target_cards(user, plan: Plan, as_of: Quarter | None) -> list[TargetCard]:
    """One card per main target: the city's latest snapshot up to ``as_of`` (the quarter the page
    opens on) and its quarterly series (cached per roll-up generation: snapshots change only when a
    roll-up runs)."""
    targets = _main_targets(user, plan)
    city_snaps = list(Snapshot.objects.for_user(user).filter(quarters_q(None, as_of), plan=plan,
                                                             region__level=Region.Level.CITY,
                                                             indicator__in=[t.indicator_id for t in targets])
                      .order_by("indicator_id", "year", "quarter"))
    by_indicator: dict[int, list[Snapshot]] = {}
    for s in city_snaps:
        by_indicator.setdefault(s.indicator_id, []).append(s)
    cards = []
    for t in targets:
        snaps = by_indicator.get(t.indicator_id, [])
        latest = next((s for s in reversed(snaps) if s.units_reported > 0), None)
        # the trend up to the last quarter anyone reported in (later quarters only carry flows forward)
        series = [s for s in snaps if latest and (s.year, s.quarter) <= (latest.year, latest.quarter)]
        cards.append(TargetCard(t, latest, series))
    return cards


def city_overview(*, user, plan: Plan, today: datetime.date, as_of: Quarter | None = None) -> Overview:
    """One card per main target with the city's latest snapshot up to ``as_of`` (the quarter the
    page opens on) and its quarterly series; the plan's timeline; the next deadline and what is
    overdue for the last period that fell due."""
    cards = per_generation("overview-cards", user=user, plan=plan, parts=(as_of.label if as_of else "",),
                           compute=lambda: _target_cards(user, plan, as_of))
    next_period = ReportingPeriod.objects.filter(due_on__gte=today).order_by("due_on").first()
    overdue_period = ReportingPeriod.objects.filter(due_on__lt=today).order_by("-due_on").first()
    overdue_returns = overdue_reports = 0
    if overdue_period is not None:
        counties = list(CountyReturn.objects.counties_for(user).values_list("pk", flat=True))
        done = CountyReturn.objects.for_user(user).filter(period=overdue_period, region__in=counties,
                                                          state__in=SUBMITTED_STATES).count()
        overdue_returns = len(counties) - done
        if can_see_task_reports(user):
            agg = Task.objects.for_user(user).filter(plan=plan, kind=Task.Kind.TASK).aggregate(
                total=Count("pk", distinct=True),
                done=Count("reports", filter=Q(reports__period=overdue_period,
                                               reports__state__in=SUBMITTED_STATES), distinct=True))
            overdue_reports = agg["total"] - agg["done"]
    as_of = max((c.snapshot.data_as_of for c in cards if c.snapshot and c.snapshot.data_as_of), default=None)
    return Overview(plan, cards, plan_progress(plan, today), next_period, overdue_period, overdue_returns,
                    overdue_reports, as_of)


# ---------------------------------------------------------------- 3. county page


@dataclass
class CountyTargetRow:
    target: Target
    snapshot: Snapshot | None
    quota: Decimal | None
    rank: int | None
    ranked_of: int


@dataclass
class TownRow:
    town: Region
    villages: int
    communities: int
    certified: dict[int, int] = field(default_factory=dict)  # tier rank → communities counted toward it
    counts: list[int] = field(default_factory=list)  # the same, in the page's tier order


@dataclass
class CountyPage:
    county: Region
    rows: list[CountyTargetRow]
    returns: list[CountyReturn]
    tiers: list[Tier]
    towns: list[TownRow]
    mean_rank: float | None


def _county_rows(user, plan: Plan, county: Region,
                 as_of: Quarter | None) -> tuple[list[CountyTargetRow], float | None]:
    """A county's targets: its snapshot, quota and rank among counties at the latest quarter up to
    ``as_of``, and its mean rank (cached per roll-up generation)."""
    targets = _main_targets(user, plan)
    latest = _latest_quarters(user, plan, [t.indicator_id for t in targets], as_of)
    # the county's own snapshots as objects; its peers only as the two numbers ranking needs, so
    # the page does not build a snapshot per county of the province
    own = {snap.indicator_id: snap for snap in _snapshots_at(user, plan, latest, None, region=county)}
    peers: dict[int, list[tuple[int, Decimal | None, Decimal | None]]] = {}
    if latest:
        q = Q()
        for ind, quarter in latest.items():
            q |= Q(indicator_id=ind, year=quarter.year, quarter=quarter.number)
        for ind, region_id, percent, value in (
                Snapshot.objects.for_user(user).filter(q, plan=plan, region__level=Region.Level.COUNTY)
                .order_by("region__code").values_list("indicator_id", "region_id", "percent_achieved", "value")):
            peers.setdefault(ind, []).append((region_id, percent, value))
    quotas = _latest_quotas([t.pk for t in targets], region=county)
    rows, ranks = [], []
    for t in targets:
        order = ranked(peers.get(t.indicator_id, []), t.direction, percent=itemgetter(1), value=itemgetter(2))
        rank = next((i for i, p in enumerate(order, start=1) if p[0] == county.pk), None)
        mine = own.get(t.indicator_id)
        if mine is not None:
            mine.rank = rank
        rows.append(CountyTargetRow(t, mine, quotas.get((t.pk, county.pk)), rank if mine else None, len(order)))
        if mine is not None and rank is not None:
            ranks.append(rank)
    return rows, (round(sum(ranks) / len(ranks), 1) if ranks else None)


def county_page(*, user, plan: Plan, county: Region, today: datetime.date, as_of: Quarter | None = None) -> CountyPage:
    """A county's targets (its snapshot, quota and rank among counties at the latest quarter up to
    ``as_of``), its returns by quarter and its towns' certification progress."""
    rows, mean_rank = per_generation("county-rows", user=user, plan=plan,
                                     parts=(county.pk, as_of.label if as_of else ""),
                                     compute=lambda: _county_rows(user, plan, county, as_of))
    returns = list(CountyReturn.objects.for_user(user).filter(region=county).select_related("period")
                   .order_by("-period__year", "-period__quarter"))
    tiers = list(Tier.objects.for_user(user).order_by("rank"))
    towns = {r.pk: TownRow(r, 0, 0) for r in Region.objects.for_user(user).filter(parent=county).order_by("code")}
    village_town: dict[int, int] = {}
    for pk, parent_id, kind in (Region.objects.for_user(user).filter(parent__in=list(towns))
                                .values_list("pk", "parent_id", "kind")):
        village_town[pk] = parent_id
        row = towns[parent_id]
        if kind == Region.Kind.COMMUNITY:
            row.communities += 1
        else:
            row.villages += 1
    # by the county's own villages (an index lookup per id), not by joining every certification of
    # the province to its village's town
    held = [(village_town[community_id], community_id, rank) for community_id, rank in (
        Certification.objects.for_user(user).filter(community_id__in=list(village_town)).in_force_on(today)
        .values_list("community_id", "tier__rank"))]
    holders: dict[tuple[int, int], set[int]] = {}  # (town, tier rank) → communities counted, each once
    for town_id, community_id, rank in held:
        for tier in tiers:
            if Tier.counts_toward(rank, tier.rank):
                holders.setdefault((town_id, tier.rank), set()).add(community_id)
    for (town_id, rank), communities in holders.items():
        towns[town_id].certified[rank] = len(communities)
    for row in towns.values():
        row.counts = [row.certified.get(t.rank, 0) for t in tiers]
    return CountyPage(county, rows, returns, tiers, list(towns.values()), mean_rank)


# ---------------------------------------------------------------- 4. task board


CELL_STATES = ("approved", "submitted", "returned", "late", "missing", "pending")


@dataclass
class TaskBoardRow:
    task: Task
    lead: object
    cells: list[tuple[ReportingPeriod, str]]  # one per period: (period, a CELL_STATES value)
    instructions: list[Instruction]


@dataclass
class Scorecard(Timeliness):
    """A department's timeliness and completeness in one period (reports.selectors.Timeliness)
    and how many of its reports were returned."""

    returned: int = 0

    @property
    def department(self):
        return self.unit


def cell_state(state: str | None, first_submitted_at, period: ReportingPeriod, today: datetime.date) -> str:
    """One task report in one period, as the board shows it."""
    if state == ReviewState.APPROVED:
        return "approved"
    if state == ReviewState.RETURNED:
        return "returned"
    if state in (ReviewState.SUBMITTED, ReviewState.RESUBMITTED):
        return "late" if first_submitted_at and not _on_time(first_submitted_at, period.due_on) else "submitted"
    return "missing" if today > period.due_on else "pending"


def board_periods(plan: Plan, today: datetime.date) -> list[ReportingPeriod]:
    """The plan's periods that have begun by today."""
    first, now = Quarter.of_date(plan.period_start), Quarter.of_date(today)
    return list(ReportingPeriod.objects.filter(Q(year__gt=first.year) | Q(year=first.year, quarter__gte=first.number))
                .filter(Q(year__lt=now.year) | Q(year=now.year, quarter__lte=now.number))
                .order_by("year", "quarter"))


def task_board(*, user, plan: Plan, periods: list[ReportingPeriod], today: datetime.date) -> list[TaskBoardRow]:
    tasks = list(Task.objects.for_user(user).filter(plan=plan, kind=Task.Kind.TASK).select_related("section")
                 .order_by("section__order", "number"))
    leads = {r.task_id: r.department for r in Responsibility.objects.filter(task__in=tasks, role="lead")
             .select_related("department")}
    reports = {(task_id, period_id): (state, first) for task_id, period_id, state, first in
               TaskReport.objects.for_user(user).filter(task__in=tasks, period__in=periods)
               .values_list("task_id", "period_id", "state", "first_submitted_at")}
    instructions: dict[int, list[Instruction]] = {}
    for ins in Instruction.objects.filter(task__in=tasks).select_related("author").order_by("-created_at"):
        instructions.setdefault(ins.task_id, []).append(ins)
    return [TaskBoardRow(t, leads.get(t.pk), [(p, cell_state(*reports.get((t.pk, p.pk), (None, None)), p, today))
                                              for p in periods], instructions.get(t.pk, [])[:3])
            for t in tasks]


def department_scorecard(*, user, plan: Plan, period: ReportingPeriod) -> list[Scorecard]:
    """Per department, for one period: task reports it leads and parts it owes as co-responsible,
    on time or late (reports.selectors.department_reporting), and how many of its reports the
    office returned (ever, for that period)."""

    if not can_see_task_reports(user):
        return []
    tasks = Task.objects.for_user(user).filter(plan=plan, kind=Task.Kind.TASK)
    cards, duties = department_reporting(tasks=tasks, period=period, card=Scorecard)
    returned = set(TaskReport.history.filter(period_id=period.pk, state=ReviewState.RETURNED)
                   .values_list("task_id", flat=True).distinct())
    for task_id, dept_id, role in duties:
        if role == "lead" and task_id in returned:
            cards[dept_id].returned += 1
    rows = sorted(cards.values(), key=lambda c: c.department.order)
    if not sees_whole_city(user):
        rows = [card for card in rows if card.department.pk == user.department_id]
    return rows


# ---------------------------------------------------------------- 5. certification


@dataclass
class TierColumn:
    tier: Tier
    target: Target | None
    city: Snapshot | None


@dataclass
class CertificationPage:
    quarter: Quarter | None
    columns: list[TierColumn]
    counties: list[tuple[Region, list[Snapshot | None], list[Decimal | None]]]  # per tier: snapshot, quota


def certification_page(*, user, plan: Plan, as_of: Quarter | None = None) -> CertificationPage:
    """The four tiers against their targets (4 / 20 / 45 / 1,500), city-wide and per county, from
    the tier snapshots (the roll-up counts them from certification records), up to ``as_of``; cached
    per roll-up generation."""
    return per_generation("certification", user=user, plan=plan, parts=(as_of.label if as_of else "",),
                          compute=lambda: _certification_page(user, plan, as_of))


def _certification_page(user, plan: Plan, as_of: Quarter | None) -> CertificationPage:
    tiers = list(Tier.objects.for_user(user).order_by("-rank"))
    codes = [t.indicator_code for t in tiers]
    targets: dict[str, Target] = {}
    for t in (Target.objects.for_user(user).filter(plan=plan, indicator__code__in=codes)
              .select_related("indicator").order_by("category", "order")):
        targets.setdefault(t.indicator.code, t)  # the task-level figure: it carries the county split
    indicators = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
    latest = _latest_quarters(user, plan, list(indicators.values()), as_of)
    quarter = max(latest.values()) if latest else None
    snaps = _snapshots_at(user, plan, {i: quarter for i in latest}, None) if quarter else []
    quotas = _latest_quotas([t.pk for t in targets.values()])
    by_key = {(s.indicator_id, s.region_id): s for s in snaps}
    city_row = next((s.region for s in snaps if s.region.level == Region.Level.CITY), None)
    columns = [TierColumn(tier, targets.get(tier.indicator_code),
                          by_key.get((indicators.get(tier.indicator_code), city_row.pk if city_row else None)))
               for tier in tiers]
    counties = sorted({s.region.pk: s.region for s in snaps if s.region.level == Region.Level.COUNTY}.values(),
                      key=lambda r: r.code)
    rows = []
    for county in counties:
        rows.append((county,
                     [by_key.get((indicators.get(c.tier.indicator_code), county.pk)) for c in columns],
                     [quotas.get((c.target.pk, county.pk)) if c.target else None for c in columns]))
    return CertificationPage(quarter, columns, rows)


# ---------------------------------------------------------------- 2/6. county snapshots for a target, rankings


def county_snapshots(*, user, plan: Plan, indicator_ids, quarter: Quarter) -> list[Snapshot]:
    return list(Snapshot.objects.for_user(user).filter(plan=plan, indicator__in=indicator_ids, year=quarter.year,
                                                       quarter=quarter.number, region__level=Region.Level.COUNTY)
                .select_related("region").order_by("region__code"))


@dataclass
class RankingCell:
    """One county's figure on one ranked target, scored by targets.scoring (the annual assessment's
    rule): ``scored.percent`` is the completion as it counts (capped; 0 without a figure; None
    where the rule does not apply), ``scored.detail`` the Chinese figures behind it."""

    snapshot: Snapshot | None
    scored: Scored

    @property
    def percent(self) -> Decimal | None:
        return self.scored.percent

    @property
    def status(self) -> str:
        return self.snapshot.status if self.snapshot is not None else "none"


@dataclass
class CountyRanking:
    county: Region
    cells: list[RankingCell]  # per ranked target
    mean: Decimal | None
    rank: int | None = None
    tied: bool = False

    @property
    def percents(self) -> list[Decimal | None]:
        return [c.percent for c in self.cells]

    @property
    def statuses(self) -> list[str]:
        return [c.status for c in self.cells]


def county_rankings(*, user, plan: Plan, quarter: Quarter) -> tuple[list[Target], list[CountyRanking]]:
    """Counties by target completion in one quarter, scored by the annual assessment's rule
    (targets.scoring): every main target the counties have a figure to be scored against (a quota,
    a rate to reach, a ceiling such as registered unemployment ≤ 4%, a figure each county must
    meet), each county's completion capped at 100%, an "at most" target full when at or under its
    ceiling, else ceiling ÷ value, no figure counting 0; ranked by the mean of the applicable
    completions, equal means ranked together (并列). Cached per roll-up generation."""
    return per_generation("rankings", user=user, plan=plan, parts=(quarter.label,),
                          compute=lambda: _county_rankings(user, plan, quarter))


def _score_cell(target: Target, snapshot: Snapshot | None) -> RankingCell:
    value = snapshot.value if snapshot is not None else None
    goal = None if snapshot is None else goal_of(direction=target.direction, target_value=snapshot.target_value,
                                                 expected_to_date=snapshot.expected_to_date)
    return RankingCell(snapshot, score_figure(direction=target.direction, value=value, goal=goal, unit=target.unit))


def _county_rankings(user, plan: Plan, quarter: Quarter) -> tuple[list[Target], list[CountyRanking]]:
    main = [t for t in _main_targets(user, plan) if t.indicator.kind != Indicator.Kind.CITY_ONLY]
    snaps = county_snapshots(user=user, plan=plan, indicator_ids=[t.indicator_id for t in main], quarter=quarter)
    by_key = {(s.indicator_id, s.region_id): s for s in snaps}
    # ranked: the targets with a county figure to score against (a quota, a rate, a ceiling, zero)
    # that some county reports this quarter — a figure no county has is not a county's shortfall
    targets_of = {t.indicator_id: t for t in main}
    reported = {s.indicator_id for s in snaps if s.value is not None}
    scorable = {s.indicator_id for s in snaps if s.indicator_id in reported
                and goal_of(direction=targets_of[s.indicator_id].direction, target_value=s.target_value,
                           expected_to_date=s.expected_to_date) is not None}
    targets = [t for t in main if t.indicator_id in scorable]
    counties = list(Region.objects.for_user(user).counties().order_by("code"))
    rows = []
    for county in counties:
        cells = [_score_cell(t, by_key.get((t.indicator_id, county.pk))) for t in targets]
        # equal weights: the annual assessment's total with every applicable target weighing 1
        mean = total_percent([(c.scored.share or Decimal(0), Decimal(1)) for c in cells if c.scored.applicable])
        rows.append(CountyRanking(county, cells, mean))
    ranks = competition_ranks([r.mean for r in rows])  # equal means share a rank (并列): 1, 1, 3
    for r, rank in zip(rows, ranks, strict=True):
        r.rank = rank
        r.tied = rank is not None and ranks.count(rank) > 1
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.county.code))
    return targets, rows


# ---------------------------------------------------------------- 7. where we are behind (a leader's page)


@dataclass
class BehindTarget:
    """A target behind its pace (red) or at risk (amber) city-wide, who answers for it and the
    counties furthest behind on it."""

    target: Target
    snapshot: Snapshot
    lead: object | None  # the lead department of the target's task (or of the task carrying its indicator)
    task: Task | None
    city_only: bool
    lagging: list[Snapshot]  # counties behind or at risk, worst first
    lagging_more: int = 0  # how many more than shown


@dataclass
class OverdueUnit:
    """A county or a department with something past its deadline."""

    unit: object
    missing: int
    kind: str  # "return" | "task" | "instruction"


@dataclass
class BehindPage:
    quarter: Quarter | None
    targets: list[BehindTarget]
    overdue_period: ReportingPeriod | None
    overdue_counties: list[OverdueUnit]
    overdue_departments: list[OverdueUnit]
    overdue_instructions: list[tuple[Instruction, list[object]]]  # the instruction, the units not closed
    on_track: int = 0  # targets on pace (for the headline)

    @property
    def overdue_units(self) -> int:
        return len(self.overdue_counties) + len(self.overdue_departments)


LAGGING_SHOWN = 3  # counties named per target: the row stays one line on a screen
_STATUS_ORDER = {Snapshot.Status.RED: 0, Snapshot.Status.AMBER: 1}


def _worst_first(snapshot: Snapshot, direction: str):
    """Red before amber; within a status, the furthest from the target first."""
    percent = snapshot.percent_achieved
    if direction == Target.Direction.AT_LEAST:
        key = percent if percent is not None else Decimal(0)
    else:  # a ceiling or a zero: the larger value is worse
        key = -(snapshot.value if snapshot.value is not None else Decimal(0))
    return (_STATUS_ORDER.get(snapshot.status, 2), key)


def behind_page(*, user, plan: Plan, today: datetime.date, as_of: Quarter | None = None) -> BehindPage:
    """Where the plan is behind and who is responsible, on one screen: every target of ``plan``
    red or amber city-wide at its latest quarter up to ``as_of``, with its lead department (the
    lead unit of its task, or of the task whose target carries the same indicator) and its counties
    behind; the counties and departments whose returns, task reports or parts for the last quarter
    that fell due are missing; the leaders' instructions past their deadline and the units that
    have not closed them. For the office and the leaders (who see every unit)."""
    if not sees_every_unit(user):
        return BehindPage(None, [], None, [], [], [])
    targets = list(Target.objects.for_user(user).filter(plan=plan, indicator__isnull=False)
                   .select_related("indicator", "task").order_by("category", "order"))
    latest = _latest_quarters(user, plan, {t.indicator_id for t in targets}, as_of)
    snaps = _snapshots_at(user, plan, latest, None)
    city = {s.indicator_id: s for s in snaps if s.region.level == Region.Level.CITY}
    counties: dict[int, list[Snapshot]] = {}
    for s in snaps:
        if s.region.level == Region.Level.COUNTY:
            counties.setdefault(s.indicator_id, []).append(s)
    # who leads: the task of the target, else the task of a task-level target with the same indicator
    task_of_indicator = {t.indicator_id: t.task for t in targets if t.task_id}
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=[t.pk for t in task_of_indicator.values()])
             .prefetch_related(Prefetch("responsibilities",
                                        queryset=Responsibility.objects.select_related("department")))}
    rows, on_track = [], 0
    for t in targets:
        snapshot = city.get(t.indicator_id)
        if snapshot is None:
            continue
        if snapshot.status not in _STATUS_ORDER:
            on_track += snapshot.status == Snapshot.Status.GREEN
            continue
        task = tasks.get((t.task or task_of_indicator.get(t.indicator_id) or Task(pk=0)).pk)
        behind = sorted((s for s in counties.get(t.indicator_id, []) if s.status in _STATUS_ORDER),
                        key=lambda s: _worst_first(s, t.direction))
        rows.append(BehindTarget(t, snapshot, task.lead if task else None, task,
                                 t.indicator.kind == Indicator.Kind.CITY_ONLY, behind[:LAGGING_SHOWN],
                                 max(len(behind) - LAGGING_SHOWN, 0)))
    # a main target and a task-level target on the same indicator are one figure: keep the first
    seen: set[int] = set()
    rows = [r for r in rows if not (r.target.indicator_id in seen or seen.add(r.target.indicator_id))]
    rows.sort(key=lambda r: _worst_first(r.snapshot, r.target.direction)[:1])
    quarter = max(latest.values()) if latest else None

    # the last quarter of this plan that fell due (a closed plan's last quarter, not today's)
    overdue_period = next((period for period in ReportingPeriod.objects.filter(due_on__lt=today).order_by("-due_on")
                           if plan.covers(period.as_quarter)), None)
    overdue_counties: list[OverdueUnit] = []
    overdue_departments: list[OverdueUnit] = []
    if overdue_period is not None:
        done = set(CountyReturn.objects.for_user(user).filter(period=overdue_period, state__in=SUBMITTED_STATES)
                   .values_list("region_id", flat=True))
        overdue_counties = [OverdueUnit(county, 1, "return") for county in
                            Region.objects.for_user(user).counties().order_by("code") if county.pk not in done]
        cards, _duties = department_reporting(
            tasks=Task.objects.for_user(user).filter(plan=plan, kind=Task.Kind.TASK), period=overdue_period)
        overdue_departments = sorted((OverdueUnit(card.unit, card.missing, "task") for card in cards.values()
                                      if card.missing > 0), key=lambda u: (-u.missing, u.unit.order))
    instructions = []
    for instruction in (Instruction.objects.overdue_on(today).filter(task__plan=plan)
                        .select_related("task", "author").prefetch_related(
                            Prefetch("addressees", queryset=InstructionUnit.objects.select_related(
                                "region", "department"))).order_by("deadline")):
        units = [a.unit for a in instruction.addressees.all() if a.state in InstructionUnit.OPEN_STATES]
        instructions.append((instruction, units))
    return BehindPage(quarter, rows, overdue_period, overdue_counties, overdue_departments, instructions, on_track)
