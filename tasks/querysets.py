"""Scoping of plan data, and the reads that pages share."""

from __future__ import annotations

import datetime

from accounts.scoping import PlanDataQuerySet


class PlanQuerySet(PlanDataQuerySet):
    def current(self, today: datetime.date):
        """The plan in force on ``today``; else the one that started last before it."""
        in_force = self.filter(period_start__lte=today, period_end__gte=today).order_by("-period_start").first()
        return in_force or self.filter(period_start__lte=today).order_by("-period_start").first()


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
