"""Scoping of users: who may see and edit which accounts."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from .roles import SEPARATED_DUTIES, Role
from .scoping import officer_county_id, officer_department_id, sees_whole_city

if TYPE_CHECKING:
    from .models import User


ROLES_LOADED = "role_codes_loaded"  # a user's roles read with the user (below), which User.role_codes takes up


def roles_array_sql(user_alias: str) -> str:
    """PostgreSQL's ``ARRAY(SELECT …)`` of the role codes of the user row ``user_alias`` names: a
    column of a written statement that reads a user (below; an API key's account:
    api/services.py), so that the user and their roles are one statement instead of two."""
    from .models import RoleAssignment, User

    roles = RoleAssignment._meta
    return (f'ARRAY(SELECT r."{roles.get_field("role").column}" FROM "{roles.db_table}" r '
            f'WHERE r."{roles.get_field("user").column}" = {user_alias}."{User._meta.pk.column}")')


@functools.cache
def user_with_roles_sql() -> str:
    """Every column of one user (by id) and, as ``role_codes_loaded``, the array of their roles'
    codes (accounts/backends.py runs it through ``User.objects.raw`` on every signed-in request,
    where the ORM's compiling would cost more than the database's answer)."""
    from .models import User

    user = User._meta
    return (f'SELECT u.*, {roles_array_sql("u")} AS "{ROLES_LOADED}" '
            f'FROM "{user.db_table}" u WHERE u."{user.pk.column}" = %s')


class UserQuerySet(models.QuerySet):
    def for_user(self, user: User) -> UserQuerySet:
        """Accounts ``user`` may see: everyone for the city administrator, the security
        administrator (who grants the three duties to accounts the city administrator made) and
        leaders; the county's or department's colleagues for officers; otherwise only oneself."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if sees_whole_city(user) or user.has_role(Role.SECURITY_ADMIN):
            return self
        scope = Q(pk=user.pk)
        if county_id := officer_county_id(user):
            scope |= Q(region_id=county_id)
        if department_id := officer_department_id(user):
            scope |= Q(department_id=department_id)
        return self.filter(scope)

    def editable_by(self, user: User) -> UserQuerySet:
        """Accounts whose details, activity and password ``user`` may change (accounts/duties.py):
        the accounts holding one of the three duties, and superusers, for the security
        administrator; every other account for the city administrator."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        from .models import RoleAssignment

        duty = Q(is_superuser=True) | Q(pk__in=RoleAssignment.objects.filter(role__in=SEPARATED_DUTIES)
                                          .values("user_id"))
        if user.has_role(Role.SECURITY_ADMIN):
            return self.filter(duty)
        if user.is_superuser or user.has_role(Role.CITY_ADMIN):
            return self.exclude(duty)
        return self.none()
