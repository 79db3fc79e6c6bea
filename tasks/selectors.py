"""Reads of the plan that pages, the API and exports share."""

from __future__ import annotations

from django.utils import timezone

from .models import Plan


def plan_current_for_user(user) -> Plan | None:
    """The current plan, the default everywhere: the one in force today, else the one that started
    last (tasks.querysets.PlanQuerySet.current — the one rule, the API's default too)."""
    return Plan.objects.for_user(user).current(timezone.localdate())


def plan_chosen_for_user(user, code: str | None) -> Plan | None:
    """The plan a page shows: the one its ``?plan=<code>`` names (None when the user cannot read a
    plan of that code), else the current plan. Closed plans stay readable."""
    if code:
        return Plan.objects.for_user(user).filter(code=code).first()
    return plan_current_for_user(user)
