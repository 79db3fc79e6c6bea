"""The roll-up on PostgreSQL, set-based: one statement per indicator computes every snapshot and
writes it.

What depends only on a plan and a quarter (the span a figure accumulates over, the share of it
elapsed, the quarters left) or on a plan and a region (the target, the units expected, the yearly
allocations) is a few hundred numbers, worked out in Python with the same functions as the row by
row engine (``rollup._frames``, ``_target_value``, ``_allocated``, ``pace.elapsed_share``) and sent
as arrays. Everything that grows with the data is computed by the database in one statement:

- the approved values per region and quarter, and the city's sums over its counties (a ratio's
  rate from the summed numerator and denominator, never the mean of rates);
- a flow's running total over its window (``SUM … OVER (PARTITION BY plan, region, window start
  ORDER BY year, quarter)``), a stock's or a rate's value at the quarter's end;
- the quarter before (for "lower than last quarter") and the trend over the last year (``LAG``);
- pace, status, expected to date, projection and required run rate: the rules of ``pace.assess``
  written once more as SQL expressions (same thresholds, read from ``pace``);
- the write: ``INSERT … ON CONFLICT … DO UPDATE … WHERE (…) IS DISTINCT FROM (…)`` (an unchanged
  snapshot costs no write) and the removal of the snapshots this computation no longer yields,
  in the same statement.

Used for every indicator except those with a target each county must meet (its city row is a
count of counties meeting it: ``rollup._counties_meeting``), which keep the row by row path. An
incremental run (``since``: the earliest quarter that changed) writes only that quarter and the
ones after it, for the changed counties and the city; it reads what it needs before them.
Tests: tests/targets (on PostgreSQL they run this path; ``test_rollup_sql.py`` compares it with
the row by row engine on the same data).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from kernel.quarters import Quarter

from .models import Indicator, IndicatorValue, Quota, QuotaSet, RollupRun, Target, YearlyAllocation
from .pace import CEILING_GREEN, HUNDRED, PACE_AMBER, RATE_AMBER, RULES, elapsed_share, q2, rule_for

Key = tuple[int, int]


@dataclass
class Prepared:
    """Targets, quotas, allocations and the latest quarter with data, for every indicator of a run:
    loaded in a handful of queries rather than a few per indicator."""

    targets: dict[int, dict[int, Target]] = field(default_factory=dict)  # indicator → plan → target
    quotas: dict[int, dict[int, Decimal]] = field(default_factory=lambda: defaultdict(dict))
    allocations: dict[tuple[int, int | None], dict[int, Decimal]] = field(default_factory=lambda: defaultdict(dict))
    latest: dict[int, Key] = field(default_factory=dict)  # indicator → latest (year, quarter) approved

    @classmethod
    def load(cls, indicator_ids: list[int]) -> Prepared:
        out = cls()
        for target in Target.objects.filter(indicator_id__in=indicator_ids).order_by("plan_id", "order"):
            out.targets.setdefault(target.indicator_id, {}).setdefault(target.plan_id, target)
        target_ids = [t.pk for by_plan in out.targets.values() for t in by_plan.values()]
        newest = {}
        for qs_id, target_id in QuotaSet.objects.filter(target_id__in=target_ids).order_by(
                "target_id", "-version").values_list("id", "target_id"):
            newest.setdefault(target_id, qs_id)
        for target_id, region_id, value in Quota.objects.filter(quota_set_id__in=newest.values()).values_list(
                "quota_set__target_id", "region_id", "value"):
            out.quotas[target_id][region_id] = value
        for a in YearlyAllocation.objects.filter(target_id__in=target_ids):
            out.allocations[(a.target_id, a.region_id)][a.year] = a.value
        rows = (IndicatorValue.objects.filter(indicator_id__in=indicator_ids, status=IndicatorValue.Status.APPROVED)
                .values("indicator_id", "year").annotate(last=Max("quarter")).order_by())
        for row in rows:
            key = (row["year"], row["last"])
            if key > out.latest.get(row["indicator_id"], (0, 0)):
                out.latest[row["indicator_id"]] = key
        return out


def handles(indicator: Indicator, targets: dict[int, Target]) -> bool:
    """Whether this path computes the indicator (everything but a target each county must meet)."""
    return indicator.kind == Indicator.Kind.CITY_ONLY or not any(
        t.scope == Target.Scope.PER_COUNTY for t in targets.values())


def rollup_indicator(indicator: Indicator, ctx, prepared: Prepared, counties: list[int] | None,
                     since: Quarter | None, run: RollupRun) -> tuple[int, int, int]:
    """Compute and write one indicator's snapshots in one statement; (created, updated, unchanged)."""
    from .rollup import OFFICIAL, _allocated, _frames, _observations, _target_value, plan_quarters

    targets = prepared.targets.get(indicator.pk, {})
    plans = [p for p in ctx.plans if p.pk in targets]
    city_only = indicator.kind == Indicator.Kind.CITY_ONLY
    regions = [ctx.city_id] if city_only else [r for r in (counties or ctx.county_ids) if r != ctx.city_id] + [ctx.city_id]
    now = Quarter.of_date(ctx.today)
    derived = None
    if indicator.kind == Indicator.Kind.DERIVED:
        quarters = sorted({q for p in plans for q in plan_quarters(p, now)})
        derived = _observations(indicator, ctx, None, OFFICIAL, quarters) if plans else {}
        keys = [k for by_quarter in derived.values() for k in by_quarter]
        until = max([now, *(Quarter(*k) for k in keys)])
    else:
        until = max(now, Quarter(*prepared.latest[indicator.pk])) if indicator.pk in prepared.latest else now
    n = len(ctx.county_ids)
    frames_cols: dict[str, list] = defaultdict(list)
    pr_cols: dict[str, list] = defaultdict(list)
    al_cols: dict[str, list] = defaultdict(list)
    for plan in plans:
        target = targets[plan.pk]
        frames = _frames(indicator, plan, target, plan_quarters(plan, until))
        if not frames:
            continue
        rows = [(f, False) for f in frames]
        if indicator.kind != Indicator.Kind.FLOW:  # the quarter before the plan: what "last quarter" compares with
            before = frames[0].quarter.previous()
            rows.insert(0, (frames[0].__class__(before, (before.year, before.number), before.end, target,
                                                frames[0].span_start, frames[0].span_end, 0), True))
        for frame, is_before in rows:
            share = elapsed_share(frame.span_start, frame.span_end, frame.end)
            for name, value in (("plan", plan.pk), ("target", target.pk), ("y", frame.quarter.year),
                                ("q", frame.quarter.number), ("qend", frame.end), ("ss", frame.span_start),
                                ("se", frame.span_end), ("qrem", frame.quarters_remaining), ("share", share),
                                ("pte", q2(share * HUNDRED)), ("before", is_before)):
                frames_cols[name].append(value)
        for region_id in regions:
            is_city = region_id == ctx.city_id
            pr_cols["plan"].append(plan.pk)
            pr_cols["region"].append(region_id)
            pr_cols["tv"].append(_target_value(indicator, target, prepared.quotas, region_id, is_city, n))
            pr_cols["units"].append(1 if (not is_city or city_only) else n)
            if prepared.allocations.get((target.pk, None if is_city else region_id)):
                for frame in frames:
                    al_cols["plan"].append(plan.pk)
                    al_cols["region"].append(region_id)
                    al_cols["y"].append(frame.quarter.year)
                    al_cols["q"].append(frame.quarter.number)
                    al_cols["e"].append(_allocated(target, prepared.allocations, None if is_city else region_id,
                                                   frame.span_start, frame.quarter))
    params = {
        "indicator": indicator.pk, "city": ctx.city_id, "regions": regions, "counties": counties or [],
        "since_y": since.year if since else 0, "since_q": since.number if since else 0,
        "now": timezone.now(), "run": run.pk, "scale": indicator.scale,
        "rule_none": RULES["none"], "rule": RULES[rule_for(indicator.kind, indicator.direction)],
        **{f"f_{k}": v for k, v in frames_cols.items()}, **{f"pr_{k}": v for k, v in pr_cols.items()},
        **{f"al_{k}": v for k, v in al_cols.items()},
    }
    for prefix, names in (("f", FRAME_COLUMNS), ("pr", ["plan", "region", "tv", "units"]),
                          ("al", ["plan", "region", "y", "q", "e"])):
        for name in names:
            params.setdefault(f"{prefix}_{name}", [])
    if derived is not None:
        obs = {"region": [], "y": [], "q": [], "val": [], "units": []}
        for region_id, by_quarter in derived.items():
            for (y, q), o in by_quarter.items():
                for name, value in (("region", region_id), ("y", y), ("q", q), ("val", o.roles.get("value")),
                                    ("units", o.units)):
                    obs[name].append(value)
        params.update({f"o_{k}": v for k, v in obs.items()})
    with connection.cursor() as cursor:
        cursor.execute(statement(indicator, counties is not None and derived is None), params)
        created, updated, total = cursor.fetchone()
    return created, updated, total - created - updated


FRAME_COLUMNS = ["plan", "target", "y", "q", "qend", "ss", "se", "qrem", "share", "pte", "before"]

_OBS_ENTERED = """
    SELECT v.region_id, v.year AS y, v.quarter AS q,
           max(v.value) FILTER (WHERE c.role = 'value') AS val,
           max(v.value) FILTER (WHERE c.role = 'numerator') AS num,
           max(v.value) FILTER (WHERE c.role = 'denominator') AS den,
           1 AS units, max(v.approved_at) AS latest
    FROM targets_indicatorvalue v JOIN targets_indicatorcomponent c ON c.id = v.component_id
    WHERE v.indicator_id = %(indicator)s AND v.status = 'approved' {own_filter}
    GROUP BY v.region_id, v.year, v.quarter
"""
_OBS_CITY_SUMS = """
    UNION ALL
    SELECT %(city)s, y, q, max(total) FILTER (WHERE role = 'value'), max(total) FILTER (WHERE role = 'numerator'),
           max(total) FILTER (WHERE role = 'denominator'), max(n), max(latest)
    FROM (SELECT c.role, v.component_id, v.year AS y, v.quarter AS q, sum(v.value) AS total,
                 count(v.region_id) AS n, max(v.approved_at) AS latest
          FROM targets_indicatorvalue v JOIN targets_indicatorcomponent c ON c.id = v.component_id
          WHERE v.indicator_id = %(indicator)s AND v.status = 'approved'
          GROUP BY c.role, v.component_id, v.year, v.quarter) per_component
    GROUP BY y, q
"""
_OBS_DERIVED = """
    SELECT region_id, y, q, val, NULL::numeric AS num, NULL::numeric AS den, units, NULL::timestamptz AS latest
    FROM unnest(%(o_region)s::int[], %(o_y)s::int[], %(o_q)s::int[], %(o_val)s::numeric[], %(o_units)s::int[])
         AS o(region_id, y, q, val, units)
"""

_COLUMNS = ["plan_id", "indicator_id", "region_id", "year", "quarter", "target_id", "period_value", "value",
            "numerator", "denominator", "target_value", "percent_achieved", "percent_time_elapsed",
            "expected_to_date", "status", "status_reason", "projected_end_value", "required_run_rate",
            "units_reported", "units_expected", "data_as_of", "computed_at", "run_id"]
_COMPARED = _COLUMNS[5:-2]


def statement(indicator: Indicator, filter_counties: bool) -> str:
    """The one statement that computes and writes an indicator's snapshots (see the module's text)."""
    kind, direction = indicator.kind, indicator.direction
    city_only = kind == Indicator.Kind.CITY_ONLY
    if kind == Indicator.Kind.DERIVED:
        obs = _OBS_DERIVED
    elif city_only:
        obs = _OBS_ENTERED.format(own_filter="")
    else:  # a county's own values (the changed counties only, in an incremental run); the city's are its counties' sums
        own = "AND v.region_id <> %(city)s" + (" AND v.region_id = ANY(%(counties)s::int[])" if filter_counties else "")
        obs = _OBS_ENTERED.format(own_filter=own) + _OBS_CITY_SUMS
    if kind == Indicator.Kind.FLOW:
        period_value, numerator, denominator, level = "o.val", "NULL::numeric", "NULL::numeric", "o.val"
        value = ("sum(CASE WHEN qend <= se THEN period_value END) OVER run")
        as_of = "max(CASE WHEN period_value IS NOT NULL AND qend <= se THEN latest END) OVER run"
    elif kind == Indicator.Kind.RATIO:
        both = "o.num IS NOT NULL AND o.den IS NOT NULL"
        period_value = "NULL::numeric"
        numerator, denominator = f"CASE WHEN {both} THEN o.num END", f"CASE WHEN {both} THEN o.den END"
        level = f"CASE WHEN {both} AND o.den <> 0 THEN o.num / o.den * %(scale)s END"
        value, as_of = "level", "latest"
    else:
        period_value, numerator, denominator, level = "o.val", "NULL::numeric", "NULL::numeric", "o.val"
        value, as_of = "level", "latest"
    rule = rule_for(kind, direction)
    expected = "coalesce(override, tv * share)"
    if rule == "pace":
        status = (f"CASE WHEN tv IS NULL THEN 'none' WHEN ended THEN CASE WHEN v >= tv THEN 'green' ELSE 'red' END "
                  f"WHEN v >= {expected} THEN 'green' WHEN v >= {expected} * {PACE_AMBER} THEN 'amber' ELSE 'red' END")
    elif rule == "floor":
        status = (f"CASE WHEN tv IS NULL THEN 'none' WHEN v >= tv THEN 'green' WHEN v >= tv * {RATE_AMBER} THEN 'amber' "
                  "ELSE 'red' END")
    elif rule == "ceiling":
        status = (f"CASE WHEN tv IS NULL THEN 'none' WHEN v <= tv * {CEILING_GREEN} THEN 'green' "
                  "WHEN v <= tv THEN 'amber' ELSE 'red' END")
    else:
        status = "CASE WHEN v = 0 THEN 'green' WHEN previous IS NOT NULL AND v < previous THEN 'amber' ELSE 'red' END"
    if kind == Indicator.Kind.FLOW:
        projected = "CASE WHEN share > 0 AND NOT ended THEN v / share ELSE v END"
    elif kind in (Indicator.Kind.RATIO, Indicator.Kind.CITY_ONLY):
        projected = "v"
    else:
        projected = ("CASE WHEN tend IS NOT NULL AND tend < qend AND NOT ended "
                     "THEN greatest(0, v + (v - tval) / (qend - tend) * (se - qend)) ELSE v END")
    percent = "round(v / tv * 100, 2)" if direction == "at_least" else "NULL::numeric"
    pace = rule == "pace"
    trend_end = " ".join(f"WHEN l{k}v IS NOT NULL AND l{k}e >= ss THEN l{k}e" for k in (4, 3, 2, 1))
    trend_value = " ".join(f"WHEN l{k}v IS NOT NULL AND l{k}e >= ss THEN l{k}v" for k in (4, 3, 2, 1))
    lags = ", ".join(f"lag(value, {k}) OVER hist AS l{k}v, lag(qend, {k}) OVER hist AS l{k}e" for k in (1, 2, 3, 4))
    frames = ", ".join(f"%(f_{c})s::{t}[]" for c, t in zip(FRAME_COLUMNS, [
        "int", "int", "int", "int", "date", "date", "date", "int", "numeric", "numeric", "bool"], strict=True))
    return f"""
WITH f AS (
    SELECT * FROM unnest({frames}) AS f(plan_id, target_id, y, q, qend, ss, se, qrem, share, pte, before)
), pr AS (
    SELECT * FROM unnest(%(pr_plan)s::int[], %(pr_region)s::int[], %(pr_tv)s::numeric[], %(pr_units)s::int[])
        AS pr(plan_id, region_id, tv, units_expected)
), al AS (
    SELECT * FROM unnest(%(al_plan)s::int[], %(al_region)s::int[], %(al_y)s::int[], %(al_q)s::int[],
                         %(al_e)s::numeric[]) AS al(plan_id, region_id, y, q, override)
), obs AS ({obs}
), base AS (
    SELECT f.*, pr.region_id, pr.tv, pr.units_expected, al.override, o.region_id IS NOT NULL AS has_obs,
           coalesce(o.units, 0) AS units, o.latest, {period_value} AS period_value, {numerator} AS numerator,
           {denominator} AS denominator, {level} AS level
    FROM f JOIN pr ON pr.plan_id = f.plan_id
    LEFT JOIN obs o ON o.region_id = pr.region_id AND o.y = f.y AND o.q = f.q
    LEFT JOIN al ON al.plan_id = f.plan_id AND al.region_id = pr.region_id AND al.y = f.y AND al.q = f.q
), valued AS (
    SELECT base.*, {value} AS value, {as_of} AS as_of FROM base
    WINDOW run AS (PARTITION BY plan_id, region_id, ss ORDER BY y, q ROWS UNBOUNDED PRECEDING)
), lagged AS (
    SELECT valued.*, {lags} FROM valued
    WINDOW hist AS (PARTITION BY plan_id, region_id ORDER BY y, q)
), assessed AS (
    SELECT lagged.*, value AS v, l1v AS previous, qend >= se AS ended,
           CASE {trend_end} END AS tend, CASE {trend_value} END AS tval
    FROM lagged
    WHERE NOT before AND (y, q) >= (%(since_y)s, %(since_q)s)
), computed AS (
    SELECT plan_id, %(indicator)s AS indicator_id, region_id, y AS year, q AS quarter, target_id,
           round(period_value, 4) AS period_value, round(v, 4) AS value, round(numerator, 4) AS numerator,
           round(denominator, 4) AS denominator, round(tv, 4) AS target_value,
           CASE WHEN v IS NOT NULL AND tv <> 0 THEN {percent} END AS percent_achieved,
           pte AS percent_time_elapsed,
           CASE WHEN v IS NOT NULL THEN {f"round({expected}, 4)" if pace else "NULL::numeric"} END AS expected_to_date,
           CASE WHEN v IS NULL THEN 'none' ELSE {status} END AS status,
           CASE WHEN v IS NULL THEN %(rule_none)s ELSE %(rule)s END
             || CASE WHEN has_obs AND units < units_expected
                     THEN '（' || units || '/' || units_expected || ' 个单位已报）' ELSE '' END AS status_reason,
           CASE WHEN v IS NOT NULL THEN round({projected}, 4) END AS projected_end_value,
           {"CASE WHEN v IS NOT NULL AND tv IS NOT NULL AND qrem > 0 AND NOT ended THEN round(greatest(0, tv - v) / qrem, 4) END"
            if pace else "NULL::numeric"} AS required_run_rate,
           units AS units_reported, units_expected, as_of AS data_as_of,
           %(now)s::timestamptz AS computed_at, %(run)s AS run_id
    FROM assessed
), stale AS (
    DELETE FROM targets_snapshot s
    WHERE s.indicator_id = %(indicator)s AND s.region_id = ANY(%(regions)s::int[])
      AND (s.year, s.quarter) >= (%(since_y)s, %(since_q)s)
      -- what ``computed`` yields for these regions: every frame of every plan (``f``, a few dozen rows)
      AND NOT EXISTS (SELECT 1 FROM f WHERE NOT f.before AND f.plan_id = s.plan_id AND f.y = s.year
                      AND f.q = s.quarter)
), changed AS (
    -- compared with what is stored before writing: ON CONFLICT … DO UPDATE … WHERE locks (and so
    -- writes to) every conflicting row even when its WHERE is false, so a warm run would touch them all
    SELECT c.* FROM computed c
    LEFT JOIN targets_snapshot s ON s.plan_id = c.plan_id AND s.indicator_id = c.indicator_id
        AND s.region_id = c.region_id AND s.year = c.year AND s.quarter = c.quarter
    WHERE s.id IS NULL
       OR ({", ".join(f"s.{c}" for c in _COMPARED)}) IS DISTINCT FROM ({", ".join(f"c.{c}" for c in _COMPARED)})
), written AS (
    INSERT INTO targets_snapshot AS s ({", ".join(_COLUMNS)})
    SELECT {", ".join(_COLUMNS)} FROM changed
    ON CONFLICT (plan_id, indicator_id, region_id, year, quarter)
    DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[5:])}
    WHERE ({", ".join(f"s.{c}" for c in _COMPARED)}) IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in _COMPARED)})
    RETURNING (s.xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted), (SELECT count(*) FROM computed)
FROM written
"""


def since_of(value) -> Quarter | None:
    """A job's ``since`` ([year, quarter] in JSON) as a Quarter."""
    if not value:
        return None
    year, number = value
    return Quarter(int(year), int(number))



