"""The leadership dashboards: thin views over dashboards.selectors. Each page embeds its chart
data once (json_script) and offers each of its tables as .xlsx and .csv (?export=<table>&format=)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.context_processors import roles
from accounts.scoping import can_read_plan
from divisions.models import Region
from divisions.selectors import county_geojson
from kernel.dates import quarter_text
from kernel.exports import Table, requested, respond
from kernel.numbers import figure_text
from kernel.quarters import Quarter
from reports.access import (
    can_see_returns,
    can_see_task_reports,
    can_see_timeliness,
    gives_instructions,
    sees_every_unit,
)
from reports.models import ReportingPeriod
from reports.selectors import measure_rollups, overdue_instructions_of
from targets.models import Indicator, Snapshot, Target
from targets.scoring import ACHIEVEMENT_RULES, NO_VALUE, RANKING_RULE
from targets.selectors import outside_window_message, target_detail
from tasks.models import Plan
from tasks.selectors import plan_as_of, plan_chosen_for_user

from . import selectors
from .caching import CachedPage, cached_page, per_generation

STATUS_LABELS = {key: str(label) for key, label in Snapshot.Status.choices}


def _num(value):
    """A JSON number for a chart (charts need no Decimal precision; tables keep it)."""
    return None if value is None else float(value)


def _plan(request) -> Plan:
    if not can_read_plan(request.user):
        raise Http404
    plan = plan_chosen_for_user(request.user, request.GET.get("plan"))  # the current plan, or the switcher's
    if plan is None:
        raise Http404
    return plan


def _quarter(request) -> Quarter | None:
    try:
        return Quarter.parse(request.GET["quarter"]) if request.GET.get("quarter") else None
    except ValueError as exc:
        raise Http404 from exc


def _render(request, template: str, context: dict, tables: list[Table], stem: str) -> CachedPage:
    """The page's computed part, ready to cache: its ``dashboard`` block rendered, its chart data
    as JSON script elements, its tables (for ?export=) and what its frame names."""
    context.setdefault("status_labels", STATUS_LABELS)
    context.setdefault("sees_every_unit", sees_every_unit(request.user))
    context["tables"] = tables
    scripts = [json_script(context.get("charts", {}), "chart-data")]
    if context.get("geo"):
        scripts.append(json_script(context["geo"], "county-geo"))
    return CachedPage(body=_render_block(request, template, context, "dashboard").encode(),
                      scripts="\n".join(scripts).encode(), tables=tables, stem=stem,
                      frame={key: context[key] for key in FRAME if key in context})


# The dashboards only read: outside ATOMIC_REQUESTS' transaction they save its BEGIN and COMMIT
# (two of a warm page's seven round trips). Under READ COMMITTED every statement sees its own
# snapshot inside a transaction too, so a page reads nothing less consistent for it.
reads_only = transaction.non_atomic_requests


FRAME = ("plan", "target", "county", "quarter")  # what the page's frame (title, plan switcher) names


def _render_block(request, template: str, context: dict, name: str) -> str:
    """One block of ``template`` rendered alone, for every reader of the same scope and roles: its
    context holds the view's figures, the request (for the export links) and the menu flags the
    reader's roles decide, but nothing of the reader's own (no user, no notifications count, no plan
    switcher: the context processors do not run), so nothing of one reader can reach another."""
    compiled = get_template(template).template
    user = request.user
    bound = Context({"request": request, "PLATFORM_NAME": settings.PLATFORM_NAME, **roles(request),
                     "can_see_returns": can_see_returns(user), "can_see_task_reports": can_see_task_reports(user),
                     "can_see_timeliness": can_see_timeliness(user), **context})
    with bound.bind_template(compiled):
        block = next(node for node in compiled.nodelist.get_nodes_by_type(BlockNode) if node.name == name)
        return block.render(bound)


# where the cached body and chart data go in the frame's response (a NUL: no page text holds one)
BODY, SCRIPTS = "\x00dashboard-body\x00", "\x00dashboard-scripts\x00"


def _serve(request, template: str, compute, *, per_user: bool = False):
    """The page (or one of its tables as a file when ?export= names it) from what was computed for
    this reader's scope since the last roll-up and the last change of a reporting record
    (dashboards/caching.py); the navigation, badge and plan switcher around it are the reader's own.
    The cached body and chart data are spliced into the rendered frame as bytes, so serving a
    province's page costs about what a city's does."""
    page = cached_page(request, template, compute, per_user=per_user, tables=requested(request) is not None)
    if page.tables is not None:
        response = respond(request, page.tables, page.stem)
        if response is not None:
            return response
    response = render(request, template, {**page.frame, "dash_body": mark_safe(BODY),  # noqa: S308 (a constant)
                                          "dash_scripts": mark_safe(SCRIPTS),  # noqa: S308
                                          "sees_every_unit": sees_every_unit(request.user)})
    head, rest = response.content.split(BODY.encode(), 1)
    middle, tail = rest.split(SCRIPTS.encode(), 1)
    response.content = b"".join((head, page.body, middle, page.scripts, tail))
    return response


def _sources_url(plan: Plan, target: Target, region: Region, quarter_label: str) -> str:
    """The values behind one figure (see url_filled)."""
    return url_filled("targets:snapshot-sources", plan.code, target.code, region.code, quarter_label)


def url_filled(viewname: str, *args: str) -> str:
    """``reverse(viewname, args=args)`` for URLs a page repeats per row (a county, a figure's
    sources): the pattern is resolved once per view name and filled in per row — reverse() per
    cell was a third of a province-scale page's time. Only for plain code-like arguments."""
    return _url_template(viewname, len(args)).format(*args)


@lru_cache(maxsize=64)
def _url_template(viewname: str, count: int) -> str:
    url = reverse(viewname, args=[f"__{index}__" for index in range(count)])
    url = url.replace("{", "{{").replace("}", "}}")
    for index in range(count):
        url = url.replace(f"__{index}__", f"{{{index}}}")
    return url


def _pct(value) -> str:
    return figure_text(value, "%")  # the platform's one number rule (kernel.numbers)


# ---------------------------------------------------------------- 1. city overview


@reads_only
@require_safe
@login_required
def overview(request):
    return _serve(request, "dashboards/overview.html", lambda: _overview(request), per_user=gives_instructions(request.user))


def _overview(request) -> CachedPage:
    plan = _plan(request)
    today = timezone.localdate()
    as_of = plan_as_of(plan, today)
    overview = selectors.city_overview(user=request.user, plan=plan, today=today, as_of=as_of)
    charts, table = {}, Table("targets", _("Main targets"), [
        _("Target name"), _("Target value"), _("Latest"), _("Unit"), _("Quarter"), _("% achieved"),
        _("Time elapsed, %"), _("Status"), _("Projected end value"), _("Data as of")])
    for index, card in enumerate(overview.cards):
        snapshot, target = card.snapshot, card.target
        charts[f"spark{index}"] = {"values": [_num(point.value) for point in card.series],
                                   "quarters": [quarter_text(point.quarter_label) for point in card.series], "unit": target.unit}
        table.rows.append([
            target.name, target.display_value, snapshot.value if snapshot else None, target.unit,
            snapshot.quarter_label if snapshot else None, snapshot.percent_achieved if snapshot else None,
            snapshot.percent_time_elapsed if snapshot else None, STATUS_LABELS[snapshot.status if snapshot else "none"],
            snapshot.projected_end_value if snapshot else None,
            timezone.localtime(snapshot.data_as_of).strftime("%Y-%m-%d %H:%M")
            if snapshot and snapshot.data_as_of else None])
    counties = list(selectors.counties_for(request.user))
    return _render(request, "dashboards/overview.html", {
        "plan": plan, "overview": overview, "charts": charts, "counties": counties, "as_of": as_of,
        "overdue_instructions": overdue_instructions_of(user=request.user, today=today),
    }, [table], _("City overview"))


# ---------------------------------------------------------------- 2. target page


@reads_only
@require_safe
@login_required
def target_page(request, code: str):
    return _serve(request, "dashboards/target.html", lambda: _target_page(request, code))


def _target_page(request, code: str) -> CachedPage:
    plan = _plan(request)
    target = get_object_or_404(Target.objects.for_user(request.user).select_related("plan", "indicator", "task"),
                               plan=plan, code=code, indicator__isnull=False)
    quarter = _quarter(request) or plan_as_of(plan, timezone.localdate())
    detail = per_generation("target", user=request.user, plan=plan, parts=(target.code, quarter.label),
                            compute=lambda: target_detail(target=target, user=request.user, quarter=quarter))
    quotas = {quota.region_id: quota.value for quota in detail.quota_set.quotas.all()} if detail.quota_set else {}
    quarter_label = detail.quarter.label if detail.quarter else ""
    counties = detail.counties
    rows = [{"snapshot": snapshot, "quota": quotas.get(snapshot.region_id),
             "url": _sources_url(plan, target, snapshot.region, quarter_label)} for snapshot in counties]
    # the trend runs over every quarter; the value stops at the last quarter anyone reported in
    series = list(detail.series)
    reported = [index for index, snapshot in enumerate(series) if snapshot.units_reported > 0]
    last = reported[-1] if reported else -1
    # amounts and floors compare counties by % of their quota; ceilings and zero targets by the value
    by_percent = target.direction == Target.Direction.AT_LEAST

    def shown(snapshot):
        return _num(snapshot.percent_achieved) if by_percent else _num(snapshot.value)

    def display(snapshot):
        return _pct(snapshot.percent_achieved) if by_percent else figure_text(snapshot.value, target.unit)

    charts = {
        "trend": {"quarters": [quarter_text(snapshot.quarter_label) for snapshot in series],
                  "value": [_num(snapshot.value) if index <= last else None for index, snapshot in enumerate(series)],
                  "target": [_num(snapshot.target_value) for snapshot in series],
                  "pace": [_num(snapshot.expected_to_date) for snapshot in series], "unit": target.unit,
                  "urls": [_sources_url(plan, target, snapshot.region, snapshot.quarter_label) for snapshot in series],
                  "names": {"value": _("Actual"), "target": _("Target"), "pace": _("Pace line")}},
        # best first: the largest share of quota, or the lowest rate under a ceiling
        "bars": {"categories": [snapshot.region.name for snapshot in counties], "horizontal": True,
                 "sort": "desc" if by_percent else "asc",
                 "unit": "%" if by_percent else target.unit,
                 "series": [{"name": _("% achieved") if by_percent else target.name, "data": [
                     {"value": shown(row["snapshot"]), "status": row["snapshot"].status, "url": row["url"],
                      "display": display(row["snapshot"])} for row in rows]}],
                 "target": 100 if by_percent else _num(target.value),
                 "targetLabel": "100%" if by_percent else target.display_value, "statusLabels": STATUS_LABELS},
        "map": {"items": [{"name": row["snapshot"].region.name, "value": shown(row["snapshot"]),
                           "status": row["snapshot"].status, "label": display(row["snapshot"]), "url": row["url"]}
                          for row in rows],
                "statusLabels": STATUS_LABELS},
    }
    table = Table("counties", _("Counties"), [_("County"), _("Quota"), _("Achieved"), _("Unit"), _("% achieved"),
                                              _("Rank"), _("Status"), _("Quarter")])
    for row in rows:
        snapshot = row["snapshot"]
        table.rows.append([snapshot.region.name, row["quota"], snapshot.value, target.unit, snapshot.percent_achieved,
                           snapshot.rank, STATUS_LABELS[snapshot.status], quarter_label])
    trend_table = Table("quarters", _("City quarter by quarter"), [
        _("Quarter"), _("Value"), _("Target"), _("Pace line"), _("% achieved"), _("Status")])
    for snapshot in series[:last + 1]:
        trend_table.rows.append([snapshot.quarter_label, snapshot.value, snapshot.target_value,
                                 snapshot.expected_to_date, snapshot.percent_achieved, STATUS_LABELS[snapshot.status]])
    return _render(request, "dashboards/target.html", {
        "plan": plan, "target": target, "detail": detail, "rows": rows, "charts": charts,
        "city_only": target.indicator.kind == Indicator.Kind.CITY_ONLY, "by_percent": by_percent,
        "geo": None if target.indicator.kind == Indicator.Kind.CITY_ONLY else county_geojson(),
        "city_url": _sources_url(plan, target, detail.city.region, quarter_label) if detail.city else "",
    }, [table, trend_table], target.name)


# ---------------------------------------------------------------- 3. county page


@reads_only
@require_safe
@login_required
def county_page(request, region_code: str):
    return _serve(request, "dashboards/county.html", lambda: _county_page(request, region_code))


def _county_page(request, region_code: str) -> CachedPage:
    plan = _plan(request)
    # someone else's county answers like a missing one
    county = get_object_or_404(selectors.counties_for(request.user), code=region_code)
    today = timezone.localdate()
    as_of = plan_as_of(plan, today)
    page = selectors.county_page(user=request.user, plan=plan, county=county, today=today, as_of=as_of)
    charts = {"bars": {
        "categories": [row.target.name for row in page.rows], "horizontal": True, "unit": "%", "sort": "desc",
        "series": [{"name": _("% achieved"), "data": [
            {"value": _num(row.snapshot.percent_achieved) if row.snapshot else None,
             "status": row.snapshot.status if row.snapshot else "none",
             "display": _pct(row.snapshot.percent_achieved if row.snapshot else None),
             "url": _sources_url(plan, row.target, county, row.snapshot.quarter_label) if row.snapshot else None}
            for row in page.rows]}],
        "target": 100, "targetLabel": "100%", "statusLabels": STATUS_LABELS}}
    targets = Table("targets", _("Targets"), [_("Target name"), _("Quota"), _("Value"), _("Unit"), _("% achieved"),
                                              _("Rank"), _("Status"), _("Quarter")])
    for row in page.rows:
        snapshot = row.snapshot
        targets.rows.append([row.target.name, row.quota, snapshot.value if snapshot else None, row.target.unit,
                             snapshot.percent_achieved if snapshot else None,
                             f"{row.rank}/{row.ranked_of}" if row.rank else None,
                             STATUS_LABELS[snapshot.status if snapshot else "none"],
                             snapshot.quarter_label if snapshot else None])
    returns = Table("returns", _("Quarterly returns"), [_("Quarter"), _("State"), _("First submitted at"),
                                                       _("Reviewed at")])
    for county_return in page.returns:
        returns.rows.append([county_return.period.label, county_return.get_state_display(),
                             _day(county_return.first_submitted_at), _day(county_return.reviewed_at)])
    towns = Table("towns", _("Certification by town"), [_("Town"), _("Villages"), _("Communities")]
                  + [tier.name for tier in page.tiers])
    for row in page.towns:
        towns.rows.append([row.town.name, row.villages, row.communities] + row.counts)
    return _render(request, "dashboards/county.html", {
        "plan": plan, "county_page": page, "county": county, "charts": charts, "as_of": as_of,
        "counties": selectors.counties_for(request.user),
    }, [targets, returns, towns], county.name)


def _day(moment) -> str | None:
    """A moment as its local day, for a table cell."""
    return timezone.localtime(moment).strftime("%Y-%m-%d") if moment else None


# ---------------------------------------------------------------- 4. task board


def _period(request, periods: list[ReportingPeriod], as_of: Quarter) -> ReportingPeriod | None:
    label = request.GET.get("period")
    if label:
        try:
            quarter = Quarter.parse(label)
        except ValueError as exc:
            raise Http404 from exc
        found = next((period for period in periods if period.as_quarter == quarter), None)
        if found is None:
            raise Http404
        return found
    opening = [period for period in periods if period.as_quarter <= as_of]  # the quarter pages open on
    return opening[-1] if opening else (periods[0] if periods else None)


@reads_only
@require_safe
@login_required
def task_board(request):
    return _serve(request, "dashboards/tasks.html", lambda: _task_board(request))


def _task_board(request) -> CachedPage:
    plan = _plan(request)
    if not can_see_task_reports(request.user):
        raise Http404
    today = timezone.localdate()
    periods = selectors.board_periods(plan, today)
    period = _period(request, periods, plan_as_of(plan, today))
    # newest quarter first: the one leaders ask about, visible without scrolling sideways
    rows = selectors.task_board(user=request.user, plan=plan, periods=periods[::-1], today=today)
    cards = selectors.department_scorecard(user=request.user, plan=plan, period=period) if period else []
    state_labels = {"approved": _("Approved"), "submitted": _("Submitted"), "returned": _("Returned"),
                    "late": _("Submitted late"), "missing": _("Missing"), "pending": _("Not yet due")}
    # one or two letters per cell (a CJK character in Chinese), with the full label in the legend
    short_labels = {"approved": _("Appr."), "submitted": _("Subm."), "returned": _("Retd."), "late": _("Lt."),
                    "missing": _("Miss."), "pending": "·"}
    counts = dict.fromkeys(selectors.CELL_STATES, 0)
    for row in rows:
        for _period_shown, cell in row.cells:
            counts[cell] += 1
    charts = {
        "states": {"categories": [state_labels[state] for state in selectors.CELL_STATES],
                   "series": [{"name": _("Task reports"), "data": [counts[state] for state in selectors.CELL_STATES]}]},
        "scorecard": {"categories": [card.department.name for card in cards], "horizontal": True, "unit": "%",
                      "sort": "desc",
                      "series": [{"name": _("Timeliness"), "data": [_num(card.timeliness) for card in cards]},
                                 {"name": _("Completeness"), "data": [_num(card.completeness) for card in cards]}]},
    }
    grid = Table("grid", _("Task reports by quarter"), [_("Section"), _("Task"), _("Lead department")]
                 + [quarter_text(column) for column in periods[::-1]])
    for row in rows:
        grid.rows.append([row.task.section.title, f"{row.task.number}. {row.task.title}",
                          row.lead.name if row.lead else None] + [state_labels[cell] for _column, cell in row.cells])
    score = Table("scorecard", _("Department scorecard"), [
        _("Department"), _("Expected"), _("On time"), _("Late"), _("Missing"), _("Timeliness"), _("Completeness"),
        _("Returned"), _("Quarter")])
    for card in cards:
        score.rows.append([card.department.name, card.expected, card.on_time, card.late, card.missing,
                           card.timeliness, card.completeness, card.returned, period.label])
    # the task measures (任务指标) from the approved task reports, up to the quarter shown
    rollups = measure_rollups(plan=plan, upto=period.as_quarter if period else None,
                              quarter=period.as_quarter if period else None)
    measures = Table("measures", _("Task measures"), [_("Task"), _("Measure"), _("Unit"), _("Target"),
                                                      _("In the quarter"), _("Plan period"), _("Met")])
    for r in rollups:
        measures.rows.append([r.measure.task.number, r.measure.name, r.measure.unit, r.target_text, r.quarter,
                              r.measure.counted_elsewhere or r.total, {True: _("yes"), False: _("no")}.get(r.met)])
    return _render(request, "dashboards/tasks.html", {
        "plan": plan, "rows": _grid_rows(rows, periods, state_labels, short_labels), "periods": periods,
        "grid_periods": periods[::-1], "period": period,
        "cards": cards, "charts": charts, "rollups": rollups,
        "state_labels": state_labels, "short_labels": short_labels, "counts": counts,
    }, [grid, score, measures], _("Task board"))


@dataclass
class GridCell:
    """One cell of the task board's grid, ready to print: its state, its link, its title (quarter ·
    state) and its short label."""

    state: str
    href: str
    title: str
    short: str


@dataclass
class GridRow:
    """One task's row of the grid: the task, its lead department, leaders' instructions, its cells."""

    task: object
    lead: object
    instructions: list
    cells: list[GridCell]


def _grid_rows(rows: list[selectors.TaskBoardRow], periods, state_labels: dict, short_labels: dict) -> list[GridRow]:
    """The board's rows with their cells worked out once here rather than per cell in the template
    (a city's grid is ~450 cells: a reverse(), two quarter texts and three lookups each were about a
    fifth of the page's first rendering): one reverse() per task, one quarter text per column."""
    texts = {period.pk: quarter_text(period) for period in periods}
    out = []
    for row in rows:
        link = reverse("reports:task-report", args=[row.task.number, "__period__"])
        cells = [GridCell(cell, link.replace("__period__", column.label), f"{texts[column.pk]} · {state_labels[cell]}",
                          short_labels[cell]) for column, cell in row.cells]
        out.append(GridRow(row.task, row.lead, row.instructions, cells))
    return out


# ---------------------------------------------------------------- 5. certification


@reads_only
@require_safe
@login_required
def certification(request):
    return _serve(request, "dashboards/certification.html", lambda: _certification(request))


def _certification(request) -> CachedPage:
    plan = _plan(request)
    page = selectors.certification_page(user=request.user, plan=plan,
                                        as_of=_quarter(request) or plan_as_of(plan, timezone.localdate()))
    quarter_label = page.quarter.label if page.quarter else ""
    charts = {"tiers": {
        "categories": [column.tier.name for column in page.columns], "horizontal": True, "unit": "%",
        "series": [{"name": _("% achieved"), "data": [
            {"value": _num(column.city.percent_achieved) if column.city else None,
             "status": column.city.status if column.city else "none",
             "display": (f"{figure_text(column.city.value, column.target.unit, suffix=False)} / "
                         f"{figure_text(column.target.value, column.target.unit)}"
                         if column.city and column.target
                         and column.city.value is not None else "—"),
             "url": (_sources_url(plan, column.target, column.city.region, quarter_label)
                     if column.city and column.target else None)}
            for column in page.columns]}],
        "target": 100, "targetLabel": "100%", "statusLabels": STATUS_LABELS}}
    table = Table("counties", _("Certification by county"), [_("County")] + [
        f"{column.tier.name}（{_('certified')}/{_('quota')}）" for column in page.columns])
    for county, snapshots, quotas in page.counties:
        table.rows.append([county.name] + [_certified_of_quota(snapshot, quota)
                                           for snapshot, quota in zip(snapshots, quotas, strict=True)])
    rows = [(county, list(zip(snapshots, quotas, page.columns, strict=True)))
            for county, snapshots, quotas in page.counties]
    return _render(request, "dashboards/certification.html", {
        "plan": plan, "certification_page": page, "rows": rows, "charts": charts, "quarter_label": quarter_label,
    }, [table], _("Certification"))


def _certified_of_quota(snapshot, quota) -> str:
    """A county's count at one tier against its quota, as the table shows it: 12/20, 12 or —."""
    if snapshot is None or snapshot.value is None:
        return "—"
    count = figure_text(snapshot.value, "个", suffix=False)  # a count of villages and communities: whole, grouped
    return f"{count}/{figure_text(quota, '个', suffix=False)}" if quota is not None else count


# ---------------------------------------------------------------- 6. rankings (通报)


@reads_only
@require_safe
@login_required
def rankings(request):
    return _serve(request, "dashboards/rankings.html", lambda: _rankings(request))


def _rankings(request) -> CachedPage:
    plan = _plan(request)
    today = timezone.localdate()
    periods = selectors.board_periods(plan, today)
    quarter = _quarter(request) or plan_as_of(plan, today)
    period = next((period for period in periods if period.as_quarter == quarter), None)
    targets, counties = selectors.county_rankings(user=request.user, plan=plan, quarter=quarter)
    cards = selectors.department_scorecard(user=request.user, plan=plan, period=period) if period else []
    cards = sorted(cards, key=lambda card: (-(card.timeliness or 0), -(card.completeness or 0), card.returned,
                                            card.department.order))
    charts = {"counties": {
        "categories": [ranking.county.name for ranking in counties], "horizontal": True, "unit": "%",
        "series": [{"name": _("Mean percent of quota achieved"), "data": [_num(ranking.mean) for ranking in counties]}],
        "target": 100, "targetLabel": "100%"}}
    county_table = Table("counties", _("Counties by quota completion"), [_("Rank"), _("County")]
                         + [target.name for target in targets] + [_("Mean percent of quota achieved")])
    for ranking in counties:
        county_table.rows.append([ranking.rank, ranking.county.name] + list(ranking.percents) + [ranking.mean])
    department_table = Table("departments", _("Departments by timeliness"), [
        _("Rank"), _("Department"), _("Expected"), _("On time"), _("Late"), _("Missing"), _("Timeliness"),
        _("Completeness"), _("Returned")])
    for rank, card in enumerate(cards, start=1):
        department_table.rows.append([rank, card.department.name, card.expected, card.on_time, card.late,
                                      card.missing, card.timeliness, card.completeness, card.returned])
    # each score links to the figures behind it (the snapshot's sources, as the target pages link)
    county_rows = [(ranking, [(cell, _sources_url(plan, target, ranking.county, cell.snapshot.quarter_label)
                               if cell.snapshot is not None else "")
                              for target, cell in zip(targets, ranking.cells, strict=True)])
                   for ranking in counties]
    directions = {target.direction for target in targets}
    rules = [RANKING_RULE] + [rule for direction, rule in ACHIEVEMENT_RULES.items() if direction in directions] + [NO_VALUE]
    return _render(request, "dashboards/rankings.html", {
        "plan": plan, "quarter": quarter, "periods": periods,
        "outside": "" if plan.covers(quarter) else outside_window_message(plan, quarter), "targets": targets, "county_rows": county_rows,
        "rules": rules,
        "cards": cards, "charts": charts, "generated": timezone.localtime(),
    }, [county_table, department_table], f"{_('Rankings')}-{quarter.label}")


# ---------------------------------------------------------------- 7. where we are behind (a leader's page)


@reads_only
@require_safe
@login_required
def behind(request):
    return _serve(request, "dashboards/behind.html", lambda: _behind(request))


def _behind(request) -> CachedPage:
    """A leader's one screen: which targets are behind and who answers for them, which counties
    and departments are overdue, which instructions are past their deadline."""
    plan = _plan(request)
    if not sees_every_unit(request.user):
        raise Http404
    today = timezone.localdate()
    page = selectors.behind_page(user=request.user, plan=plan, today=today, as_of=plan_as_of(plan, today))
    table = Table("behind", _("Targets behind"), [
        _("Target name"), _("Latest"), _("Unit"), _("% achieved"), _("Status"), _("Lead department"), _("Task"),
        _("Counties behind"), _("Quarter")])
    for row in page.targets:
        snapshot = row.snapshot
        table.rows.append([row.target.name, snapshot.value, row.target.unit, snapshot.percent_achieved,
                           STATUS_LABELS[snapshot.status], row.lead.name if row.lead else None,
                           row.task.number if row.task else None,
                           "、".join(s.region.name for s in row.lagging), snapshot.quarter_label])
    return _render(request, "dashboards/behind.html", {
        "plan": plan, "page": page, "charts": {},
        "counties": {c.pk for c in selectors.counties_for(request.user)},
    }, [table], _("Where we are behind"))
