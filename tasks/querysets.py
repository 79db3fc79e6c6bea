"""Scoping of plan data, and the reads that pages share."""

from __future__ import annotations

import datetime

from accounts.scoping import PlanDataQuerySet


def current_among(plans, today: datetime.date):
    """The current plan among ``plans``: the one in force on ``today`` (the latest started if several
    are); else the one that started last before it; a plan not yet begun never is. The one rule,
    for a queryset (``PlanQuerySet.current``) or plans already read (the plan switcher)."""
    started = [p for p in plans if p.period_start <= today]
    in_force = [p for p in started if p.period_end >= today]
    return max(in_force or started, key=lambda p: p.period_start, default=None)


class PlanQuerySet(PlanDataQuerySet):
    def current(self, today: datetime.date):
        """The plan in force on ``today``; else the one that started last before it (``current_among``)."""
        return current_among(self.filter(period_start__lte=today).order_by("-period_start"), today)


class DepartmentQuerySet(PlanDataQuerySet):
    pass


class TaskQuerySet(PlanDataQuerySet):
    def with_departments(self) -> TaskQuerySet:
        """Tasks with their responsibilities and departments loaded in two queries."""
        from django.db.models import Prefetch

        from .models import Responsibility

        return self.select_related("section").prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("department").order_by("order"))
        )
