"""What a quarterly report pack holds, read from the same selectors the dashboards and the target
pages use (targets.selectors.target_detail, dashboards.selectors, reports.selectors). Nothing here
recomputes a figure: every value is a snapshot's, or a count of reporting records the pages count
the same way."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Tier
from dashboards import selectors as dash
from kernel.exports import Table
from kernel.quarters import Quarter
from reports import selectors as rep
from reports.models import ReportingPeriod
from targets.models import Target
from targets.selectors import TargetDetail, target_detail
from tasks.models import Plan


@dataclass
class PackContent:
    quarter: Quarter
    tables: list[Table]
    snapshots_as_of: datetime.datetime | None
    details: dict[str, TargetDetail] = field(default_factory=dict)  # target code → detail (for the tests)


def _latest(values) -> datetime.datetime | None:
    return max((v for v in values if v is not None), default=None)


def pack_content(*, user, plan: Plan, quarter: Quarter) -> PackContent:
    """The pack's tables for one quarter, as ``user`` (the requester: the office or a leader, who
    see every county) may see them."""
    today = timezone.localdate()
    period = ReportingPeriod.objects.filter(year=quarter.year, quarter=quarter.number).first()
    targets = list(Target.objects.for_user(user).filter(plan=plan, indicator__isnull=False)
                   .select_related("plan", "indicator", "task").order_by("category", "order"))
    details = {t.code: target_detail(target=t, user=user, quarter=quarter) for t in targets}
    computed = []
    for d in details.values():
        computed += [s.computed_at for s in ([d.city] if d.city else []) + list(d.counties)]

    # 1. targets and pace: the city's snapshot of every target at the quarter
    pace = Table("targets", _("Targets and pace"), [
        _("Code"), _("Target name"), _("Category"), _("Task"), _("Target value"), _("Unit"), _("Value"),
        _("In the quarter"), _("Expected to date"), _("% achieved"), _("Time elapsed, %"), _("Status"),
        _("Projected at period end"), _("Run-rate needed"), _("Units reported"), _("Units expected"),
        _("Data as of"), _("Computed at")])
    for t in targets:
        s = details[t.code].city
        pace.rows.append([t.code, t.name, t.get_category_display(), t.task.number if t.task else None,
                          t.display_value, t.unit, *(
                              [s.value, s.period_value, s.expected_to_date, s.percent_achieved,
                               s.percent_time_elapsed, s.get_status_display(), s.projected_end_value,
                               s.required_run_rate, s.units_reported, s.units_expected, s.data_as_of, s.computed_at]
                              if s else [None] * 5 + [_("No data")] + [None] * 6)])

    # 2. counties and quotas: each main target's counties at the quarter, ranked as on its page
    counties = Table("counties", _("Counties and quotas"), [
        _("Code"), _("Target name"), _("County"), _("Quota"), _("Value"), _("Unit"), _("% achieved"), _("Rank"),
        _("Status")])
    for t in targets:
        if t.category != Target.Category.MAIN:
            continue
        for s in details[t.code].counties:
            counties.rows.append([t.code, t.name, s.region.name, s.target_value, s.value, t.unit,
                                  s.percent_achieved, s.rank, s.get_status_display()])

    # 3. tasks and report states (the task report board for the period)
    tasks = Table("tasks", _("Tasks and report states"), [
        _("Task"), _("Title"), _("Lead unit"), _("Task report"), _("Parts in"), _("Parts expected"),
        _("First submitted at"), _("Reviewed at")])
    if period is not None:
        for row in rep.task_board(user=user, plan=plan, period=period):
            r = row.report
            state = r.get_state_display() if r else (_("Overdue") if today > period.due_on else _("Not started"))
            tasks.rows.append([row.task.number, row.task.title, row.lead.name, state, row.parts_submitted,
                               row.parts_expected, r.first_submitted_at if r else None,
                               r.reviewed_at if r else None])

    # 4. certification: the four tiers' snapshots (counted by the roll-up from certification
    #    records), the city and each county, against the target or quota
    certification = Table("certification", _("Certification"), [
        _("Tier"), _("Region"), _("Certified"), _("Target or quota"), _("% achieved"), _("Status")])
    by_indicator: dict[str, Target] = {}
    for t in targets:  # the first by category and order, as dashboards.selectors.certification_page picks
        by_indicator.setdefault(t.indicator.code, t)
    for tier in Tier.objects.for_user(user).order_by("-rank"):
        t = by_indicator.get(tier.indicator_code)
        if t is None:
            continue
        d = details[t.code]
        for s in ([d.city] if d.city else []) + list(d.counties):
            certification.rows.append([tier.name, s.region.name, s.value, s.target_value, s.percent_achieved,
                                       s.get_status_display()])

    # 5. rankings and timeliness
    ranked_targets, ranking = dash.county_rankings(user=user, plan=plan, quarter=quarter)
    rankings = Table("rankings", _("Counties by quota completion"),
                     [_("Rank"), _("County")] + [t.name for t in ranked_targets]
                     + [_("Mean percent of quota achieved")])
    for r in ranking:
        rankings.rows.append([r.rank, r.county.name, *r.percents, r.mean])
    dept = Table("departments", _("Departments by timeliness"), [
        _("Rank"), _("Department"), _("Expected"), _("On time"), _("Late"), _("Missing"), _("Timeliness"),
        _("Completeness"), _("Returned")])
    county_t = Table("county_timeliness", _("Counties (quarterly returns)"), [
        _("County"), _("Expected"), _("On time"), _("Late"), _("Missing"), _("Completeness"), _("Timeliness")])
    if period is not None:
        cards = sorted(dash.department_scorecard(user=user, plan=plan, period=period),
                       key=lambda c: (-(c.timeliness or 0), -(c.completeness or 0), c.returned, c.department.order))
        for i, c in enumerate(cards, start=1):
            dept.rows.append([i, c.department.name, c.expected, c.on_time, c.late, c.missing, c.timeliness,
                              c.completeness, c.returned])
        for t in rep.county_timeliness(user=user, period=period):
            county_t.rows.append([t.unit.name, t.expected, t.on_time, t.late, t.missing, t.completeness,
                                  t.timeliness])

    # 6. task measures (任务指标): each task's measures rolled up to the quarter — the quarter, its
    #    year and the plan — from the approved task reports, with the target where the text gives one
    measures = Table("measures", _("Task measures"), [
        _("Task"), _("Measure"), _("Unit"), _("Aggregation"), _("Target"), _("In the quarter"), _("This year"),
        _("Plan period"), _("Met")])
    for r in rep.measure_rollups(plan=plan, upto=quarter, quarter=quarter):
        m = r.measure
        measures.rows.append([m.task.number, m.name, m.unit, m.get_kind_display(), r.target_text or _("tracked, no target"),
                              r.quarter, r.years.get(min(quarter.year, plan.last_quarter.year)),
                              m.counted_elsewhere or r.total, {True: _("yes"), False: _("no")}.get(r.met)])

    return PackContent(quarter, [pace, counties, tasks, certification, rankings, dept, county_t, measures],
                       _latest(computed), details)
