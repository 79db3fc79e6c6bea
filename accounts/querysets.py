"""Scoping of users: who may see and edit which accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from .scoping import is_city_admin, officer_county_id, officer_department_id, sees_whole_city

if TYPE_CHECKING:
    from .models import User


class UserQuerySet(models.QuerySet):
    def for_user(self, user: User) -> UserQuerySet:
        """Accounts ``user`` may see: everyone for the city administrator and leaders; the
        county's or department's colleagues for officers; otherwise only oneself."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if sees_whole_city(user):
            return self
        scope = Q(pk=user.pk)
        if county_id := officer_county_id(user):
            scope |= Q(region_id=county_id)
        if department_id := officer_department_id(user):
            scope |= Q(department_id=department_id)
        return self.filter(scope)

    def editable_by(self, user: User) -> UserQuerySet:
        """Only the city administrator manages accounts and roles."""
        return self if is_city_admin(user) else self.none()
