"""Reads of the plan that pages, the API and exports share."""

from __future__ import annotations

from django.utils import timezone

from .models import Plan


def plan_current_for_user(user) -> Plan | None:
    return Plan.objects.for_user(user).current(timezone.localdate())
