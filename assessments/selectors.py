"""What a final assessment holds, read through the selectors and rules the rest of the platform
uses: the snapshots of the plan's final quarter and of each year's last quarter (targets), the
status rule and its met / not-met reading (targets.pace), the certification counts at the end
(communities), the task reports and the leaders' instructions, and the reporting timeliness of
every period of the plan (reports.selectors). Nothing is recomputed from the values.

``assessment_content`` is frozen into the assessment when it is drafted; ``corrections_after`` and
``current_figures`` are read live, to be shown beside the frozen figures, never in their place."""

from __future__ import annotations

import datetime
import decimal
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from communities.models import Tier
from communities.selectors import tier_counts
from divisions.models import Region
from kernel.quarters import Quarter, quarters_q
from reports.models import Correction, Instruction, ReportingPeriod, TaskReport
from reports.selectors import Timeliness, county_timeliness, department_reporting
from targets.models import Snapshot, Target
from targets.pace import MET_RULES, met, rule_for
from tasks.models import Plan, Responsibility, Task


def _num(value) -> str | None:
    """A Decimal kept exactly in JSON (as text); None stays None."""
    if value is None:
        return None
    return format(decimal.Decimal(value).normalize(), "f")


def year_ends(plan: Plan) -> list[Quarter]:
    """One quarter per year of the plan: each year's last quarter inside the plan's window."""
    last = plan.last_quarter
    return [min(Quarter(year, 4), last) for year in range(plan.period_start.year, plan.period_end.year + 1)]


def _figure(snapshot: Snapshot | None, rule: str) -> dict:
    if snapshot is None:
        return {"value": None, "target": None, "status": "none", "met": None, "percent": None,
                "data_as_of": None, "computed_at": None, "units_reported": 0, "units_expected": 0}
    return {"value": _num(snapshot.value), "target": _num(snapshot.target_value), "status": snapshot.status,
            "met": met(rule=rule, status=snapshot.status), "percent": _num(snapshot.percent_achieved),
            "data_as_of": snapshot.data_as_of.isoformat() if snapshot.data_as_of else None,
            "computed_at": snapshot.computed_at.isoformat() if snapshot.computed_at else None,
            "units_reported": snapshot.units_reported, "units_expected": snapshot.units_expected}


def _targets(plan: Plan, user) -> list[dict]:
    targets = list(Target.objects.for_user(user).filter(plan=plan).select_related("indicator", "task")
                   .prefetch_related("quota_sets__quotas").order_by("category", "order"))
    ends = year_ends(plan)
    final = plan.last_quarter
    wanted = {(q.year, q.number) for q in ends}
    snaps: dict[tuple[int, int, int, int], Snapshot] = {}  # indicator, region, year, quarter
    rows = (Snapshot.objects.for_user(user)
            .filter(plan=plan, indicator__in=[t.indicator_id for t in targets if t.indicator_id],
                    region__level__in=[Region.Level.CITY, Region.Level.COUNTY])
            .filter(quarters_q(ends[0], final)).select_related("region"))
    regions: dict[int, Region] = {}
    for s in rows:
        if (s.year, s.quarter) in wanted:
            snaps[(s.indicator_id, s.region_id, s.year, s.quarter)] = s
            regions[s.region_id] = s.region
    city = Region.objects.filter(level=Region.Level.CITY).first()
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
    out = []
    for t in targets:
        rule = rule_for(t.indicator.kind, t.indicator.direction) if t.indicator else "none"
        item = {"code": t.code, "name": t.name, "category": t.category, "category_label": str(t.get_category_display()),
                "task": t.task.number if t.task else None, "unit": t.unit, "display_value": t.display_value,
                "target_value": _num(t.value), "direction": t.direction, "clause": t.clause,
                "indicator": t.indicator.code if t.indicator else None, "rule": rule, "met_rule": MET_RULES[rule]}
        if t.indicator is None:
            item.update(final=_figure(None, rule), path=[], counties=[])
            out.append(item)
            continue
        final_snap = snaps.get((t.indicator_id, city.pk, final.year, final.number)) if city else None
        item["final"] = _figure(final_snap, rule)
        item["path"] = [{"year": q.year, "quarter": q.label,
                         "value": _num(getattr(snaps.get((t.indicator_id, city.pk, q.year, q.number)), "value", None))
                         if city else None} for q in ends]
        quota_set = max(t.quota_sets.all(), key=lambda qs: qs.version, default=None)
        quotas = {q.region_id: q.value for q in quota_set.quotas.all()} if quota_set else {}
        county_rows = []
        if t.category == Target.Category.MAIN or t.scope == Target.Scope.PER_COUNTY:
            for county in counties:
                s = snaps.get((t.indicator_id, county.pk, final.year, final.number))
                if s is None and county.pk not in quotas:
                    continue
                county_rows.append({
                    "code": county.code, "name": county.name, "quota": _num(quotas.get(county.pk)),
                    **_figure(s, rule),
                    "path": [_num(getattr(snaps.get((t.indicator_id, county.pk, q.year, q.number)), "value", None))
                             for q in ends]})
        item["counties"] = county_rows
        item["quota_set"] = ({"version": quota_set.version, "issued_on": quota_set.issued_on.isoformat(),
                              "document": quota_set.document} if quota_set else None)
        out.append(item)
    return out


def _certification(plan: Plan, user) -> dict:
    """The villages and communities certified at each tier and in force at the plan's end, per
    county and for the city, counted from the certification records as the roll-up counts them."""
    final = plan.last_quarter
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
    tiers = []
    for tier in Tier.objects.for_user(user).order_by("rank"):
        counts = tier_counts(indicator_code=tier.indicator_code, quarters=[final])
        per_county = [{"code": c.code, "name": c.name,
                       "count": counts.get(c.pk, {}).get((final.year, final.number), 0)} for c in counties]
        tiers.append({"code": tier.code, "name": tier.name, "indicator": tier.indicator_code,
                      "city": sum(row["count"] for row in per_county), "counties": per_county})
    return {"on": final.end.isoformat(), "tiers": tiers}


def _instruction_handling(instruction: Instruction, reports: list[TaskReport]) -> dict:
    """How an instruction was handled: the task's first report sent after it (its quarter, state
    and measures), or that none came."""
    after = [r for r in reports if r.first_submitted_at and r.first_submitted_at >= instruction.created_at]
    report = min(after, key=lambda r: r.first_submitted_at, default=None)
    if report is None:
        return {"quarter": None, "state": None, "measures": ""}
    return {"quarter": report.period.label, "state": str(report.get_state_display()),
            "measures": (report.measures or "")[:300]}


def _tasks(plan: Plan, quarters: list[Quarter]) -> list[dict]:
    labels = [q.label for q in quarters]
    tasks = list(Task.objects.filter(plan=plan, kind=Task.Kind.TASK).order_by("number").prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.select_related("department").order_by("order"))))
    reports: dict[int, list[TaskReport]] = {}
    for r in (TaskReport.objects.filter(task__in=tasks).filter(quarters_q(quarters[0], quarters[-1], year="period__year",
                                                                         quarter="period__quarter"))
              .select_related("period").order_by("period__year", "period__quarter")):
        reports.setdefault(r.task_id, []).append(r)
    instructions: dict[int, list[Instruction]] = {}
    for ins in Instruction.objects.filter(task__in=tasks).select_related("author").order_by("created_at"):
        instructions.setdefault(ins.task_id, []).append(ins)
    out = []
    for task in tasks:
        own = reports.get(task.pk, [])
        by_quarter = {r.period.label: r for r in own}
        out.append({
            "number": task.number, "title": task.title,
            "lead": next((r.department.name for r in task.responsibilities.all()
                          if r.role == Responsibility.Role.LEAD), ""),
            "co": [r.department.name for r in task.responsibilities.all() if r.role == Responsibility.Role.CO],
            "statuses": [{"quarter": label, "status": by_quarter[label].self_status if label in by_quarter else "",
                          "state": by_quarter[label].state if label in by_quarter else ""} for label in labels],
            "instructions": [{"given_at": ins.created_at.isoformat(),
                              "author": ins.author.full_name or ins.author.username, "text": ins.text,
                              "handled": _instruction_handling(ins, own)} for ins in instructions.get(task.pk, [])],
        })
    return out


def _timeliness_row(row: Timeliness) -> dict:
    return {"name": row.unit.name if row.unit is not None else "", "expected": row.expected, "on_time": row.on_time,
            "late": row.late, "missing": row.missing, "completeness": row.completeness,
            "timeliness": row.timeliness}


def _add(total: dict, row: Timeliness) -> None:
    card = total.setdefault(row.unit.pk, Timeliness(row.unit))
    card.expected += row.expected
    card.on_time += row.on_time
    card.late += row.late


def _timeliness(plan: Plan, user, quarters: list[Quarter]) -> dict:
    """Every reporting period of the plan, summed per department and per county: judged as the
    timeliness page judges one period (first submission against the due date)."""
    periods = list(ReportingPeriod.objects.filter(quarters_q(quarters[0], quarters[-1])).order_by("year", "quarter"))
    tasks = Task.objects.filter(plan=plan, kind=Task.Kind.TASK)
    departments: dict[int, Timeliness] = {}
    counties: dict[int, Timeliness] = {}
    for period in periods:
        cards, _duties = department_reporting(tasks=tasks, period=period)
        for card in cards.values():
            _add(departments, card)
        for row in county_timeliness(user=user, period=period):
            _add(counties, row)
    dept_rows = sorted(departments.values(), key=lambda c: (c.unit.order, c.unit.name))
    county_rows = sorted(counties.values(), key=lambda c: c.unit.code)
    return {"periods": [p.label for p in periods], "departments": [_timeliness_row(r) for r in dept_rows],
            "counties": [_timeliness_row(r) for r in county_rows]}


def assessment_content(*, plan: Plan, user, cutoff: datetime.datetime) -> dict:
    """The assessment's content as of now (``cutoff``, the moment it is frozen), read as ``user``
    (the office) may read it."""
    quarters = plan.first_quarter.through(plan.last_quarter)
    return {
        "plan": {"code": plan.code, "title": plan.title, "doc_number": plan.doc_number, "issuer": plan.issuer,
                 "period_start": plan.period_start.isoformat(), "period_end": plan.period_end.isoformat(),
                 "period_text": str(plan.period_text)},
        "final_quarter": plan.last_quarter.label,
        "years": [q.year for q in year_ends(plan)],
        "year_quarters": [q.label for q in year_ends(plan)],
        "cutoff": cutoff.isoformat(),
        "targets": _targets(plan, user),
        "certification": _certification(plan, user),
        "tasks": _tasks(plan, quarters),
        "timeliness": _timeliness(plan, user, quarters),
    }


# ---------------------------------------------------------------- read live, shown beside


@dataclass
class LaterCorrection:
    indicator: str
    county: str
    quarter: str
    reason: str
    reviewed_at: datetime.datetime
    items: list[tuple[str, decimal.Decimal, decimal.Decimal]] = field(default_factory=list)  # component, old, new


def corrections_after(*, plan: Plan, cutoff: datetime.datetime, user) -> dict[str, list[LaterCorrection]]:
    """Corrections of the plan's quarters approved after the cut-off, by indicator code: shown
    beside the frozen figures (they have changed the snapshots since, never the assessment)."""
    rows = (Correction.objects.for_user(user).filter(state=Correction.State.APPROVED, reviewed_at__gt=cutoff)
            .filter(quarters_q(plan.first_quarter, plan.last_quarter, year="county_return__period__year",
                               quarter="county_return__period__quarter"))
            .select_related("indicator", "county_return__region", "county_return__period")
            .prefetch_related("items__value__component").order_by("reviewed_at"))
    out: dict[str, list[LaterCorrection]] = {}
    for c in rows:
        out.setdefault(c.indicator.code, []).append(LaterCorrection(
            indicator=c.indicator.code, county=c.county_return.region.name, quarter=c.county_return.period.label,
            reason=c.reason, reviewed_at=c.reviewed_at,
            items=[(i.value.component.name, i.old_value, i.new_value) for i in c.items.all()]))
    return out


def current_figures(*, plan: Plan, user) -> dict[str, decimal.Decimal | None]:
    """The city's figure of each target's indicator at the final quarter as the snapshots stand now
    (indicator code → value), to show beside a frozen figure a later correction has changed."""
    final = plan.last_quarter
    return {code: value for code, value in Snapshot.objects.for_user(user).filter(
        plan=plan, region__level=Region.Level.CITY, year=final.year, quarter=final.number)
        .values_list("indicator__code", "value")}


def plan_has_ended(plan: Plan, today: datetime.date | None = None) -> bool:
    return (today or timezone.localdate()) > plan.period_end
