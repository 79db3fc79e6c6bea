"""Writes to accounts and roles. Every change goes through here so it is validated and audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.security_log import security_event_on_commit

from .duties import may_grant
from .models import RoleAssignment, User
from .roles import SEPARATED_DUTIES
from .signals import duty_changed


def _check_may_grant(actor: User | None, role: str) -> None:
    if not may_grant(actor, role):
        if role in SEPARATED_DUTIES:
            raise PermissionDenied(_("Only the security administrator grants or removes the duties of the system, "
                                     "security and audit administrators."))
        raise PermissionDenied(_("Only the city administrator grants or removes roles."))


def _holders(role: str) -> list[User]:
    return list(User.objects.filter(is_active=True, role_assignments__role=role).order_by("pk"))


def _duty_changed(*, user: User, role: str, change: str, actor: User | None, holders_before: list[User],
                  assignment_id: int) -> None:
    duty_changed.send(sender=RoleAssignment, user=user, role=role, change=change, actor=actor,
                      holders_before=holders_before, assignment_id=assignment_id)
    security_event_on_commit(f"duty_{change}", user=actor, subject=user.get_username(), role=role)


@transaction.atomic
def role_grant(*, user: User, role: str, granted_by: User | None) -> RoleAssignment:
    """Give ``user`` the ``role`` (idempotent: granting a held role changes nothing). Only the
    security administrator grants one of the three separated duties, only the city administrator
    any other role (accounts/duties.py; ``granted_by=None`` is the operator). Refuses a second of
    the three duties (三员分立, RoleAssignment.clean); the user's row is locked so two grants at once
    cannot both pass that check. A change to a duty is signalled (accounts.signals.duty_changed)."""
    _check_may_grant(granted_by, role)
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = RoleAssignment.objects.filter(user=user, role=role).first()
    if existing:
        return existing
    holders_before = _holders(role) if role in SEPARATED_DUTIES else []
    assignment = RoleAssignment(user=user, role=role, granted_by=granted_by)
    assignment.full_clean()
    assignment.save()
    user.refresh_roles()
    if role in SEPARATED_DUTIES:
        _duty_changed(user=user, role=role, change="granted", actor=granted_by, holders_before=holders_before,
                      assignment_id=assignment.pk)
    return assignment


@transaction.atomic
def role_revoke(*, user: User, role: str, revoked_by: User | None = None) -> bool:
    """Take ``role`` away from ``user``; returns whether they held it. The same rule as
    ``role_grant`` says who may."""
    _check_may_grant(revoked_by, role)
    assignment = RoleAssignment.objects.filter(user=user, role=role).first()
    if assignment is None:
        return False
    holders_before = _holders(role) if role in SEPARATED_DUTIES else []
    assignment_id = assignment.pk
    assignment.delete()  # the history row keeps who held it and since when
    user.refresh_roles()
    if role in SEPARATED_DUTIES:
        _duty_changed(user=user, role=role, change="revoked", actor=revoked_by, holders_before=holders_before,
                      assignment_id=assignment_id)
    return True
