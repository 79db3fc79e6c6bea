"""Reads of the plan that pages, the API and exports share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from targets.models import Target

from .models import Plan, Responsibility, Section, Task


@dataclass
class SectionView:
    section: Section
    tasks: list[Task]


@dataclass
class PlanOverview:
    plan: Plan
    parts: list[tuple[Section, list[SectionView]]]  # top-level parts with their subsections
    main_targets: list[Target]
    task_targets: list[Target]
    tasks: list[Task]

    @property
    def task_count(self) -> int:
        return sum(t.kind == Task.Kind.TASK for t in self.tasks)

    @property
    def requirement_count(self) -> int:
        return sum(t.kind == Task.Kind.REQUIREMENT for t in self.tasks)


def plan_current_for_user(user) -> Plan | None:
    return Plan.objects.for_user(user).current(timezone.localdate())


def plan_overview(*, plan: Plan) -> PlanOverview:
    """The whole plan for its page, in a fixed number of queries whatever its size."""
    sections = list(plan.sections.order_by("order"))
    tasks = list(
        Task.objects.filter(plan=plan).order_by("number").prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("department").order_by("order")),
        )
    )
    by_section: dict[int, list[Task]] = {}
    for t in tasks:
        by_section.setdefault(t.section_id, []).append(t)
    parts = []
    for top in (s for s in sections if s.parent_id is None):
        children = [s for s in sections if s.parent_id == top.pk]
        views = [SectionView(c, by_section.get(c.pk, [])) for c in children] or [SectionView(top, by_section.get(top.pk, []))]
        parts.append((top, views))
    targets = list(Target.objects.filter(plan=plan).select_related("task").order_by("order"))
    return PlanOverview(
        plan=plan, parts=parts, tasks=tasks,
        main_targets=[t for t in targets if t.category == Target.Category.MAIN],
        task_targets=[t for t in targets if t.category == Target.Category.TASK],
    )
