"""What an annual assessment (年度考核) holds: every unit's score on every item of the year's scheme,
read from the records — the snapshots (targets), the county returns and task reports with their
submission dates and review history, the leaders' instructions (督办) and the task measures — with
links to the records behind every point. Scored by the rules of targets.scoring (capped
achievement, "at most" targets, ties 并列); nothing here is shown that the record does not say.

``annual_content`` is frozen into the assessment when the job computes it; the page reads only that."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from divisions.models import Region
from kernel.quarters import Quarter
from reports.models import CountyReturn, InstructionUnit, ReportingPeriod, TaskReport, TaskReportPart
from reports.selectors import measure_rollups
from targets.models import Snapshot, Target
from targets.scoring import (
    ACHIEVEMENT_RULES,
    NO_VALUE,
    TOTAL_RULE,
    competition_ranks,
    goal_of,
    q2,
    score_figure,
    total_percent,
)
from tasks.models import Department, Plan, Responsibility, Task, TaskMeasure

from .models import AnnualAssessment, AssessmentScheme, Audience, ItemKind

ZERO = Decimal(0)

# How each kind of item is computed, in Chinese: shown beside the office's own rule.
METHODS = {
    ItemKind.TARGET: "按考核年度末季度的汇总快照：县（市、区）以其配额（按时序进度的应达值）为目标，部门以全市数据计入所牵头任务的牵头单位。",
    ItemKind.TIMELINESS: "得分＝分值×按时报送数÷应报送数（以首次报送时间对照报送截止日；未报送的计为未按时）。",
    ItemKind.COMPLETENESS: "得分＝分值×已报送数÷应报送数。",
    ItemKind.SENT_BACK: "本年度报送材料每被退回一次扣分值的20%，扣完为止。",
    ItemKind.INSTRUCTIONS: "截止日期在本年度内的领导批示：得分＝分值×按期办结数÷到期数（在截止日前反馈并经办公室办结的为按期办结；"
                           "逾期未办结或逾期反馈的为未按期）；本年度无到期批示的，该项不适用。",
    ItemKind.MEASURES: "所牵头任务中本年度可判定的任务指标：得分＝分值×达标数÷可判定数；无可判定指标的，该项不适用。",
}
DEFAULT_RULES = {
    ItemKind.TARGET: "完成率＝实际值÷配额目标，超过100%的按100%计；“不高于”类指标不超过上限得满分，超过的按上限÷实际值计分；未报送的得0分。",
    ItemKind.TIMELINESS: "按季度报送截止日，按时报送一次得四分之一分值，逾期或未报送不得分。",
    ItemKind.COMPLETENESS: "按季度应报送材料全部报送得满分，缺报一次扣四分之一分值。",
    ItemKind.SENT_BACK: "材料被退回一次扣该项分值的20%，扣完为止。",
    ItemKind.INSTRUCTIONS: "领导批示在截止日前反馈并办结的为按期办结，按按期办结比例计分；无到期批示的不计。",
    ItemKind.MEASURES: "牵头任务的任务指标按本年度达标比例计分；无可判定指标的不计。",
}
SENT_BACK_PENALTY = Decimal("0.2")


def method_text(item, plan: Plan) -> str:
    """How the item is computed, in Chinese; a target item's with the rule of its direction."""
    text = METHODS[item.kind]
    if item.kind == ItemKind.TARGET:
        target = Target.objects.filter(plan=plan, indicator_id=item.indicator_id).first()
        direction = target.direction if target is not None else "at_least"
        text += ACHIEVEMENT_RULES.get(direction, ACHIEVEMENT_RULES["at_least"]) + NO_VALUE
    return text


def _s(value: Decimal | None) -> str | None:
    return None if value is None else format(q2(value), "f")


def _link(text: str, url: str) -> dict:
    return {"text": text, "url": url}


def _return_link(region: Region, period: ReportingPeriod, label: str) -> dict:
    return _link(label, reverse("reports:county-return", args=[region.code, f"{period.year}Q{period.quarter}"]))


def _task_link(task: Task, period: ReportingPeriod, label: str) -> dict:
    return _link(label, reverse("reports:task-report", args=[task.number, f"{period.year}Q{period.quarter}"]))


def _on_time(first: datetime.datetime | None, due: datetime.date) -> bool:
    return first is not None and timezone.localtime(first).date() <= due  # the deadline is a local date


def _cell(weight: Decimal, share: Decimal | None, detail: str, records: list, applicable: bool = True) -> dict:
    if not applicable:
        return {"applicable": False, "score": None, "weight": _s(weight), "detail": detail, "records": records}
    score = weight * (share if share is not None else ZERO)
    return {"applicable": True, "score": _s(score), "weight": _s(weight), "detail": detail, "records": records}


def assessed_quarter(year: int, plan: Plan, today: datetime.date) -> Quarter:
    """The year's last quarter, or, before its returns are in, the latest one that is due and has
    approved returns (a draft computed in the year); never outside the plan's window."""
    periods = list(ReportingPeriod.objects.filter(year=year, due_on__lt=today).filter(
        Exists(CountyReturn.objects.filter(period=OuterRef("pk"), state="approved"))).order_by("-quarter"))
    q = Quarter(year, periods[0].quarter) if periods else Quarter(year, 1)
    return max(min(q, plan.last_quarter), plan.first_quarter)


# ---------------------------------------------------------------- target items


def _target_cell(item, target: Target | None, snap: Snapshot | None, plan: Plan, region: Region) -> dict:
    weight = item.weight
    links = []
    if target is not None and target.indicator_id:
        links.append(_link(f"{target.name}（{region.name}）",
                           reverse("targets:target-detail", args=[plan.code, target.code])))
    if target is None:
        return _cell(weight, None, "该指标不在本规划目标中。", links, applicable=False)
    if snap is not None and snap.value is not None:
        quarter = f"{snap.year}Q{snap.quarter}"
        links.append(_link(f"{region.name} {snap.year}年第{'一二三四'[snap.quarter - 1]}季度汇总数据来源",
                           reverse("targets:snapshot-sources", args=[plan.code, target.code, region.code, quarter])))
    direction = target.direction
    value = snap.value if snap is not None else None
    goal = None
    if snap is not None:
        goal = goal_of(direction=direction, target_value=snap.target_value, expected_to_date=snap.expected_to_date)
    if goal is None and direction != "zero" and region.level == Region.Level.CITY:
        goal = target.value
    scored = score_figure(direction=direction, value=value, goal=goal, unit=target.unit)
    share, detail = scored.share, scored.detail
    if not scored.applicable:
        return _cell(weight, None, detail, links, applicable=False)
    return _cell(weight, share, detail, links)


# ---------------------------------------------------------------- the units' records in the year


class _Year:
    """The year's records, read once for every unit."""

    def __init__(self, *, year: int, plan: Plan, quarter: Quarter, cutoff: datetime.datetime) -> None:
        self.year, self.plan, self.quarter, self.cutoff = year, plan, quarter, cutoff
        self.periods = list(ReportingPeriod.objects.filter(year=year, quarter__lte=quarter.number).order_by("quarter"))
        self.targets = {t.indicator_id: t for t in Target.objects.filter(plan=plan).select_related("indicator")}
        self.snaps = {(s.indicator_id, s.region_id): s for s in Snapshot.objects.filter(
            plan=plan, year=quarter.year, quarter=quarter.number)}
        self.tasks = list(Task.objects.filter(plan=plan, kind=Task.Kind.TASK).order_by("number"))
        self.duties = list(Responsibility.objects.filter(task__in=self.tasks).values_list("task_id", "department_id",
                                                                                          "role"))
        self.leads: dict[int, list[int]] = defaultdict(list)  # task → lead departments
        for task_id, dept_id, role in self.duties:
            if role == Responsibility.Role.LEAD:
                self.leads[task_id].append(dept_id)
        self.returns = {(r.region_id, r.period_id): r for r in CountyReturn.objects.filter(period__in=self.periods)}
        self.reports = {(r.task_id, r.period_id): r for r in TaskReport.objects.filter(period__in=self.periods,
                                                                                       task__in=self.tasks)}
        self.parts = {(p.task_id, p.department_id, p.period_id): p for p in TaskReportPart.objects.filter(
            period__in=self.periods, task__in=self.tasks)}
        self.returned_returns = self._returned(CountyReturn.history.filter(
            period__in=self.periods, state="returned", reviewed_at__isnull=False, reviewed_at__lte=cutoff),
            ("region_id", "period_id"), "reviewed_at")
        self.returned_reports = self._returned(TaskReport.history.filter(
            period__in=self.periods, state="returned", reviewed_at__isnull=False, reviewed_at__lte=cutoff),
            ("task_id", "period_id"), "reviewed_at")
        self.returned_parts = self._returned(TaskReportPart.history.filter(
            period__in=self.periods, returned_at__isnull=False, returned_at__lte=cutoff),
            ("task_id", "department_id", "period_id"), "returned_at")
        self.instructions = list(InstructionUnit.objects.filter(
            instruction__deadline__year=year, instruction__deadline__lt=timezone.localdate(cutoff))
            .select_related("instruction__task"))
        self.task_by_id = {t.pk: t for t in self.tasks}
        self.period_by_id = {p.pk: p for p in self.periods}

    @staticmethod
    def _returned(history, key: tuple[str, ...], moment: str) -> dict[tuple, int]:
        """How many times each record was sent back: distinct moments of a return in its history."""
        seen: dict[tuple, set] = defaultdict(set)
        for row in history.values(*key, moment):
            seen[tuple(row[k] for k in key)].add(row[moment])
        return {k: len(v) for k, v in seen.items()}

    def quarter_label(self, period: ReportingPeriod) -> str:
        return f"{period.year}年第{'一二三四'[period.quarter - 1]}季度"


def _reporting_cells(item, duties: list[tuple], due_of) -> dict:
    """``duties``: (period, first submitted at, link) per report owed."""
    expected = len(duties)
    on_time = sum(1 for period, first, _link_ in duties if _on_time(first, due_of(period)))
    submitted = sum(1 for _p, first, _l in duties if first is not None)
    links = [link for _p, _f, link in duties]
    if not expected:
        return _cell(item.weight, None, "本年度无应报送材料，该项不适用。", links, applicable=False)
    if item.kind == ItemKind.TIMELINESS:
        return _cell(item.weight, Decimal(on_time) / expected, f"应报{expected}份，按时{on_time}份，"
                     f"逾期{submitted - on_time}份，未报{expected - submitted}份", links)
    return _cell(item.weight, Decimal(submitted) / expected, f"应报{expected}份，已报{submitted}份，未报{expected - submitted}份",
                 links)


def _sent_back_cell(item, count: int, links: list) -> dict:
    share = max(Decimal(1) - SENT_BACK_PENALTY * count, ZERO)
    return _cell(item.weight, share, f"本年度被退回{count}次", links)


def _instruction_cell(item, rows: list[InstructionUnit], year: _Year) -> dict:
    due = len(rows)
    links = [_link(f"批示：任务{r.instruction.task.number}（截止{r.instruction.deadline:%Y-%m-%d}）",
                   reverse("reports:instruction", args=[r.instruction_id])) for r in rows]
    if not due:
        return _cell(item.weight, None, "本年度无到期的领导批示，该项不适用。", links, applicable=False)
    on_time = sum(1 for r in rows if r.state == InstructionUnit.State.CLOSED and r.replied_at is not None
                  and timezone.localtime(r.replied_at).date() <= r.instruction.deadline
                  and (r.reviewed_at is None or r.reviewed_at <= year.cutoff))
    overdue = sum(1 for r in rows if r.state != InstructionUnit.State.CLOSED)
    return _cell(item.weight, Decimal(on_time) / due,
                 f"到期{due}件，按期办结{on_time}件，逾期未办结{overdue}件，逾期办结{due - on_time - overdue}件", links)


def _county_cells(item, region: Region, year: _Year) -> dict:
    if item.kind == ItemKind.TARGET:
        target = year.targets.get(item.indicator_id)
        return _target_cell(item, target, year.snaps.get((item.indicator_id, region.pk)), year.plan, region)
    if item.kind in (ItemKind.TIMELINESS, ItemKind.COMPLETENESS):
        duties = []
        for period in year.periods:
            r = year.returns.get((region.pk, period.pk))
            duties.append((period, r.first_submitted_at if r else None,
                           _return_link(region, period, f"{year.quarter_label(period)}季报")))
        return _reporting_cells(item, duties, lambda p: p.due_on)
    if item.kind == ItemKind.SENT_BACK:
        count, links = 0, []
        for period in year.periods:
            n = year.returned_returns.get((region.pk, period.pk), 0)
            if n:
                count += n
                links.append(_return_link(region, period, f"{year.quarter_label(period)}季报（退回{n}次）"))
        return _sent_back_cell(item, count, links)
    if item.kind == ItemKind.INSTRUCTIONS:
        return _instruction_cell(item, [r for r in year.instructions if r.region_id == region.pk], year)
    return _cell(item.weight, None, "县（市、区）不考核此项。", [], applicable=False)


def _department_cells(item, dept: Department, year: _Year, rollups: dict) -> dict:
    led = [t for t in year.tasks if dept.pk in year.leads.get(t.pk, [])]
    if item.kind == ItemKind.TARGET:
        target = year.targets.get(item.indicator_id)
        if target is None or target.task_id is None or dept.pk not in year.leads.get(target.task_id, []):
            return _cell(item.weight, None, "非该指标所属任务的牵头单位，该项不适用。", [], applicable=False)
        city = Region.objects.filter(level=Region.Level.CITY).first()
        return _target_cell(item, target, year.snaps.get((item.indicator_id, city.pk)), year.plan, city)
    if item.kind in (ItemKind.TIMELINESS, ItemKind.COMPLETENESS):
        duties = []
        for task_id, dept_id, role in year.duties:
            if dept_id != dept.pk:
                continue
            task = year.task_by_id[task_id]
            for period in year.periods:
                if role == Responsibility.Role.LEAD:
                    rec = year.reports.get((task_id, period.pk))
                    label = f"任务{task.number} {year.quarter_label(period)}任务报告"
                else:
                    rec = year.parts.get((task_id, dept_id, period.pk))
                    label = f"任务{task.number} {year.quarter_label(period)}配合单位报告"
                duties.append((period, rec.first_submitted_at if rec else None, _task_link(task, period, label)))
        return _reporting_cells(item, duties, lambda p: p.due_on)
    if item.kind == ItemKind.SENT_BACK:
        count, links = 0, []
        for task_id, dept_id, role in year.duties:
            if dept_id != dept.pk:
                continue
            task = year.task_by_id[task_id]
            for period in year.periods:
                n = (year.returned_reports.get((task_id, period.pk), 0) if role == Responsibility.Role.LEAD
                     else year.returned_parts.get((task_id, dept_id, period.pk), 0))
                if n:
                    count += n
                    links.append(_task_link(task, period, f"任务{task.number} {year.quarter_label(period)}（退回{n}次）"))
        return _sent_back_cell(item, count, links)
    if item.kind == ItemKind.INSTRUCTIONS:
        return _instruction_cell(item, [r for r in year.instructions if r.department_id == dept.pk], year)
    # task measures of the tasks it leads, judged for the year
    judged, met, links = 0, 0, []
    last_period = year.periods[-1] if year.periods else None
    for task in led:
        for r in rollups.get(task.pk, []):
            verdict = r.years_met.get(year.year)
            if verdict is None and r.measure.target_span != TaskMeasure.Span.YEAR and year.year == year.plan.period_end.year:
                verdict = r.met
            if verdict is None:
                continue
            judged += 1
            met += 1 if verdict else 0
        if last_period is not None:
            links.append(_task_link(task, last_period, f"任务{task.number}任务指标"))
    if not judged:
        return _cell(item.weight, None, "牵头任务本年度无可判定的任务指标，该项不适用。", links, applicable=False)
    return _cell(item.weight, Decimal(met) / judged, f"可判定{judged}项，达标{met}项", links)


# ---------------------------------------------------------------- the whole


def _total(cells: list[dict]) -> Decimal | None:
    return total_percent([(Decimal(c["score"]), Decimal(c["weight"])) for c in cells if c["applicable"]])


def _group(scheme: AssessmentScheme, units: list, cells_of, previous: dict) -> dict:
    items = list(scheme.items.all().order_by("order", "pk"))
    rows = []
    for unit in units:
        cells = [cells_of(item, unit) for item in items]
        total = _total(cells)
        rows.append({"id": unit.pk, "name": getattr(unit, "name", str(unit)), "code": getattr(unit, "code", ""),
                     "cells": cells, "total": _s(total), "previous": previous.get(unit.pk)})
    ranks = competition_ranks([Decimal(r["total"]) if r["total"] is not None else None for r in rows])
    counts = defaultdict(int)
    for rank in ranks:
        counts[rank] += 1
    for row, rank in zip(rows, ranks, strict=True):
        row["rank"], row["tied"] = rank, rank is not None and counts[rank] > 1
        prev = row["previous"]
        if prev and prev.get("total") is not None and row["total"] is not None:
            row["change"] = format(q2(Decimal(row["total"]) - Decimal(prev["total"])), "+f")
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["code"] or "", r["name"]))
    return {"audience": scheme.audience, "scheme": {"id": scheme.pk, "version": scheme.version, "note": scheme.note},
            "items": [{"name": i.name, "kind": i.kind, "weight": _s(i.weight), "rule": i.rule,
                       "method": method_text(i, scheme.plan)} for i in items],
            "rows": rows}


def previous_totals(year: int) -> dict[str, dict[int, dict]]:
    """Last year's standing per unit, from its issued assessment (else its latest version)."""
    last = (AnnualAssessment.objects.filter(year=year - 1, state=AnnualAssessment.State.ISSUED).first()
            or AnnualAssessment.objects.filter(year=year - 1).order_by("-version").first())
    out: dict[str, dict[int, dict]] = {Audience.COUNTIES: {}, Audience.DEPARTMENTS: {}}
    if last is None:
        return out
    for group in last.content.get("groups", []):
        for row in group["rows"]:
            out[group["audience"]][row["id"]] = {"total": row["total"], "rank": row["rank"], "version": last.version,
                                                 "issued": last.is_issued}
    return out


def annual_content(*, year: int, plan: Plan, county_scheme: AssessmentScheme | None,
                   department_scheme: AssessmentScheme | None, cutoff: datetime.datetime) -> dict:
    quarter = assessed_quarter(year, plan, timezone.localdate(cutoff))
    data = _Year(year=year, plan=plan, quarter=quarter, cutoff=cutoff)
    previous = previous_totals(year)
    groups = []
    if county_scheme is not None:
        counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("code"))
        groups.append(_group(county_scheme, counties, lambda item, unit: _county_cells(item, unit, data),
                             previous[Audience.COUNTIES]))
    if department_scheme is not None:
        dept_ids = {d for _t, d, _r in data.duties}
        departments = list(Department.objects.filter(pk__in=dept_ids).order_by("order", "name"))
        rollups: dict[int, list] = defaultdict(list)
        if any(i.kind == ItemKind.MEASURES for i in department_scheme.items.all()):
            for r in measure_rollups(plan=plan, upto=Quarter(year, 4)):
                rollups[r.measure.task_id].append(r)
        groups.append(_group(department_scheme, departments,
                             lambda item, unit: _department_cells(item, unit, data, rollups),
                             previous[Audience.DEPARTMENTS]))
    return {"year": year, "quarter": quarter.label, "complete": quarter == Quarter(year, 4),
            "plan": {"code": plan.code, "title": plan.title}, "total_rule": TOTAL_RULE, "groups": groups}
