"""Reads of the plan that pages, the API and exports share."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kernel.quarters import Quarter, opening_quarter

from .models import Plan


def plan_current_for_user(user) -> Plan | None:
    """The current plan, the default everywhere: the one in force today, else the one that started
    last (tasks.querysets.PlanQuerySet.current — the one rule, the API's default too)."""
    return Plan.objects.for_user(user).current(timezone.localdate())


def plan_as_of(plan: Plan | None, today: datetime.date) -> Quarter:
    """The quarter every page opens on (kernel.quarters.opening_quarter): the latest quarter whose
    reporting is due, capped at the plan's last quarter once the plan has ended; a plan with nothing
    due yet opens on its first quarter (shown as not yet due). Pages take ``?period=``/``?quarter=``
    to show another."""
    if plan is None:
        return opening_quarter(today)
    return opening_quarter(today, plan_start=plan.period_start, plan_end=plan.period_end) or plan.first_quarter


def plan_chosen_for_user(user, code: str | None) -> Plan | None:
    """The plan a page shows: the one its ``?plan=<code>`` names (None when the user cannot read a
    plan of that code), else the current plan. Closed plans stay readable."""
    if code:
        return Plan.objects.for_user(user).filter(code=code).first()
    return plan_current_for_user(user)
