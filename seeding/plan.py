"""Loading a plan with everything that hangs on it, across the apps that own each part: the
document and its tasks (tasks), its targets (targets), the government units that report, the
certification tiers (communities) and the reporting periods (reports)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from communities.services import tiers_ensure
from kernel.loading import LoadSummary
from reports.services import periods_generate
from targets.services import plan_targets_clone, plan_targets_load
from tasks.models import Plan
from tasks.services import (
    PLAN_2022_FILE,
    government_units_ensure,
    plan_data_read,
    plan_document_load,
    task_measures_load,
)
from tasks.services import plan_clone as plan_tasks_clone


@transaction.atomic
def plan_load(*, path: Path = PLAN_2022_FILE) -> tuple[Plan, LoadSummary]:
    """Load a plan and its targets from its data file. Idempotent: a second load writes nothing."""
    data = plan_data_read(path)
    summary = LoadSummary()
    reason = f"plan_load {path.name}"
    plan, tasks = plan_document_load(data=data, summary=summary, reason=reason)
    plan_targets_load(plan=plan, targets=data["targets"], tasks=tasks, summary=summary, reason=reason)
    if path == PLAN_2022_FILE:  # its task measures (任务指标), curated beside it
        task_measures_load(plan=plan, summary=summary, reason=reason)
    return plan, summary


@transaction.atomic
def plan_clone(*, source: Plan, **fields) -> Plan:
    """Start a successor plan from ``source``: its sections, tasks, department lists and targets."""
    plan, tasks = plan_tasks_clone(source=source, **fields)
    plan_targets_clone(source=source, plan=plan, tasks=tasks)
    return plan


def plan_periods_ensure(plan: Plan, *, today: datetime.date | None = None) -> LoadSummary:
    """Reporting periods for the plan's quarters and on to the end of next year (after a plan ends,
    its final account and the next plan's first returns still need periods)."""
    today = today or timezone.localdate()
    return periods_generate(start=plan.period_start, end=max(plan.period_end, datetime.date(today.year + 1, 12, 31)))


@transaction.atomic
def plan_reference_load(*, path: Path = PLAN_2022_FILE) -> tuple[Plan, LoadSummary, list[str], bool]:
    """What ``load_plan`` does: the plan and its targets, the government units, the certification
    tiers and the reporting periods. Returns the plan, the plan's
    own summary, the report lines and whether the government units changed."""
    plan, summary = plan_load(path=path)
    gov = government_units_ensure()
    tiers_ensure(gov)
    periods = plan_periods_ensure(plan)
    return plan, summary, summary.lines() + gov.lines() + periods.lines(), gov.changed
