"""Writes to the plan data: loading a plan from its data file, cloning it into a successor plan,
and the government units every plan needs."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from divisions.models import Region
from kernel.loading import LoadSummary, upsert
from kernel.quarters import Quarter
from kernel.refusals import refuse

from .models import Department, DepartmentAlias, Plan, Responsibility, Section, Task, TaskMeasure

PLAN_2022_FILE = Path(settings.BASE_DIR) / "tasks" / "data" / "plan_2022.json"
MEASURES_2022_FILE = Path(settings.BASE_DIR) / "tasks" / "data" / "task_measures_2022.json"


def plan_data_read(path: Path = PLAN_2022_FILE) -> dict:
    """The plan's data file (see tasks/data/extract_plan_2022.py): the document, its sections,
    departments, tasks and targets."""
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def plan_document_load(*, data: dict, summary: LoadSummary, reason: str) -> tuple[Plan, dict[int, Task]]:
    """Load the plan's document, sections, departments and tasks with their department lists
    (the targets are the targets engine's: targets.services.plan_targets_load). Idempotent: rows
    that already match are left alone, so a second load writes nothing. Returns the plan and its
    tasks by number."""
    p = data["plan"]
    source_text = (Path(settings.BASE_DIR) / "data" / data["source"]).read_text(encoding="utf-8")
    plan = upsert(Plan, summary, {"code": p["code"]}, {
        "doc_number": p["doc_number"], "title": p["title"], "title_en": p["title_en"],
        "notice_title": p["notice_title"], "issuer": p["issuer"],
        "issue_date": datetime.date.fromisoformat(p["issue_date"]),
        "period_start": datetime.date.fromisoformat(p["period_start"]),
        "period_end": datetime.date.fromisoformat(p["period_end"]),
        "period_label": p["period_label"], "preamble": p["preamble"],
        "full_text": source_text, "source_file": data["source"],
    }, reason)

    sections: dict[str, Section] = {}
    for order, s in enumerate(data["sections"], start=1):
        sections[s["key"]] = upsert(Section, summary, {"plan": plan, "key": s["key"]}, {
            "parent": sections[s["parent"]] if s["parent"] else None, "ordinal": s["ordinal"],
            "title": s["title"], "title_en": s["title_en"], "kind": s["kind"], "text": s["text"], "order": order,
        }, reason)

    departments: dict[str, Department] = {}
    for d in data["departments"]:
        dept = upsert(Department, summary, {"name": d["name"]},
                      {"name_en": d["name_en"], "kind": d["kind"], "order": d["order"]}, reason)
        departments[d["name"]] = dept
        for a in d["aliases"]:
            upsert(DepartmentAlias, summary, {"name": a["name"]}, {"department": dept, "name_en": a["name_en"]}, reason)

    tasks: dict[int, Task] = {}
    for t in data["tasks"]:
        task = upsert(Task, summary, {"plan": plan, "number": t["number"]}, {
            "section": sections[t["section"]], "title": t["title"], "title_en": t["title_en"],
            "clause": t["clause"], "kind": t["kind"], "addressed_to": t["addressed_to"],
        }, reason)
        tasks[t["number"]] = task
        _responsibilities_sync(task=task, wanted=[
            (departments[r["department"]], r["role"], r["order"]) for r in t["responsibilities"]
        ], summary=summary, reason=reason)

    return plan, tasks


def _responsibilities_sync(*, task: Task, wanted: list[tuple[Department, str, int]], summary: LoadSummary,
                           reason: str) -> None:
    """Make the task's department list exactly ``wanted``; untouched if it already is."""
    current = [(r.department_id, r.role, r.order) for r in task.responsibilities.order_by("order")]
    if current == [(d.pk, role, order) for d, role, order in wanted]:
        summary.add(Responsibility, "unchanged", len(wanted))
        return
    for r in task.responsibilities.all():
        r._change_reason = reason
        r.delete()
        summary.add(Responsibility, "deleted")
    for dept, role, order in wanted:
        r = Responsibility(task=task, department=dept, role=role, order=order)
        r._change_reason = reason
        r.save()
        summary.add(Responsibility, "created")


@transaction.atomic
def government_units_ensure() -> LoadSummary:
    """The city government, and each county's government and HR bureau, as departments tied
    to their region: the plan's work requirements (20–22) and county reporting address them."""
    summary = LoadSummary()
    reason = "government_units_ensure"
    city = Region.objects.filter(level=Region.Level.CITY).first()
    if city is None:
        raise ValueError("load the divisions first (manage.py load_divisions)")
    upsert(Department, summary, {"name": "安康市人民政府"}, {
        "name_en": "Ankang Municipal People's Government", "kind": Department.Kind.GOVERNMENT,
        "region": city, "order": 900,
    }, reason)
    for i, county in enumerate(Region.objects.counties().order_by("code"), start=1):
        upsert(Department, summary, {"name": f"{county.name}人民政府"}, {
            "name_en": f"People's Government of {county.name}", "kind": Department.Kind.GOVERNMENT,
            "region": county, "order": 900 + i,
        }, reason)
        upsert(Department, summary, {"name": f"{county.name}人社局"}, {
            "name_en": f"Human Resources and Social Security Bureau of {county.name}",
            "full_name": f"{county.name}人力资源和社会保障局", "kind": Department.Kind.COUNTY_HR,
            "region": county, "order": 950 + i,
        }, reason)
    return summary


@transaction.atomic
def plan_clone(*, source: Plan, code: str, title: str, doc_number: str, period_start: datetime.date,
               period_end: datetime.date, issuer: str | None = None,
               issue_date: datetime.date | None = None) -> tuple[Plan, dict[int, Task]]:
    """Start a successor plan from ``source``: its sections, tasks and department lists copied, to
    be edited into the new document (the targets follow in targets.services.plan_targets_clone).
    The source plan is not touched. Returns the plan and its tasks by the source task's id."""
    if Plan.objects.filter(code=code).exists():
        raise ValueError(f"a plan with code {code!r} already exists")
    plan = Plan(code=code, title=title, doc_number=doc_number, period_start=period_start, period_end=period_end,
                issuer=issuer or source.issuer, issue_date=issue_date, title_en="", notice_title="",
                period_label="", preamble="", full_text="", source_file="", cloned_from=source)
    plan.full_clean()
    plan.save()
    sections: dict[int, Section] = {}
    for s in source.sections.order_by("order"):
        old_pk = s.pk
        s.pk = None
        s.plan = plan
        s.parent = sections[s.parent_id] if s.parent_id else None
        s.save()
        sections[old_pk] = s
    tasks: dict[int, Task] = {}
    for t in source.tasks.prefetch_related("responsibilities").order_by("number"):
        old_pk, responsibilities = t.pk, list(t.responsibilities.all())
        t.pk = None
        t.plan = plan
        t.section = sections[t.section_id]
        t.save()
        tasks[old_pk] = t
        for r in responsibilities:
            Responsibility.objects.create(task=t, department_id=r.department_id, role=r.role, order=r.order)
    _measures_clone(tasks)
    return plan, tasks


# ---------------------------------------------------------------- a new plan from structured data

SERIES = re.compile(r"-\d{4}.*$")


def plan_series(code: str) -> str:
    """The series a plan belongs to: its code without the year it starts with (ankang-2022 and
    ankang-2026, and ankang-2026-demo, are all of the series ``ankang``). Plans of one series
    follow each other; they never overlap."""
    return SERIES.sub("", code)


def plan_period_problems(*, code: str, start: datetime.date, end: datetime.date,
                         exclude_pk: int | None = None) -> list[str]:
    """The rule for a new plan's period (the successor-plan import and the admin's plan form):
    whole quarters (it starts on the first day of a quarter and ends on the last day of one), the
    start before the end, and no overlap with another plan of the same series (``plan_series``).
    Returns the problems, in the user's language; none when the period is right.

    ``clone_plan`` (seeding) does not apply the overlap rule: a successor may be started early by
    cloning, to try figures in both windows."""
    problems = []
    if start >= end:
        problems.append(_("The plan's period must start before it ends (%(start)s – %(end)s).") % {
            "start": start.isoformat(), "end": end.isoformat()})
        return problems
    if Quarter.of_date(start).start != start or Quarter.of_date(end).end != end:
        problems.append(_("The plan's period must be whole quarters: it starts on the first day of a quarter "
                          "(e.g. 2026-01-01) and ends on the last day of one (e.g. 2030-12-31)."))
    others = Plan.objects.filter(period_start__lte=end, period_end__gte=start)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for other in others.order_by("period_start"):
        if plan_series(other.code) == plan_series(code):
            problems.append(_("The period %(start)s – %(end)s overlaps %(other)s (%(other_start)s – %(other_end)s) "
                              "of the same series: a successor starts after its predecessor ends.") % {
                "start": start.isoformat(), "end": end.isoformat(), "other": other.code,
                "other_start": other.period_start.isoformat(), "other_end": other.period_end.isoformat()})
    return problems


@transaction.atomic
def plan_create(*, plan: dict, sections: list[dict], tasks: list[dict], reason: str) -> tuple[Plan, dict[int, Task]]:
    """Create a whole plan document from checked, structured data (the successor-plan import):
    ``plan`` its fields; ``sections`` in order, each with ``key`` and ``parent`` (a key or None);
    ``tasks`` each with ``number``, ``section`` (a key) and ``departments`` [(Department, role)]
    in the document's order, the lead first. Every row is saved one by one, so each is in the
    history and the audit trail with ``reason``. Refused whole (ValidationError) if the code is
    taken or the period breaks ``plan_period_problems``."""
    if Plan.objects.filter(code=plan["code"]).exists():
        refuse(_("A plan with the code %(code)s already exists."), code=plan["code"])
    problems = plan_period_problems(code=plan["code"], start=plan["period_start"], end=plan["period_end"])
    if problems:
        raise ValidationError(problems)
    new = Plan(**{"title_en": "", "notice_title": "", "full_text": "", "source_file": "", **plan})
    new.full_clean()
    new._change_reason = reason
    new.save()
    by_key: dict[str, Section] = {}
    for order, s in enumerate(sections, start=1):
        section = Section(plan=new, key=s["key"], parent=by_key[s["parent"]] if s["parent"] else None,
                          ordinal=s["ordinal"], title=s["title"], kind=s["kind"], text=s.get("text", ""), order=order)
        section.full_clean()
        section._change_reason = reason
        section.save()
        by_key[s["key"]] = section
    created: dict[int, Task] = {}
    for t in tasks:
        task = Task(plan=new, section=by_key[t["section"]], number=t["number"], title=t["title"],
                    clause=t.get("clause") or t["title"], kind=t["kind"], addressed_to=t.get("addressed_to", ""))
        task.full_clean()
        task._change_reason = reason
        task.save()
        created[task.number] = task
        for order, (department, role) in enumerate(t["departments"], start=1):
            r = Responsibility(task=task, department=department, role=role, order=order)
            r._change_reason = reason
            r.save()
    measures_carry_over(plan=new, tasks=created, reason=reason)
    return new, created


def measures_carry_over(*, plan: Plan, tasks: dict[int, Task], reason: str) -> int:
    """A new plan's task measures (任务指标), carried over from the plan it follows (the latest plan of
    its series ending before it starts): a measure of task N is copied to the new task N when the
    new task's text still holds the measure's clause word for word — the extractor's rule, so a
    task the new document rewrites starts without measures, to be defined for it (admin → 任务指标).
    The reporting units are those of the new task's units; a ratio only with both its parts.
    Returns how many were copied."""
    series = plan_series(plan.code)
    source = next((p for p in Plan.objects.filter(period_end__lt=plan.period_start).order_by("-period_end")
                   if plan_series(p.code) == series), None)
    if source is None:
        return 0
    by_number = {t.number: t for t in tasks.values()}
    copies: dict[int, TaskMeasure] = {}
    for m in (TaskMeasure.objects.filter(task__plan=source).select_related("task")
              .prefetch_related("reporting_units").order_by("task__number", "order")):
        task = by_number.get(m.task.number)
        if task is None or joined_text(m.clause) not in joined_text(task.clause):
            continue
        if m.kind == TaskMeasure.Kind.RATIO and not (m.numerator_id in copies and m.denominator_id in copies):
            continue
        units = set(task.responsibilities.values_list("department_id", flat=True))
        old_pk, reporting = m.pk, [d for d in m.reporting_units.all() if d.pk in units]
        m.pk, m.task = None, task
        m._prefetched_objects_cache = {}  # else set() below would compare with the source's units
        m.numerator = copies.get(m.numerator_id) if m.numerator_id else None
        m.denominator = copies.get(m.denominator_id) if m.denominator_id else None
        m._change_reason = reason
        m.full_clean()
        m.save()
        m.reporting_units.set(reporting)
        copies[old_pk] = m
    return len(copies)


def _measures_clone(tasks: dict[int, Task]) -> None:
    """The source tasks' measures (任务指标) copied onto the successor's tasks, ratios pointing at
    the copies; the new document's words are edited in afterwards."""
    copies: dict[int, TaskMeasure] = {}
    for m in TaskMeasure.objects.filter(task_id__in=list(tasks)).order_by("task__number", "order"):
        old_pk, units = m.pk, list(m.reporting_units.all())
        m.pk, m.task = None, tasks[m.task_id]
        m.numerator = copies.get(m.numerator_id) if m.numerator_id else None
        m.denominator = copies.get(m.denominator_id) if m.denominator_id else None
        m.save()
        m.reporting_units.set(units)
        copies[old_pk] = m


def joined_text(text: str) -> str:
    """A document's text with its hard line wraps and page breaks removed (as the extractor reads it)."""
    return "".join(line.strip() for line in text.splitlines() if line.strip())


@transaction.atomic
def task_measures_load(*, plan: Plan, path: Path = MEASURES_2022_FILE, summary: LoadSummary | None = None,
                       reason: str = "") -> LoadSummary:
    """Load the plan's task measures (任务指标) from their data file. Refused whole if a measure's
    clause is not, word for word, in its task's text, if a reporting unit is not one of the task's
    units, or if a ratio names measures that are not its task's. Idempotent."""
    summary = summary or LoadSummary()
    reason = reason or f"task_measures_load {path.name}"
    data = json.loads(path.read_text(encoding="utf-8"))
    if data["plan"] != plan.code:
        raise ValueError(f"{path.name} is for plan {data['plan']}, not {plan.code}")
    tasks = {t.number: t for t in plan.tasks.prefetch_related("responsibilities__department")}
    codes = set()
    for order, m in enumerate(data["measures"], start=1):
        task = tasks.get(m["task"])
        if task is None:
            raise ValueError(f"measure {m['code']}: no task {m['task']} in {plan.code}")
        if joined_text(m["clause"]) not in joined_text(task.clause):
            raise ValueError(f"measure {m['code']}: clause not found verbatim in task {task.number}")
        if m["code"] in codes:
            raise ValueError(f"measure {m['code']}: code used twice")
        codes.add(m["code"])
        units = {r.department.name: r.department for r in task.responsibilities.all()}
        unknown = [name for name in m["reporting_units"] if name not in units]
        if unknown:
            raise ValueError(f"measure {m['code']}: {unknown} not among task {task.number}'s units")
        target = m.get("target") or {}
        parts = {}
        for side in ("numerator", "denominator"):
            if m.get(side):
                part = TaskMeasure.objects.filter(task=task, code=m[side]).first()
                if part is None:
                    raise ValueError(f"measure {m['code']}: {side} {m[side]} is not an earlier measure of its task")
                parts[side] = part
            else:
                parts[side] = None
        measure = upsert(TaskMeasure, summary, {"task": task, "code": m["code"]}, {
            "order": order, "name": m["name"], "name_en": m.get("name_en", ""), "clause": m["clause"],
            "unit": m["unit"], "kind": m["kind"], "period": m["period"], **parts,
            "target_direction": target.get("direction", ""),
            "target_value": Decimal(target["value"]) if target.get("value") is not None else None,
            "target_value_max": Decimal(target["value_max"]) if target.get("value_max") is not None else None,
            "target_span": target.get("span", ""), "target_scope": target.get("scope", ""),
            "counted_from": m.get("counted_from", ""), "indicator_code": m.get("indicator", ""),
        }, reason)
        wanted = {units[name].pk for name in m["reporting_units"]}
        if set(measure.reporting_units.values_list("pk", flat=True)) != wanted:
            measure.reporting_units.set(wanted)
    return summary
