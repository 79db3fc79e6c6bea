"""Scoping of users: who may see and edit which accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from .roles import Role

if TYPE_CHECKING:
    from .models import User


class UserQuerySet(models.QuerySet):
    def for_user(self, user: User) -> UserQuerySet:
        """Accounts ``user`` may see: everyone for the city administrator and leaders; the
        county's or department's colleagues for officers; otherwise only oneself."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser or user.has_role(Role.CITY_ADMIN, Role.LEADER):
            return self
        scope = Q(pk=user.pk)
        if user.has_role(Role.COUNTY_OFFICER) and user.region_id:
            scope |= Q(region_id=user.region_id)
        if user.has_role(Role.DEPT_OFFICER) and user.department_id:
            scope |= Q(department_id=user.department_id)
        return self.filter(scope)

    def editable_by(self, user: User) -> UserQuerySet:
        """Only the city administrator manages accounts and roles."""
        if user.is_authenticated and user.is_active and (user.is_superuser or user.has_role(Role.CITY_ADMIN)):
            return self
        return self.none()
