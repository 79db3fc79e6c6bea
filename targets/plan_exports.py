"""Exports of the plan page: the plan's tasks with their lead and
co-responsible units, and its targets — the responsibility list staff pass around in Excel."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kernel.exports import Table
from tasks.models import Responsibility


def tasks_table(overview) -> Table:
    table = Table("tasks", _("Tasks and responsible units"), [
        _("No."), _("Section"), _("Task"), _("Lead unit"), _("Co-responsible units"), _("Clause")])
    section_of = {t.pk: sv.section for _top, views in overview.parts for sv in views for t in sv.tasks}
    for task in overview.tasks:
        responsibilities = list(task.responsibilities.all())
        lead = next((r.department.name for r in responsibilities if r.role == Responsibility.Role.LEAD), "")
        co = "、".join(r.department.name for r in responsibilities if r.role != Responsibility.Role.LEAD)
        section = section_of.get(task.pk)
        table.rows.append([task.number, f"{section.ordinal}{section.title}" if section else "", task.title, lead, co,
                           task.clause])
    return table


def targets_table(overview) -> Table:
    table = Table("targets", _("Targets"), [_("Code"), _("Target name"), _("Category"), _("Target"), _("Unit"),
                                            _("Task"), _("Clause")])
    for t in overview.main_targets + overview.task_targets:
        table.rows.append([t.code, t.name, t.get_category_display(), t.value, t.unit,
                           t.task.number if t.task_id else "", t.clause])
    return table
