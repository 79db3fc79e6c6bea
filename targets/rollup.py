"""The roll-up: approved values → snapshots per plan × indicator × region (each county, the city) × quarter.

A reported value is a fact about a region and a quarter; it counts toward every plan that sets a
target on its indicator and whose window holds its quarter. Each such plan gets its own snapshots,
for the quarters of its own window only — from its first quarter to its last, and no further than
the quarter in progress (or the latest quarter with data): a plan's figures after its end are not
computed, and one plan's figures never stand in for another's.

Aggregation follows the indicator's kind (see models.Indicator): the city's sums come from the
database (GROUP BY over the counties' approved values), a ratio's rate is computed from the summed
numerator and denominator at every level — never the mean of county rates — and a flow is summed
over time only within its window (the plan's period, or the calendar year clipped to it).

Runs are idempotent (a snapshot that would not change is not written) and serialised per
indicator by a row lock, so two workers never interleave on one indicator; the second waits and
then recomputes from the data as it is by then.
"""

from __future__ import annotations

import datetime
import os
import socket
import traceback
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone
from psycopg2.extras import execute_values

from divisions.models import Region
from kernel.quarters import Quarter
from tasks.models import Plan

from .derived import DERIVED_SOURCES
from .generation import generation_bump
from .models import Indicator, IndicatorValue, Quota, QuotaSet, RollupRun, Snapshot, Target, YearlyAllocation
from .pace import RULES, assess, elapsed_share, q4

Key = tuple[int, int]  # (year, quarter)


SNAPSHOT_FIELDS = [
    "target_id", "period_value", "value", "numerator", "denominator", "target_value", "percent_achieved",
    "percent_time_elapsed", "expected_to_date", "status", "status_reason", "projected_end_value",
    "required_run_rate", "units_reported", "units_expected", "data_as_of",
]


@dataclass
class Observed:
    """What was reported for one region in one quarter: a value per component role."""

    roles: dict[str, Decimal] = field(default_factory=dict)
    units: int = 0
    latest: datetime.datetime | None = None


@dataclass
class Context:
    """Things every indicator of a run needs, loaded once per run."""

    city_id: int
    county_ids: list[int]
    plans: list[Plan]
    today: datetime.date

    @classmethod
    def load(cls, today: datetime.date) -> Context:
        regions = Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.COUNTY]).values_list("id", "level")
        city_id = next(pk for pk, level in regions if level == Region.Level.CITY)
        return cls(city_id=city_id, county_ids=sorted(pk for pk, level in regions if level == Region.Level.COUNTY),
                   plans=list(Plan.objects.only("id", "period_start", "period_end").order_by("period_start", "pk")),
                   today=today)


def plan_quarters(plan: Plan, until: Quarter) -> list[Quarter]:
    """The quarters a plan's figures are computed for: its window, up to ``until`` at the latest."""
    return plan.first_quarter.through(min(plan.last_quarter, until))


def runs_abandoned_close() -> int:
    """Mark as failed the runs still "running" after the broker's visibility timeout (sized to the
    longest job): their worker was lost mid-job, and the job itself has been delivered again as
    another run. Returns how many were closed."""
    from django.conf import settings

    cutoff = timezone.now() - datetime.timedelta(seconds=settings.BROKER_VISIBILITY_TIMEOUT)
    return RollupRun.objects.filter(status=RollupRun.Status.RUNNING, started_at__lt=cutoff).update(
        status=RollupRun.Status.FAILED, finished_at=timezone.now(),
        error="abandoned: still running after the broker's visibility timeout (the worker was lost mid-job; "
              "the job was delivered again as a later run)")


def rollup(*, indicator_codes: Iterable[str] | None = None, county_ids: Iterable[int] | None = None,
           trigger: str = "full", today: datetime.date | None = None, since: Quarter | None = None) -> RollupRun:
    """Recompute snapshots, for every plan each indicator counts toward. With ``county_ids`` only
    those counties and the city are recomputed (what one approval can change); otherwise every
    county and the city. With ``since`` (the earliest quarter whose values changed) only that
    quarter and the ones after it are rewritten on PostgreSQL (nothing earlier depends on it; the
    row by row path of SQLite recomputes every quarter of the regions, which is as correct)."""
    from .rollup_sql import Prepared, handles, rollup_indicators

    codes = sorted(set(indicator_codes)) if indicator_codes else None
    counties = sorted(set(county_ids)) if county_ids else None
    runs_abandoned_close()
    run = RollupRun.objects.create(trigger=trigger, started_at=timezone.now(),
                                   process=f"{socket.gethostname()}:{os.getpid()}",
                                   scope={"indicators": codes or "all", "counties": counties or "all"})
    try:
        ctx = Context.load(today or timezone.localdate())
        chosen = Indicator.objects.filter(code__in=codes) if codes else Indicator.objects.all()
        if connection.vendor == "postgresql":
            # One statement for every indicator (rollup_sql.py), under a row lock on each: a second
            # run waits here for the first to commit, then computes from the data as it is by then.
            # Read and locked in one statement, in primary-key order, so that two runs never wait on
            # each other (an indicator without a source of its counts is locked too, not computed).
            with transaction.atomic():
                indicators, skipped = _computable(chosen.select_for_update().order_by("pk"))
                prepared = Prepared.load([i.pk for i in indicators])
                by_sql = [i for i in indicators if handles(i, prepared.targets.get(i.pk, {}))]
                counts = [rollup_indicators(by_sql, ctx, prepared, counties, since, run)] if by_sql else []
                counts += [_rollup_indicator(i, ctx, counties, run) for i in indicators if i not in by_sql]
        else:  # SQLite: the row by row engine below, an indicator at a time
            indicators, skipped = _computable(chosen)
            counts = []
            for indicator in indicators:
                with transaction.atomic():
                    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
                    counts.append(_rollup_indicator(indicator, ctx, counties, run))
        for created, updated, unchanged in counts:
            run.created += created
            run.updated += updated
            run.unchanged += unchanged
        if skipped:
            run.scope = {**run.scope, "skipped_without_source": skipped}
        run.status = RollupRun.Status.SUCCEEDED
    except Exception:
        run.status = RollupRun.Status.FAILED
        run.error = traceback.format_exc()[-4000:]
        raise
    finally:
        run.finished_at = timezone.now()
        # pages cached under the last generation compute again (even after a failure: it may have
        # written); before the run is recorded as finished, so that whoever sees it finished sees it
        generation_bump()
        run.save()
    return run


def _computable(found: Iterable[Indicator]) -> tuple[list[Indicator], list[str]]:
    """The indicators a run computes, in the plan's order, and the codes of those it skips (a
    derived count without a source of its records)."""
    found = sorted(found, key=lambda i: (i.order, i.code))
    skipped = [i.code for i in found if i.kind == Indicator.Kind.DERIVED and i.code not in DERIVED_SOURCES]
    return [i for i in found if i.code not in skipped], skipped


def _rollup_indicator(indicator: Indicator, ctx: Context, counties: list[int] | None, run: RollupRun):
    computed, regions = _compute(indicator, ctx, counties, OFFICIAL)
    return _write(indicator, computed, regions, run)


def preview_including_unapproved(indicator: Indicator, plan: Plan, *, user,
                                 today: datetime.date | None = None) -> dict:
    """One plan's figures as in its snapshots, but counting the submitted (not yet approved) values
    ``user`` may read too (``IndicatorValue.objects.for_user``: every county's for the office and
    the leaders, their own county's for a county officer, none for anyone else), keyed (region id,
    year, quarter). The city's row adds up what the user may read. Nothing is written: pages show
    it labelled 含未审核数据, beside the official figures."""
    computed, _regions = _compute(indicator, Context.load(today or timezone.localdate()), None,
                                  OFFICIAL + UNAPPROVED, plan_ids={plan.pk},
                                  values=IndicatorValue.objects.for_user(user))
    return {key[1:]: values for key, values in computed.items()}


OFFICIAL = [IndicatorValue.Status.APPROVED]
UNAPPROVED = [IndicatorValue.Status.SUBMITTED]


def _compute(indicator: Indicator, ctx: Context, counties: list[int] | None, statuses: list[str],
             plan_ids: set[int] | None = None, values=None):
    """Snapshot values keyed (plan id, region id, year, quarter), for each plan that sets a target on
    the indicator (or those of ``plan_ids``), each in its own window; and the regions covered."""
    targets = _targets(indicator)
    plans = [p for p in ctx.plans if p.pk in targets and (plan_ids is None or p.pk in plan_ids)]
    regions = [ctx.city_id] if indicator.kind == Indicator.Kind.CITY_ONLY else (counties or ctx.county_ids) + [ctx.city_id]
    if not plans:
        return {}, regions  # no plan sets a target on it: no figures (and none left over)
    now = Quarter.of_date(ctx.today)
    per_county = any(targets[p.pk].scope == Target.Scope.PER_COUNTY for p in plans)
    # a target each county must meet: the city's figure is how many counties meet it, so every
    # county's values are read even when only some changed
    observed = _observations(indicator, ctx, None if per_county else counties, statuses,
                             sorted({q for p in plans for q in plan_quarters(p, now)}), values)
    # as far as the quarter in progress, or further where values were already reported
    until = max([now, *(Quarter(*k) for by_quarter in observed.values() for k in by_quarter)])
    quotas = _quotas(targets.values())
    allocations = _allocations(targets.values())
    computed = {}
    for plan in plans:
        frames = _frames(indicator, plan, targets[plan.pk], plan_quarters(plan, until))
        if not frames:
            continue  # the plan has not started
        for region_id in regions:
            is_city = region_id == ctx.city_id
            expected_units = 1 if (not is_city or indicator.kind == Indicator.Kind.CITY_ONLY) else len(ctx.county_ids)
            for quarter, values in _series(indicator, ctx, frames, quotas, allocations, region_id, is_city,
                                           expected_units, observed.get(region_id, {})):
                computed[(plan.pk, region_id, quarter.year, quarter.number)] = values
        if targets[plan.pk].scope == Target.Scope.PER_COUNTY and indicator.kind != Indicator.Kind.CITY_ONLY:
            _counties_meeting(indicator, ctx, targets[plan.pk], frames, observed, computed, plan.pk)
    return computed, regions


def _counties_meeting(indicator: Indicator, ctx: Context, target: Target, frames, observed, computed,
                      plan_id: int) -> None:
    """A target each county must meet (1–2 labour brands per county): the city's figure is not its
    counties' total against the per-county number, but how many counties meet it, of all of them.
    The city's snapshot holds the counties meeting it (value, numerator), the number of counties
    (target, denominator) and the counties' total in ``period_value``; green when every county
    meets it, amber when at least half do, red otherwise."""
    n = len(ctx.county_ids)
    for frame in frames:
        entry = computed.get((plan_id, ctx.city_id, *frame.key))
        if entry is None or not n:
            continue
        levels = [_level(indicator, observed.get(county_id, {}).get(frame.key)) for county_id in ctx.county_ids]
        meeting = sum(1 for level in levels if level is not None and level >= target.value)
        total = sum((level for level in levels if level is not None), Decimal(0))
        status = "green" if meeting == n else "amber" if 2 * meeting >= n else "red"
        entry.update(value=q4(Decimal(meeting)), numerator=q4(Decimal(meeting)), denominator=q4(Decimal(n)),
                     target_value=q4(Decimal(n)), period_value=q4(total),
                     percent_achieved=(Decimal(100) * meeting / n).quantize(Decimal("0.01")),
                     expected_to_date=None, projected_end_value=None, required_run_rate=None, status=status,
                     status_reason=f"{meeting}/{n} 个县（市、区）达到每县{target.display_value}的目标"
                                   f"（全市合计 {total.normalize():f}）；全部达到为绿，半数以上为黄，否则为红")


def _observations(indicator: Indicator, ctx: Context, counties: list[int] | None,
                  statuses: list[str], quarters: list[Quarter], values=None) -> dict[int, dict[Key, Observed]]:
    """Approved values by region and quarter (of ``values``, a scoped queryset, when given); the
    city's row is the database's sum over counties. A derived indicator is counted at the end of
    each of ``quarters``."""
    out: dict[int, dict[Key, Observed]] = defaultdict(lambda: defaultdict(Observed))
    if indicator.kind == Indicator.Kind.DERIVED:
        counted = DERIVED_SOURCES[indicator.code].counts(quarters=quarters)
        for region_id in ctx.county_ids:  # no record is a count of 0 (shown as 0 with its status), not "no data"
            by_quarter = counted.setdefault(region_id, {})
            for quarter in quarters:
                by_quarter.setdefault((quarter.year, quarter.number), 0)
        totals: dict[Key, Decimal] = defaultdict(Decimal)  # the city's count is its counties' counts added up
        units: dict[Key, int] = defaultdict(int)
        for region_id, by_quarter in counted.items():
            if region_id == ctx.city_id:
                continue  # the city is always its counties' sum, even in an incremental run
            row = out[region_id]
            for key, count in by_quarter.items():
                row[key] = Observed(roles={"value": Decimal(count)}, units=1)
                totals[key] += count
                units[key] += 1
        city = out[ctx.city_id]
        for key, total in totals.items():
            city[key] = Observed(roles={"value": Decimal(total)}, units=units[key])
        return out
    roles = dict(indicator.components.values_list("id", "role"))
    approved = (IndicatorValue.objects if values is None else values).filter(indicator=indicator, status__in=statuses)
    own = approved if indicator.kind == Indicator.Kind.CITY_ONLY else (
        approved.filter(region_id__in=counties) if counties else approved)
    for region_id, year, quarter, component_id, value, approved_at in own.values_list(
            "region_id", "year", "quarter", "component_id", "value", "approved_at"):
        obs = out[region_id][(year, quarter)]
        obs.roles[roles[component_id]] = value
        obs.units = 1
        obs.latest = max(filter(None, [obs.latest, approved_at]), default=None)
    if indicator.kind != Indicator.Kind.CITY_ONLY:
        sums = approved.values("year", "quarter", "component_id").annotate(
            total=Sum("value"), units=Count("region_id"), latest=Max("approved_at"))
        for row in sums:
            obs = out[ctx.city_id][(row["year"], row["quarter"])]
            obs.roles[roles[row["component_id"]]] = row["total"]
            obs.units = max(obs.units, row["units"])
            obs.latest = max(filter(None, [obs.latest, row["latest"]]), default=None)
    return out


def _targets(indicator: Indicator) -> dict[int, Target]:
    """The target each plan sets on this indicator (the first in the plan's order if several)."""
    out: dict[int, Target] = {}
    for target in Target.objects.filter(indicator=indicator).order_by("plan_id", "order"):
        out.setdefault(target.plan_id, target)
    return out


def _quotas(targets: Iterable[Target]) -> dict[int, dict[int, Decimal]]:
    """The latest issued quota per county for each target."""
    latest = {}
    for qs in QuotaSet.objects.filter(target__in=list(targets)).order_by("target_id", "-version"):
        latest.setdefault(qs.target_id, qs.pk)
    out: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for target_id, region_id, value in Quota.objects.filter(quota_set_id__in=latest.values()).values_list(
            "quota_set__target_id", "region_id", "value"):
        out[target_id][region_id] = value
    return out


def _allocations(targets: Iterable[Target]) -> dict[tuple[int, int | None], dict[int, Decimal]]:
    out: dict[tuple[int, int | None], dict[int, Decimal]] = defaultdict(dict)
    for a in YearlyAllocation.objects.filter(target__in=list(targets)):
        out[(a.target_id, a.region_id)][a.year] = a.value
    return out


def _target_value(indicator: Indicator, target: Target | None, quotas, region_id: int, is_city: bool,
                  n_counties: int) -> Decimal | None:
    if target is None:
        return None
    if is_city:
        return target.value * n_counties if target.scope == Target.Scope.PER_COUNTY else target.value
    if region_id in quotas.get(target.pk, {}):
        return quotas[target.pk][region_id]
    # A rate, a ceiling, "zero" or "each county" applies to every county as it stands; an amount
    # the city must reach has no county figure until the city issues quotas.
    if (indicator.kind in (Indicator.Kind.RATIO, Indicator.Kind.CITY_ONLY) or target.direction != "at_least"
            or target.scope == Target.Scope.PER_COUNTY):
        return target.value
    return None


def window(indicator: Indicator, target: Target | None, plan: Plan, quarter: Quarter):
    """The span a figure of ``plan`` accumulates over and is paced against: the plan's period, or
    for yearly figures the calendar year clipped to the plan's period."""
    if indicator.period_type == Indicator.PeriodType.YEARLY or (target and target.span == Target.Span.YEAR):
        return (max(datetime.date(quarter.year, 1, 1), plan.period_start),
                min(datetime.date(quarter.year, 12, 31), plan.period_end))
    return plan.period_start, plan.period_end


@dataclass(frozen=True)
class Frame:
    """What a quarter means for an indicator, the same for every region: computed once."""

    quarter: Quarter
    key: Key
    end: datetime.date
    target: Target | None
    span_start: datetime.date
    span_end: datetime.date
    quarters_remaining: int


def _frames(indicator: Indicator, plan: Plan, target: Target, quarters: list[Quarter]) -> list[Frame]:
    frames = []
    for quarter in quarters:
        span_start, span_end = window(indicator, target, plan, quarter)
        frames.append(Frame(quarter, (quarter.year, quarter.number), quarter.end, target, span_start, span_end,
                            _quarters_between(quarter, span_end)))
    return frames


def _series(indicator, ctx, frames, quotas, allocations, region_id, is_city, expected_units, observed):
    """Snapshot values for one region, quarter by quarter of one plan's frames."""
    history: list[tuple[datetime.date, Decimal | None]] = []
    scale = indicator.scale
    if frames and indicator.kind != Indicator.Kind.FLOW:
        # the quarter before the plan began: a fact about the region that "lower than last quarter" compares with
        before = frames[0].quarter.previous()
        history.append((before.end, _level(indicator, observed.get((before.year, before.number)))))
    running_start, running, running_latest = None, None, None  # a flow's sum over its window so far
    for frame in frames:
        quarter, target, span_start, span_end = frame.quarter, frame.target, frame.span_start, frame.span_end
        obs = observed.get(frame.key)
        period_value = numerator = denominator = value = None
        latest = obs.latest if obs else None
        if indicator.kind == Indicator.Kind.FLOW:
            period_value = obs.roles.get("value") if obs else None
            if span_start != running_start:  # a new window (a new plan, or a new year): start again
                running_start, running, running_latest = span_start, None, None
            if period_value is not None and frame.end <= span_end:  # after the span ends, nothing more counts
                running = (running or Decimal(0)) + period_value
                running_latest = max(filter(None, [running_latest, obs.latest]), default=None)
            value, latest = running, running_latest
        elif indicator.kind == Indicator.Kind.RATIO:
            if obs and "numerator" in obs.roles and "denominator" in obs.roles:
                numerator, denominator = obs.roles["numerator"], obs.roles["denominator"]
                value = numerator / denominator * scale if denominator else None
        else:
            value = period_value = obs.roles.get("value") if obs else None
        tv = _target_value(indicator, target, quotas, region_id, is_city, len(ctx.county_ids))
        previous = history[-1][1] if history else None
        earlier = [(end, v) for end, v in history[-4:] if v is not None and end >= span_start]
        trend_from = earlier[0] if earlier else None
        assessment = assess(
            kind=indicator.kind, direction=indicator.direction, value=value, target=tv,
            span_start=span_start, span_end=span_end, as_of=frame.end,
            quarters_remaining=frame.quarters_remaining,
            expected_override=_allocated(target, allocations, None if is_city else region_id, span_start, quarter),
            previous_value=previous, trend_from=trend_from,
        )
        history.append((frame.end, value))
        units = obs.units if obs else 0
        reason = RULES[assessment.rule]
        if obs and units < expected_units:
            reason += f"（{units}/{expected_units} 个单位已报）"
        yield quarter, {
            "target_id": target.pk if target else None,
            "period_value": q4(period_value), "value": q4(value), "numerator": q4(numerator),
            "denominator": q4(denominator), "target_value": q4(tv),
            "percent_achieved": assessment.percent_achieved, "percent_time_elapsed": assessment.percent_time_elapsed,
            "expected_to_date": assessment.expected_to_date, "status": assessment.status, "status_reason": reason,
            "projected_end_value": assessment.projected_end_value, "required_run_rate": assessment.required_run_rate,
            "units_reported": units, "units_expected": expected_units, "data_as_of": latest,
        }


def _level(indicator: Indicator, obs: Observed | None) -> Decimal | None:
    """A stock's, a rate's or a count's value at one quarter's end (what a snapshot's ``value`` is)."""
    if obs is None:
        return None
    if indicator.kind == Indicator.Kind.RATIO:
        if "numerator" in obs.roles and "denominator" in obs.roles and obs.roles["denominator"]:
            return obs.roles["numerator"] / obs.roles["denominator"] * indicator.scale
        return None
    return obs.roles.get("value")


def _quarters_between(quarter: Quarter, end: datetime.date) -> int:
    n, q = 0, quarter.next()
    while q.end <= end:
        n, q = n + 1, q.next()
    return n


def _allocated(target: Target | None, allocations, region_id: int | None, span_start: datetime.date,
               quarter: Quarter) -> Decimal | None:
    """Expected-to-date from the yearly allocations, where the city set them for this target."""
    if target is None or not allocations.get((target.pk, region_id)):
        return None
    by_year = allocations[(target.pk, region_id)]
    done = sum((v for y, v in by_year.items() if span_start.year <= y < quarter.year), Decimal(0))
    this_year = by_year.get(quarter.year, Decimal(0))
    share = elapsed_share(datetime.date(quarter.year, 1, 1), datetime.date(quarter.year, 12, 31), quarter.end)
    return done + this_year * share


def _write(indicator: Indicator, computed: dict, regions: list[int], run: RollupRun) -> tuple[int, int, int]:
    """Create new snapshots, update changed ones, leave the rest alone (twice = once). Snapshots of
    these regions that the computation no longer yields (a plan that dropped its target on the
    indicator, a quarter outside a plan's window) are removed."""
    if connection.vendor == "postgresql":
        return _write_upsert(indicator, computed, regions, run)
    return _write_compare(indicator, computed, regions, run)


_COLUMNS = ["plan_id", "indicator_id", "region_id", "year", "quarter", *SNAPSHOT_FIELDS, "computed_at", "run_id"]
_CHANGES = ", ".join(f"{c} = EXCLUDED.{c}" for c in SNAPSHOT_FIELDS + ["computed_at", "run_id"])
_MINE = ", ".join(f"s.{c}" for c in SNAPSHOT_FIELDS)
_THEIRS = ", ".join(f"EXCLUDED.{c}" for c in SNAPSHOT_FIELDS)
UPSERT = (
    f"INSERT INTO targets_snapshot AS s ({', '.join(_COLUMNS)}) VALUES %s "
    "ON CONFLICT (plan_id, indicator_id, region_id, year, quarter) "
    f"DO UPDATE SET {_CHANGES} WHERE ({_MINE}) IS DISTINCT FROM ({_THEIRS}) "
    "RETURNING (s.xmax = 0)"  # xmax 0: a row this statement inserted; otherwise one it updated
)
# Snapshots of the covered regions that this computation no longer yields.
DELETE_STALE = (
    "DELETE FROM targets_snapshot s WHERE s.indicator_id = %s AND s.region_id = ANY(%s) "
    "AND NOT EXISTS (SELECT 1 FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[]) AS k(p, r, y, q) "
    "WHERE k.p = s.plan_id AND k.r = s.region_id AND k.y = s.year AND k.q = s.quarter)"
)


def _write_upsert(indicator: Indicator, computed: dict, regions: list[int], run: RollupRun) -> tuple[int, int, int]:
    """PostgreSQL: one INSERT … ON CONFLICT … DO UPDATE … WHERE … IS DISTINCT FROM per indicator.
    An unchanged snapshot is neither written nor returned, so a warm run writes nothing; the
    comparison happens inside the database, with no round trip of the existing rows."""
    now = timezone.now()
    rows = [(plan_id, indicator.pk, region_id, year, quarter, *(values[f] for f in SNAPSHOT_FIELDS), now, run.pk)
            for (plan_id, region_id, year, quarter), values in computed.items()]
    created = updated = 0
    with connection.cursor() as cursor:
        if rows:
            written = execute_values(cursor.cursor, UPSERT, rows, page_size=5000, fetch=True)
            created = sum(1 for (inserted,) in written if inserted)
            updated = len(written) - created
        keys = list(zip(*computed, strict=True)) or [(), (), (), ()]
        cursor.execute(DELETE_STALE, [indicator.pk, regions, *(list(k) for k in keys)])
    return created, updated, len(rows) - created - updated


def _write_compare(indicator: Indicator, computed: dict, regions: list[int], run: RollupRun) -> tuple[int, int, int]:
    """SQLite (the embedded default): compare in Python, then delete and insert what changed."""
    # Compared as plain tuples: building 40,000 model instances only to find them unchanged would
    # cost more than the whole computation.
    existing = {(row[0], row[1], row[2], row[3]): row[4:] for row in Snapshot.objects.filter(
        indicator=indicator, region_id__in=regions).values_list(
        "plan_id", "region_id", "year", "quarter", "pk", *SNAPSHOT_FIELDS)}
    now = timezone.now()
    to_create, to_update, unchanged = [], [], 0
    for (plan_id, region_id, year, quarter), values in computed.items():
        row = existing.get((plan_id, region_id, year, quarter))
        if row is None:
            to_create.append(Snapshot(plan_id=plan_id, indicator=indicator, region_id=region_id, year=year,
                                      quarter=quarter, computed_at=now, run=run, **values))
        elif tuple(row[1:]) != tuple(values[f] for f in SNAPSHOT_FIELDS):
            to_update.append(Snapshot(pk=row[0], plan_id=plan_id, indicator=indicator, region_id=region_id, year=year,
                                      quarter=quarter, computed_at=now, run=run, **values))
        else:
            unchanged += 1
    stale = [row[0] for key, row in existing.items() if key not in computed]
    if to_update or stale:
        # Replace rather than UPDATE: Django's bulk_update writes a CASE per column per row, which
        # costs PostgreSQL more than a DELETE by primary key and one INSERT. Nothing points at a
        # snapshot's id; its key is (plan, indicator, region, year, quarter).
        Snapshot.objects.filter(pk__in=[snap.pk for snap in to_update] + stale)._raw_delete(Snapshot.objects.db)
        for snap in to_update:
            snap.pk = None
    Snapshot.objects.bulk_create(to_create + to_update, batch_size=1000)
    return len(to_create), len(to_update), unchanged
