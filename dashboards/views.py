"""The leadership dashboards: thin views over dashboards.selectors. Each page embeds its chart
data once (json_script) and offers each of its tables as .xlsx and .csv (?export=<table>&format=)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.scoping import can_read_plan
from divisions.models import Region
from divisions.selectors import county_geojson
from kernel.exports import Table, respond
from kernel.quarters import Quarter
from reports.models import ReportingPeriod
from targets.models import Snapshot, Target
from targets.selectors import outside_window_message, target_detail
from tasks.models import Plan
from tasks.selectors import plan_current_for_user

from . import selectors

STATUS_LABELS = {key: str(label) for key, label in Snapshot.Status.choices}


def _num(value):
    """A JSON number for a chart (charts need no Decimal precision; tables keep it)."""
    return None if value is None else float(value)


def _plan(request) -> Plan:
    if not can_read_plan(request.user):
        raise Http404
    plan = plan_current_for_user(request.user)
    if plan is None:
        raise Http404
    return plan


def _quarter(request) -> Quarter | None:
    try:
        return Quarter.parse(request.GET["quarter"]) if request.GET.get("quarter") else None
    except ValueError as exc:
        raise Http404 from exc


def _render(request, template: str, context: dict, tables: list[Table], stem: str):
    """The page, or one of its tables as a file when ?export= names it."""
    response = respond(request, tables, stem)
    if response is not None:
        return response
    context.setdefault("status_labels", STATUS_LABELS)
    context["tables"] = tables
    return render(request, template, context)


def _sources_url(plan: Plan, target: Target, region: Region, quarter_label: str) -> str:
    """The values behind one figure (see url_filled)."""
    return url_filled("targets:snapshot-sources", plan.code, target.code, region.code, quarter_label)


def url_filled(viewname: str, *args: str) -> str:
    """``reverse(viewname, args=args)`` for URLs a page repeats per row (a county, a figure's
    sources): the pattern is resolved once per view name and filled in per row — reverse() per
    cell was a third of a province-scale page's time. Only for plain code-like arguments."""
    return _url_template(viewname, len(args)).format(*args)


@lru_cache(maxsize=64)
def _url_template(viewname: str, n: int) -> str:
    url = reverse(viewname, args=[f"__{i}__" for i in range(n)])
    url = url.replace("{", "{{").replace("}", "}}")
    for i in range(n):
        url = url.replace(f"__{i}__", f"{{{i}}}")
    return url


def _pct(value) -> str:
    return "—" if value is None else f"{Decimal(value):.1f}%"


# ---------------------------------------------------------------- 1. city overview


@require_safe
@login_required
def overview(request):
    plan = _plan(request)
    today = timezone.localdate()
    o = selectors.city_overview(user=request.user, plan=plan, today=today)
    charts, table = {}, Table("targets", _("Main targets"), [
        _("Target name"), _("Target value"), _("Latest"), _("Unit"), _("Quarter"), _("% achieved"),
        _("Time elapsed, %"), _("Status"), _("Projected end value"), _("Data as of")])
    for i, card in enumerate(o.cards):
        s, t = card.snapshot, card.target
        charts[f"spark{i}"] = {"values": [_num(x.value) for x in card.series],
                               "quarters": [x.quarter_label for x in card.series], "unit": t.unit}
        table.rows.append([t.name, t.display_value, s.value if s else None, t.unit, s.quarter_label if s else None,
                           s.percent_achieved if s else None, s.percent_time_elapsed if s else None,
                           STATUS_LABELS[s.status if s else "none"], s.projected_end_value if s else None,
                           timezone.localtime(s.data_as_of).strftime("%Y-%m-%d %H:%M") if s and s.data_as_of else None])
    counties = list(selectors.counties_for(request.user))
    return _render(request, "dashboards/overview.html", {
        "plan": plan, "o": o, "charts": charts, "counties": counties,
        "can_see_task_board": selectors.can_see_task_board(request.user),
    }, [table], _("City overview"))


# ---------------------------------------------------------------- 2. target page


@require_safe
@login_required
def target_page(request, code: str):
    plan = _plan(request)
    target = get_object_or_404(Target.objects.for_user(request.user).select_related("plan", "indicator", "task"),
                               plan=plan, code=code, indicator__isnull=False)
    d = target_detail(target=target, user=request.user, quarter=_quarter(request))
    quotas = {q.region_id: q.value for q in d.quota_set.quotas.all()} if d.quota_set else {}
    q_label = d.quarter.label if d.quarter else ""
    counties = d.counties
    rows = []
    for s in counties:
        rows.append({"s": s, "quota": quotas.get(s.region_id),
                     "url": _sources_url(plan, target, s.region, q_label)})
    # the trend runs over every quarter; the value stops at the last quarter anyone reported in
    series = list(d.series)
    reported = [i for i, s in enumerate(series) if s.units_reported > 0]
    last = reported[-1] if reported else -1
    # amounts and floors compare counties by % of their quota; ceilings and zero targets by the value
    by_percent = target.direction == Target.Direction.AT_LEAST

    def shown(s):
        return _num(s.percent_achieved) if by_percent else _num(s.value)

    def display(s):
        return _pct(s.percent_achieved) if by_percent else (
            "—" if s.value is None else f"{s.value.normalize():f} {target.unit}")

    charts = {
        "trend": {"quarters": [s.quarter_label for s in series],
                  "value": [_num(s.value) if i <= last else None for i, s in enumerate(series)],
                  "target": [_num(s.target_value) for s in series],
                  "pace": [_num(s.expected_to_date) for s in series], "unit": target.unit,
                  "urls": [_sources_url(plan, target, s.region, s.quarter_label) for s in series],
                  "names": {"value": _("Actual"), "target": _("Target"), "pace": _("Pace line")}},
        "bars": {"categories": [s.region.name for s in counties], "horizontal": True,
                 "unit": "%" if by_percent else target.unit,
                 "series": [{"name": _("% achieved") if by_percent else target.name, "data": [
                     {"value": shown(s), "status": s.status, "url": r["url"], "display": display(s)}
                     for s, r in zip(counties, rows, strict=True)]}],
                 "target": 100 if by_percent else _num(target.value),
                 "targetLabel": "100%" if by_percent else target.display_value, "statusLabels": STATUS_LABELS},
        "map": {"items": [{"name": s.region.name, "value": shown(s), "status": s.status,
                           "label": display(s), "url": r["url"]} for s, r in zip(counties, rows, strict=True)],
                "statusLabels": STATUS_LABELS},
    }
    table = Table("counties", _("Counties"), [_("County"), _("Quota"), _("Achieved"), _("Unit"), _("% achieved"),
                                              _("Rank"), _("Status"), _("Quarter")])
    for r in rows:
        s = r["s"]
        table.rows.append([s.region.name, r["quota"], s.value, target.unit, s.percent_achieved, s.rank,
                           STATUS_LABELS[s.status], q_label])
    trend_table = Table("quarters", _("City quarter by quarter"), [
        _("Quarter"), _("Value"), _("Target"), _("Pace line"), _("% achieved"), _("Status")])
    for s in series[:last + 1]:
        trend_table.rows.append([s.quarter_label, s.value, s.target_value, s.expected_to_date, s.percent_achieved,
                                 STATUS_LABELS[s.status]])
    return _render(request, "dashboards/target.html", {
        "plan": plan, "target": target, "d": d, "rows": rows, "charts": charts, "geo": county_geojson(),
        "city_url": _sources_url(plan, target, d.city.region, q_label) if d.city else "",
    }, [table, trend_table], target.name)


# ---------------------------------------------------------------- 3. county page


@require_safe
@login_required
def county_page(request, region_code: str):
    plan = _plan(request)
    # someone else's county answers like a missing one
    county = get_object_or_404(selectors.counties_for(request.user), code=region_code)
    today = timezone.localdate()
    p = selectors.county_page(user=request.user, plan=plan, county=county, today=today)
    charts = {"bars": {
        "categories": [r.target.name for r in p.rows], "horizontal": True, "unit": "%",
        "series": [{"name": _("% achieved"), "data": [
            {"value": _num(r.snapshot.percent_achieved) if r.snapshot else None,
             "status": r.snapshot.status if r.snapshot else "none",
             "display": _pct(r.snapshot.percent_achieved if r.snapshot else None),
             "url": _sources_url(plan, r.target, county, r.snapshot.quarter_label) if r.snapshot else None}
            for r in p.rows]}],
        "target": 100, "targetLabel": "100%", "statusLabels": STATUS_LABELS}}
    targets = Table("targets", _("Targets"), [_("Target name"), _("Quota"), _("Value"), _("Unit"), _("% achieved"),
                                              _("Rank"), _("Status"), _("Quarter")])
    for r in p.rows:
        s = r.snapshot
        targets.rows.append([r.target.name, r.quota, s.value if s else None, r.target.unit,
                             s.percent_achieved if s else None, f"{r.rank}/{r.ranked_of}" if r.rank else None,
                             STATUS_LABELS[s.status if s else "none"], s.quarter_label if s else None])
    returns = Table("returns", _("Quarterly returns"), [_("Quarter"), _("State"), _("First submitted at"),
                                                       _("Reviewed at")])
    for r in p.returns:
        returns.rows.append([r.period.label, r.get_state_display(),
                             timezone.localtime(r.first_submitted_at).strftime("%Y-%m-%d") if r.first_submitted_at
                             else None, timezone.localtime(r.reviewed_at).strftime("%Y-%m-%d") if r.reviewed_at
                             else None])
    towns = Table("towns", _("Certification by town"), [_("Town"), _("Villages"), _("Communities")]
                  + [t.name for t in p.tiers])
    for row in p.towns:
        towns.rows.append([row.town.name, row.villages, row.communities] + row.counts)
    return _render(request, "dashboards/county.html", {
        "plan": plan, "p": p, "county": county, "charts": charts,
        "counties": selectors.counties_for(request.user),
    }, [targets, returns, towns], county.name)


# ---------------------------------------------------------------- 4. task board


def _period(request, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    label = request.GET.get("period")
    if label:
        try:
            q = Quarter.parse(label)
        except ValueError as exc:
            raise Http404 from exc
        found = next((p for p in periods if (p.year, p.quarter) == (q.year, q.number)), None)
        if found is None:
            raise Http404
        return found
    today = timezone.localdate()
    due = [p for p in periods if p.due_on < today]
    return due[-1] if due else (periods[-1] if periods else None)


@require_safe
@login_required
def task_board(request):
    plan = _plan(request)
    if not selectors.can_see_task_board(request.user):
        raise Http404
    today = timezone.localdate()
    periods = selectors.board_periods(plan, today)
    period = _period(request, periods)
    # newest quarter first: the one leaders ask about, visible without scrolling sideways
    rows = selectors.task_board(user=request.user, plan=plan, periods=periods[::-1], today=today)
    cards = selectors.department_scorecard(user=request.user, plan=plan, period=period) if period else []
    state_labels = {"approved": _("Approved"), "submitted": _("Submitted"), "returned": _("Returned"),
                    "late": _("Submitted late"), "missing": _("Missing"), "pending": _("Not yet due")}
    # one or two letters per cell (a CJK character in Chinese), with the full label in the legend
    short_labels = {"approved": _("Appr."), "submitted": _("Subm."), "returned": _("Retd."), "late": _("Lt."),
                    "missing": _("Miss."), "pending": "·"}
    counts = {k: 0 for k in selectors.CELL_STATES}
    for r in rows:
        for _p, c in r.cells:
            counts[c] += 1
    charts = {
        "states": {"categories": [state_labels[k] for k in selectors.CELL_STATES],
                   "series": [{"name": _("Task reports"), "data": [counts[k] for k in selectors.CELL_STATES]}]},
        "scorecard": {"categories": [c.department.name for c in cards], "horizontal": True, "unit": "%",
                      "series": [{"name": _("Timeliness"), "data": [_num(c.timeliness) for c in cards]},
                                 {"name": _("Completeness"), "data": [_num(c.completeness) for c in cards]}]},
    }
    grid = Table("grid", _("Task reports by quarter"), [_("Section"), _("Task"), _("Lead department")]
                 + [p.label for p in periods[::-1]])
    for r in rows:
        grid.rows.append([r.task.section.title, f"{r.task.number}. {r.task.title}", r.lead.name if r.lead else None]
                         + [state_labels[c] for _p, c in r.cells])
    score = Table("scorecard", _("Department scorecard"), [
        _("Department"), _("Expected"), _("On time"), _("Late"), _("Missing"), _("Timeliness"), _("Completeness"),
        _("Returned"), _("Quarter")])
    for c in cards:
        score.rows.append([c.department.name, c.expected, c.on_time, c.late, c.missing,
                           c.timeliness, c.completeness, c.returned, period.label])
    return _render(request, "dashboards/tasks.html", {
        "plan": plan, "rows": rows, "periods": periods, "grid_periods": periods[::-1], "period": period,
        "cards": cards, "charts": charts,
        "state_labels": state_labels, "short_labels": short_labels, "counts": counts,
    }, [grid, score], _("Task board"))


# ---------------------------------------------------------------- 5. certification


@require_safe
@login_required
def certification(request):
    plan = _plan(request)
    c = selectors.certification_page(user=request.user, plan=plan)
    q_label = c.quarter.label if c.quarter else ""
    charts = {"tiers": {
        "categories": [col.tier.name for col in c.columns], "horizontal": True, "unit": "%",
        "series": [{"name": _("% achieved"), "data": [
            {"value": _num(col.city.percent_achieved) if col.city else None,
             "status": col.city.status if col.city else "none",
             "display": (f"{col.city.value:.0f} / {col.target.value:.0f}" if col.city and col.target
                         and col.city.value is not None else "—"),
             "url": _sources_url(plan, col.target, col.city.region, q_label) if col.city and col.target else None}
            for col in c.columns]}],
        "target": 100, "targetLabel": "100%", "statusLabels": STATUS_LABELS}}
    table = Table("counties", _("Certification by county"), [_("County")] + [
        f"{col.tier.name}（{_('certified')}/{_('quota')}）" for col in c.columns])
    for county, snaps, quotas in c.counties:
        table.rows.append([county.name] + [
            f"{s.value:.0f}/{q:.0f}" if s and s.value is not None and q is not None else
            (f"{s.value:.0f}" if s and s.value is not None else "—") for s, q in zip(snaps, quotas, strict=True)])
    rows = [(county, list(zip(snaps, quotas, c.columns, strict=True))) for county, snaps, quotas in c.counties]
    return _render(request, "dashboards/certification.html", {
        "plan": plan, "c": c, "rows": rows, "charts": charts, "q_label": q_label,
    }, [table], _("Certification"))


# ---------------------------------------------------------------- 6. rankings (通报)


@require_safe
@login_required
def rankings(request):
    plan = _plan(request)
    today = timezone.localdate()
    periods = selectors.board_periods(plan, today)
    quarter = _quarter(request)
    if quarter is None:
        due = [p for p in periods if p.due_on < today]
        quarter = (due[-1] if due else periods[-1]).as_quarter if periods else Quarter.of_date(today)
    period = next((p for p in periods if p.as_quarter == quarter), None)
    targets, counties = selectors.county_rankings(user=request.user, plan=plan, quarter=quarter)
    cards = selectors.department_scorecard(user=request.user, plan=plan, period=period) if period else []
    cards = sorted(cards, key=lambda c: (-(c.timeliness or 0), -(c.completeness or 0), c.returned,
                                         c.department.order))
    charts = {"counties": {
        "categories": [r.county.name for r in counties], "horizontal": True, "unit": "%",
        "series": [{"name": _("Mean percent of quota achieved"), "data": [_num(r.mean) for r in counties]}],
        "target": 100, "targetLabel": "100%"}}
    ctable = Table("counties", _("Counties by quota completion"),
                   [_("Rank"), _("County")] + [t.name for t in targets] + [_("Mean percent of quota achieved")])
    for r in counties:
        ctable.rows.append([r.rank, r.county.name] + list(r.percents) + [r.mean])
    dtable = Table("departments", _("Departments by timeliness"), [
        _("Rank"), _("Department"), _("Expected"), _("On time"), _("Late"), _("Missing"), _("Timeliness"),
        _("Completeness"), _("Returned")])
    for i, c in enumerate(cards, start=1):
        dtable.rows.append([i, c.department.name, c.expected, c.on_time, c.late, c.missing,
                            c.timeliness, c.completeness, c.returned])
    county_rows = [(r, list(zip(r.percents, r.statuses, strict=True))) for r in counties]
    return _render(request, "dashboards/rankings.html", {
        "plan": plan, "quarter": quarter, "periods": periods,
        "outside": "" if plan.covers(quarter) else outside_window_message(plan, quarter), "targets": targets, "county_rows": county_rows,
        "cards": cards, "charts": charts, "generated": timezone.localtime(),
    }, [ctable, dtable], f"{_('Rankings')}-{quarter.label}")
