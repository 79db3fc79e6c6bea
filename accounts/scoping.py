"""Role checks that several models' querysets share. Querysets call these; views call the
querysets, never these directly, so each model's scoping stays in its ``querysets.py``."""

from __future__ import annotations

from django.db import models

from .roles import AUDIT_READERS, PLAN_READERS, Role


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_read_plan(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_role(*PLAN_READERS))


def is_city_admin(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_role(Role.CITY_ADMIN))


def can_read_audit(user) -> bool:
    # Auditors only: a superuser is the system administrator's bootstrap account and does not read
    # the trail of its own actions (三员分立).
    return _active(user) and user.has_role(*AUDIT_READERS)


def is_security_admin(user) -> bool:
    return _active(user) and user.has_role(Role.SECURITY_ADMIN)


class PlanDataQuerySet(models.QuerySet):
    """Plan data (plans, sections, tasks, departments, targets): every role that works with the
    plan reads all of it; only the city administrator changes it."""

    def for_user(self, user):
        return self if can_read_plan(user) else self.none()

    def editable_by(self, user):
        return self if is_city_admin(user) else self.none()
