"""The roll-up on PostgreSQL, set-based: one statement computes and writes every snapshot of a run,
for every indicator at once.

What depends only on an indicator, a plan and a quarter (the span a figure accumulates over, the
share of it elapsed, the quarters left) or on a plan and a region (the target, the units expected,
the yearly allocations) is a few thousand numbers, worked out in Python with the same functions as
the row by row engine (``rollup._frames``, ``_target_value``, ``_allocated``, ``pace.elapsed_share``)
and sent as arrays; so are the derived counts, counted by the app that keeps their records.
Everything that grows with the data is computed by the database in the one statement:

- the approved values per indicator, region and quarter, and the city's sums over its counties (a
  ratio's rate from the summed numerator and denominator, never the mean of rates);
- a flow's running total over its window (``SUM … OVER (PARTITION BY indicator, plan, region,
  window start ORDER BY year, quarter)``), a stock's or a rate's value at the quarter's end;
- the quarter before (for "lower than last quarter") and the trend over the last year (``LAG``);
- pace, status, expected to date, projection and required run rate: the rules of ``pace.assess``
  written once more as SQL expressions (same thresholds, read from ``pace``), chosen per row by the
  indicator's kind and rule;
- a target each county must meet (1–2 labour brands per county): the city's row counts the
  counties meeting it (``rollup._counties_meeting``, as SQL);
- the write: the rows that differ from what is stored, then ``INSERT … ON CONFLICT … DO UPDATE …
  WHERE (…) IS DISTINCT FROM (…)`` (an unchanged snapshot costs no write), and the removal of the
  snapshots this computation no longer yields, in the same statement.

An incremental run (``since``: the earliest quarter that changed) writes only that quarter and the
ones after it, for the changed counties and the city; it reads what it needs before them.
Tests: tests/targets (on PostgreSQL they run this path; ``test_rollup_sql.py`` compares it with
the row by row engine on the same data).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kernel.quarters import Quarter

from .models import Indicator, IndicatorValue, Quota, QuotaSet, RollupRun, Target, YearlyAllocation
from .pace import CEILING_GREEN, HUNDRED, PACE_AMBER, RATE_AMBER, RULES, elapsed_share, q2, rule_for
from .rollup import OFFICIAL, SNAPSHOT_FIELDS, _allocated, _frames, _observations, _target_value, plan_quarters

Key = tuple[int, int]

# the memory a full run's statement may sort and hash in before spilling to disk (PostgreSQL's
# default is 4 MB; one statement per run, not per request). benchmarks/rollup_benchmark.py gives
# its hand-written aggregation the same, so that the two are compared on the same footing.
FULL_RUN_WORK_MEM = "64MB"


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
        for target_id, region_id, year, value in (YearlyAllocation.objects.filter(target_id__in=target_ids).order_by()
                                                  .values_list("target_id", "region_id", "year", "value")):
            out.allocations[(target_id, region_id)][year] = value  # unordered: the model's order joins three tables
        # each indicator's newest approved quarter: one backward step down value_rollup_idx per
        # indicator (0.3 ms at province scale; grouping every approved value took ~50 ms)
        newest = IndicatorValue.objects.filter(indicator_id=OuterRef("pk"), status=IndicatorValue.Status.APPROVED
                                               ).order_by("-year", "-quarter")
        for pk, year, quarter in (Indicator.objects.filter(pk__in=indicator_ids).order_by()
                                  .annotate(y=Subquery(newest.values("year")[:1]),
                                            q=Subquery(newest.values("quarter")[:1])).values_list("pk", "y", "q")):
            if year is not None:
                out.latest[pk] = (year, quarter)
        return out


def handles(indicator: Indicator, targets: dict[int, Target]) -> bool:
    """Whether this path computes the indicator: every one (a target each county must meet too: its
    city row counts the counties meeting it). The switch the tests turn off to compare this path
    with the row by row engine on the same data."""
    return True


def rollup_indicators(indicators: list[Indicator], ctx, prepared: Prepared, counties: list[int] | None,
                      since: Quarter | None, run: RollupRun) -> tuple[int, int, int]:
    """Compute and write the snapshots of ``indicators`` in one statement; (created, updated, unchanged)."""
    now = Quarter.of_date(ctx.today)
    n = len(ctx.county_ids)
    counties_only = [r for r in (counties or ctx.county_ids) if r != ctx.city_id]
    cols: dict[str, dict[str, list]] = {name: defaultdict(list) for name in ARRAYS}

    def add(table: str, **values) -> None:
        for name, value in values.items():
            cols[table][name].append(value)

    entered, city_only_ids, summed, whole = [], [], [], []
    for indicator in indicators:
        targets = prepared.targets.get(indicator.pk, {})
        plans = [p for p in ctx.plans if p.pk in targets]
        kind = indicator.kind
        city_only = kind == Indicator.Kind.CITY_ONLY
        per_county = not city_only and any(targets[p.pk].scope == Target.Scope.PER_COUNTY for p in plans)
        # a target each county must meet: the city's figure counts the counties meeting it, so every
        # county is read and written even when only some changed
        regions = [ctx.city_id] if city_only else (ctx.county_ids if per_county else counties_only) + [ctx.city_id]
        for region_id in regions:
            add("cov", ind=indicator.pk, region=region_id)
        rule = rule_for(kind, indicator.direction)
        add("ind", id=indicator.pk, kind=kind, rule=rule, direction=indicator.direction, scale=indicator.scale,
            rule_text=RULES[rule])
        if kind == Indicator.Kind.DERIVED:
            quarters = sorted({q for p in plans for q in plan_quarters(p, now)})
            derived = _observations(indicator, ctx, None, OFFICIAL, quarters) if plans else {}
            keys = [k for by_quarter in derived.values() for k in by_quarter]
            until = max([now, *(Quarter(*k) for k in keys)])
            for region_id, by_quarter in derived.items():
                for (y, q), o in by_quarter.items():
                    add("o", ind=indicator.pk, region=region_id, y=y, q=q, val=o.roles.get("value"), units=o.units)
        else:
            entered.append(indicator.pk)
            if city_only:
                city_only_ids.append(indicator.pk)
            else:
                summed.append(indicator.pk)
                if per_county or counties is None:
                    whole.append(indicator.pk)
            latest = prepared.latest.get(indicator.pk)
            until = max(now, Quarter(*latest)) if latest else now
        for plan in plans:
            target = targets[plan.pk]
            frames = _frames(indicator, plan, target, plan_quarters(plan, until))
            if not frames:
                continue
            rows = [(f, False) for f in frames]
            if kind != Indicator.Kind.FLOW:  # the quarter before the plan: what "last quarter" compares with
                before = frames[0].quarter.previous()
                rows.insert(0, (frames[0].__class__(before, (before.year, before.number), before.end, target,
                                                    frames[0].span_start, frames[0].span_end, 0), True))
            plan_per_county = not city_only and target.scope == Target.Scope.PER_COUNTY
            for frame, is_before in rows:
                share = elapsed_share(frame.span_start, frame.span_end, frame.end)
                add("f", ind=indicator.pk, plan=plan.pk, target=target.pk, y=frame.quarter.year,
                    q=frame.quarter.number, qend=frame.end, ss=frame.span_start, se=frame.span_end,
                    qrem=frame.quarters_remaining, share=share, pte=q2(share * HUNDRED), before=is_before,
                    percounty=plan_per_county, tvalue=target.value)
            if plan_per_county:
                add("tg", ind=indicator.pk, plan=plan.pk, tdisplay=target.display_value)
            for region_id in regions:
                is_city = region_id == ctx.city_id
                add("pr", ind=indicator.pk, plan=plan.pk, region=region_id,
                    tv=_target_value(indicator, target, prepared.quotas, region_id, is_city, n),
                    units=1 if (not is_city or city_only) else n)
                if prepared.allocations.get((target.pk, None if is_city else region_id)):
                    for frame in frames:
                        add("al", ind=indicator.pk, plan=plan.pk, region=region_id, y=frame.quarter.year,
                            q=frame.quarter.number, e=_allocated(target, prepared.allocations,
                                                                 None if is_city else region_id,
                                                                 frame.span_start, frame.quarter))
    params = {
        "city": ctx.city_id, "n": n, "counties": counties_only, "entered": entered, "city_only": city_only_ids,
        "summed": summed, "whole": whole, "indicators": [i.pk for i in indicators],
        "since_y": since.year if since else 0, "since_q": since.number if since else 0,
        "now": timezone.now(), "run": run.pk, "rule_none": RULES["none"],
    }
    for table, names in ARRAYS.items():
        for name, kind in names:
            params[f"{table}_{name}"] = array_literal(cols[table].get(name, []), kind)
    with connection.cursor() as cursor:
        if counties is None:
            # A full run: tens of thousands of rows. The arrays carry no statistics: PostgreSQL
            # guesses a few rows for their joins and would then look up each stored snapshot one by
            # one: hash joins. The statement sorts and hashes a row per snapshot: enough memory to do
            # it without spilling to disk (FULL_RUN_WORK_MEM).
            cursor.execute(f"SET LOCAL enable_nestloop = off; SET LOCAL work_mem = '{FULL_RUN_WORK_MEM}'")
            cursor.execute(STATEMENT, params)
            created, updated, total = cursor.fetchone()
            cursor.execute("SET LOCAL enable_nestloop TO DEFAULT; SET LOCAL work_mem TO DEFAULT")
        else:
            # An approval's run: a few dozen rows, where planning the statement costs as much as
            # running it. Prepared once per database connection, run with its generic plan.
            _prepare(cursor)
            cursor.execute(f"SET LOCAL plan_cache_mode = force_generic_plan; EXECUTE {PREPARED} "
                           f"({', '.join(['%s'] * len(_POSITIONAL))})", [params[name] for name in _POSITIONAL])
            created, updated, total = cursor.fetchone()
    return created, updated, total - created - updated


def _text_element(value) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


_ELEMENT = {  # how one element of an array of each type is written (NULL for None)
    "int": str, "numeric": str, "date": datetime.date.isoformat, "bool": lambda v: "t" if v else "f",
    "text": _text_element,
}


def array_literal(values: list, kind: str) -> str:
    """A list as PostgreSQL's array text (``{1,NULL,"文本"}``), sent as one string and cast in the
    statement: psycopg2 would send ``ARRAY[…]`` with a node per element, which PostgreSQL takes
    longer to parse and plan than to run the statement (tens of thousands of elements)."""
    write = _ELEMENT[kind]
    return "{" + ",".join(["NULL" if v is None else write(v) for v in values]) + "}"


ARRAYS = {
    "ind": [("id", "int"), ("kind", "text"), ("rule", "text"), ("direction", "text"), ("scale", "numeric"),
            ("rule_text", "text")],
    "f": [("ind", "int"), ("plan", "int"), ("target", "int"), ("y", "int"), ("q", "int"), ("qend", "date"),
          ("ss", "date"), ("se", "date"), ("qrem", "int"), ("share", "numeric"), ("pte", "numeric"),
          ("before", "bool"), ("percounty", "bool"), ("tvalue", "numeric")],
    "tg": [("ind", "int"), ("plan", "int"), ("tdisplay", "text")],
    "pr": [("ind", "int"), ("plan", "int"), ("region", "int"), ("tv", "numeric"), ("units", "int")],
    "al": [("ind", "int"), ("plan", "int"), ("region", "int"), ("y", "int"), ("q", "int"), ("e", "numeric")],
    "cov": [("ind", "int"), ("region", "int")],
    "o": [("ind", "int"), ("region", "int"), ("y", "int"), ("q", "int"), ("val", "numeric"), ("units", "int")],
}
_RENAMED = {"plan": "plan_id", "region": "region_id", "target": "target_id", "units": "units_expected",
            "e": "override"}


def _unnest(table: str, renamed: dict[str, str] | None = None) -> str:
    names = ARRAYS[table]
    renamed = renamed or {}
    arrays = ", ".join(f"%({table}_{name})s::{kind}[]" for name, kind in names)
    return f"SELECT * FROM unnest({arrays}) AS {table}({', '.join(renamed.get(n, n) for n, _ in names)})"


_COLUMNS = ["plan_id", "indicator_id", "region_id", "year", "quarter", *SNAPSHOT_FIELDS, "computed_at", "run_id"]
_COMPARED = SNAPSHOT_FIELDS

_EXPECTED = "coalesce(override, tv * share)"
_STATUS = f"""CASE
    WHEN rule = 'pace' THEN CASE WHEN tv IS NULL THEN 'none' WHEN ended THEN CASE WHEN v >= tv THEN 'green' ELSE 'red' END
                                 WHEN v >= {_EXPECTED} THEN 'green' WHEN v >= {_EXPECTED} * {PACE_AMBER} THEN 'amber'
                                 ELSE 'red' END
    WHEN rule = 'floor' THEN CASE WHEN tv IS NULL THEN 'none' WHEN v >= tv THEN 'green'
                                  WHEN v >= tv * {RATE_AMBER} THEN 'amber' ELSE 'red' END
    WHEN rule = 'ceiling' THEN CASE WHEN tv IS NULL THEN 'none' WHEN v <= tv * {CEILING_GREEN} THEN 'green'
                                    WHEN v <= tv THEN 'amber' ELSE 'red' END
    ELSE CASE WHEN v = 0 THEN 'green' WHEN previous IS NOT NULL AND v < previous THEN 'amber' ELSE 'red' END
END"""
_PROJECTED = """CASE
    WHEN kind = 'flow' THEN CASE WHEN share > 0 AND NOT ended THEN v / share ELSE v END
    WHEN kind IN ('ratio', 'city_only') THEN v
    ELSE CASE WHEN tend IS NOT NULL AND tend < qend AND NOT ended
              THEN greatest(0, v + (v - tval) / (qend - tend) * (se - qend)) ELSE v END
END"""
_TREND_END = " ".join(f"WHEN l{k}v IS NOT NULL AND l{k}e >= ss THEN l{k}e" for k in (4, 3, 2, 1))
_TREND_VALUE = " ".join(f"WHEN l{k}v IS NOT NULL AND l{k}e >= ss THEN l{k}v" for k in (4, 3, 2, 1))
_LAGS = ", ".join(f"lag(value, {k}) OVER hist AS l{k}v, lag(qend, {k}) OVER hist AS l{k}e" for k in (1, 2, 3, 4))
_SHARED = ("plan_id, ind AS indicator_id, region_id, y AS year, q AS quarter, target_id, pte AS percent_time_elapsed, "
           "units AS units_reported, units_expected, as_of AS data_as_of, %(now)s::timestamptz AS computed_at, "
           "%(run)s AS run_id")

STATEMENT = f"""
WITH ind AS ({_unnest("ind")}
), f AS ({_unnest("f", _RENAMED)}
), pr AS ({_unnest("pr", _RENAMED)}
), al AS ({_unnest("al", _RENAMED)}
), cov AS ({_unnest("cov", _RENAMED)}
), tg AS ({_unnest("tg", {"ind": "tg_ind", "plan": "tg_plan"})}
), obs AS MATERIALIZED (
    -- each unit's own approved values (a city-only figure's are the city's; a county's, in an
    -- incremental run, only the changed counties' unless every county is needed)
    SELECT v.indicator_id AS ind, v.region_id, v.year AS y, v.quarter AS q,
           max(v.value) FILTER (WHERE c.role = 'value') AS val,
           max(v.value) FILTER (WHERE c.role = 'numerator') AS num,
           max(v.value) FILTER (WHERE c.role = 'denominator') AS den,
           1 AS units, max(v.approved_at) AS latest
    FROM targets_indicatorvalue v JOIN targets_indicatorcomponent c ON c.id = v.component_id
    WHERE v.indicator_id = ANY(%(entered)s::int[]) AND v.status = 'approved'
      AND (v.indicator_id = ANY(%(city_only)s::int[])
           OR (v.region_id <> %(city)s
               AND (v.indicator_id = ANY(%(whole)s::int[]) OR v.region_id = ANY(%(counties)s::int[]))))
    GROUP BY v.indicator_id, v.region_id, v.year, v.quarter
    UNION ALL
    -- the city's: its counties' sums, per component (a rate from the summed parts, never a mean of rates)
    SELECT ind, %(city)s, y, q, max(total) FILTER (WHERE role = 'value'), max(total) FILTER (WHERE role = 'numerator'),
           max(total) FILTER (WHERE role = 'denominator'), max(n), max(latest)
    FROM (SELECT v.indicator_id AS ind, c.role, v.component_id, v.year AS y, v.quarter AS q, sum(v.value) AS total,
                 count(v.region_id) AS n, max(v.approved_at) AS latest
          FROM targets_indicatorvalue v JOIN targets_indicatorcomponent c ON c.id = v.component_id
          WHERE v.indicator_id = ANY(%(summed)s::int[]) AND v.status = 'approved'
          GROUP BY v.indicator_id, c.role, v.component_id, v.year, v.quarter) per_component
    GROUP BY ind, y, q
    UNION ALL
    -- derived counts, counted by the app that keeps their records
    SELECT ind, region, y, q, val, NULL::numeric, NULL::numeric, units, NULL::timestamptz
    FROM ({_unnest("o")}) o
), base AS NOT MATERIALIZED (
    -- kept narrow: every column here is sorted and kept for tens of thousands of rows. ``windowed``:
    -- the figures that need the quarters before them (a flow's running total, a count's or a
    -- stock's trend, "lower than last quarter"); a rate's is its quarter's alone
    SELECT (ind.kind NOT IN ('ratio', 'city_only') OR ind.rule = 'zero') AS windowed, f.ind, f.plan_id, f.target_id, pr.region_id, f.y, f.q, f.qend, f.ss, f.se, f.qrem, f.share, f.pte,
           f.before, f.percounty, f.tvalue, ind.kind, pr.tv, pr.units_expected, al.override,
           o.ind IS NOT NULL AS has_obs, coalesce(o.units, 0) AS units, o.latest,
           CASE WHEN ind.kind = 'ratio' THEN NULL ELSE o.val END AS period_value,
           CASE WHEN ind.kind = 'ratio' AND o.num IS NOT NULL AND o.den IS NOT NULL THEN o.num END AS numerator,
           CASE WHEN ind.kind = 'ratio' AND o.num IS NOT NULL AND o.den IS NOT NULL THEN o.den END AS denominator,
           CASE WHEN ind.kind <> 'ratio' THEN o.val
                WHEN o.num IS NOT NULL AND o.den IS NOT NULL AND o.den <> 0 THEN o.num / o.den * ind.scale END AS level
    FROM f JOIN ind ON ind.id = f.ind JOIN pr ON pr.ind = f.ind AND pr.plan_id = f.plan_id
    LEFT JOIN obs o ON o.ind = f.ind AND o.region_id = pr.region_id AND o.y = f.y AND o.q = f.q
    LEFT JOIN al ON al.ind = f.ind AND al.plan_id = f.plan_id AND al.region_id = pr.region_id AND al.y = f.y
                    AND al.q = f.q
), valued AS (
    -- a flow: its running total over its window (after the window ends nothing more counts)
    SELECT base.*,
           CASE WHEN kind = 'flow' THEN sum(CASE WHEN qend <= se THEN period_value END) OVER run ELSE level END AS value,
           CASE WHEN kind = 'flow' THEN max(CASE WHEN period_value IS NOT NULL AND qend <= se THEN latest END) OVER run
                ELSE latest END AS as_of
    FROM base WHERE windowed
    WINDOW run AS (PARTITION BY ind, plan_id, region_id, ss ORDER BY y, q ROWS UNBOUNDED PRECEDING)
), lagged AS (
    -- ordered by the window's start as well: the same order as ``run``'s (a window starts no
    -- earlier than the one before it), so the rows are sorted once for both
    SELECT valued.*, {_LAGS} FROM valued
    WINDOW hist AS (PARTITION BY ind, plan_id, region_id ORDER BY ss, y, q)
), assessed AS (
    SELECT ind, plan_id, target_id, region_id, y, q, qend, se, qrem, share, pte, before, percounty, tvalue, tv,
           units_expected, override, has_obs, units, as_of, period_value, numerator, denominator, level,
           value AS v, qend >= se AS ended, l1v AS previous, CASE {_TREND_END} END AS tend,
           CASE {_TREND_VALUE} END AS tval
    FROM lagged
    UNION ALL
    SELECT ind, plan_id, target_id, region_id, y, q, qend, se, qrem, share, pte, before, percounty, tvalue, tv,
           units_expected, override, has_obs, units, latest, period_value, numerator, denominator, level,
           level, qend >= se, NULL, NULL, NULL
    FROM base WHERE NOT windowed AND NOT before
), current AS (
    SELECT * FROM assessed WHERE (y, q) >= (%(since_y)s, %(since_q)s) AND NOT before
), meeting AS (
    -- a target each county must meet: how many counties meet it, and their total
    SELECT ind, plan_id, y, q, count(*) FILTER (WHERE level >= tvalue) AS m, coalesce(sum(level), 0) AS total
    FROM current WHERE percounty AND region_id <> %(city)s
    GROUP BY ind, plan_id, y, q
), computed AS (
    SELECT {_SHARED},
           round(period_value, 4) AS period_value, round(v, 4) AS value, round(numerator, 4) AS numerator,
           round(denominator, 4) AS denominator, round(tv, 4) AS target_value,
           CASE WHEN v IS NOT NULL AND tv <> 0 AND direction = 'at_least' THEN round(v / tv * 100, 2) END
             AS percent_achieved,
           CASE WHEN v IS NOT NULL AND rule = 'pace' THEN round({_EXPECTED}, 4) END AS expected_to_date,
           CASE WHEN v IS NULL THEN 'none' ELSE {_STATUS} END AS status,
           CASE WHEN v IS NULL THEN %(rule_none)s ELSE rule_text END
             || CASE WHEN has_obs AND units < units_expected
                     THEN '（' || units || '/' || units_expected || ' 个单位已报）' ELSE '' END AS status_reason,
           CASE WHEN v IS NOT NULL THEN round({_PROJECTED}, 4) END AS projected_end_value,
           CASE WHEN rule = 'pace' AND v IS NOT NULL AND tv IS NOT NULL AND qrem > 0 AND NOT ended
                THEN round(greatest(0, tv - v) / qrem, 4) END AS required_run_rate
    FROM current JOIN ind ON ind.id = current.ind
    WHERE NOT (percounty AND region_id = %(city)s)
    UNION ALL
    -- … the city's row of such a target: the counties meeting it of all of them; green when every
    -- county meets it, amber when at least half do, red otherwise
    SELECT {_SHARED},
           round(total, 4), round(m::numeric, 4), round(m::numeric, 4), round(%(n)s::numeric, 4),
           round(%(n)s::numeric, 4), round(100.0 * m / %(n)s, 2), NULL::numeric,
           CASE WHEN m = %(n)s THEN 'green' WHEN 2 * m >= %(n)s THEN 'amber' ELSE 'red' END,
           m || '/' || %(n)s || ' 个县（市、区）达到每县' || tg.tdisplay || '的目标（全市合计 ' || trim_scale(total)
             || '）；全部达到为绿，半数以上为黄，否则为红',
           NULL::numeric, NULL::numeric
    FROM current JOIN meeting USING (ind, plan_id, y, q) JOIN tg ON tg.tg_ind = ind AND tg.tg_plan = plan_id
    WHERE percounty AND region_id = %(city)s AND %(n)s > 0
), stale AS (
    -- what this computation no longer yields for the regions it covers: every frame of every plan
    -- (``f``, a few hundred rows) is what it yields
    DELETE FROM targets_snapshot s
    WHERE s.indicator_id = ANY(%(indicators)s::int[]) AND (s.year, s.quarter) >= (%(since_y)s, %(since_q)s)
      AND EXISTS (SELECT 1 FROM cov WHERE cov.ind = s.indicator_id AND cov.region_id = s.region_id)
      AND NOT EXISTS (SELECT 1 FROM f WHERE NOT f.before AND f.ind = s.indicator_id AND f.plan_id = s.plan_id
                      AND f.y = s.year AND f.q = s.quarter)
), changed AS (
    -- compared with what is stored before writing: ON CONFLICT … DO UPDATE … WHERE locks (and so
    -- writes to) every conflicting row even when its WHERE is false, so a warm run would touch them all
    SELECT c.* FROM computed c
    LEFT JOIN targets_snapshot s ON s.plan_id = c.plan_id AND s.indicator_id = c.indicator_id
        AND s.region_id = c.region_id AND s.year = c.year AND s.quarter = c.quarter
        AND s.indicator_id = ANY(%(indicators)s::int[])
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
-- how many rows ``computed`` yields, counted on ``current`` (one each) so that ``computed`` is read
-- once, streamed into the comparison rather than kept
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),
       (SELECT count(*) FROM current WHERE %(n)s > 0 OR NOT (percounty AND region_id = %(city)s))
FROM written
"""


# The statement with positional parameters, for PREPARE: the arrays go as text (cast in the
# statement), the rest with their types.
_SCALARS = {"city": "int", "n": "int", "since_y": "int", "since_q": "int", "now": "timestamptz", "run": "int",
            "rule_none": "text"}
_POSITIONAL = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", STATEMENT)))
PREPARED = "targets_rollup_" + hashlib.sha1(STATEMENT.encode()).hexdigest()[:12]
_PREPARE = (f"PREPARE {PREPARED} ({', '.join(_SCALARS.get(name, 'text') for name in _POSITIONAL)}) AS "
            + re.sub(r"%\((\w+)\)s", lambda m: f"${_POSITIONAL.index(m.group(1)) + 1}", STATEMENT))
_prepared_on: weakref.WeakSet = weakref.WeakSet()  # the driver's connections it is prepared on


def _prepare(cursor) -> None:
    """PREPARE the statement on this database connection, once (a prepared statement lasts as long
    as the connection, whatever becomes of the transaction that prepared it)."""
    raw = connection.connection
    if raw not in _prepared_on:
        cursor.execute(_PREPARE)
        _prepared_on.add(raw)


def since_of(value) -> Quarter | None:
    """A job's ``since`` ([year, quarter] in JSON) as a Quarter."""
    if not value:
        return None
    year, number = value
    return Quarter(int(year), int(number))



