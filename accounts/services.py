"""Writes to accounts and roles. Every change goes through here so it is validated and audited."""

from __future__ import annotations

from django.db import transaction

from .models import RoleAssignment, User


@transaction.atomic
def role_grant(*, user: User, role: str, granted_by: User | None) -> RoleAssignment:
    """Give ``user`` the ``role`` (idempotent: granting a held role changes nothing). Refuses a
    second of the three separated duties (三员分立, RoleAssignment.clean); the user's row is locked
    so two grants at once cannot both pass that check."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = RoleAssignment.objects.filter(user=user, role=role).first()
    if existing:
        return existing
    assignment = RoleAssignment(user=user, role=role, granted_by=granted_by)
    assignment.full_clean()
    assignment.save()
    user.refresh_roles()
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: str) -> bool:
    """Take ``role`` away from ``user``; returns whether they held it."""
    assignment = RoleAssignment.objects.filter(user=user, role=role).first()
    if assignment is None:
        return False
    assignment.delete()  # the history row keeps who held it and since when
    user.refresh_roles()
    return True
