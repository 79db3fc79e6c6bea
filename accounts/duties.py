"""三员分立 (separation of duties): who grants the three separated duties, and who manages the
accounts that hold them. One place for the rule; the services (``role_grant``, ``role_revoke``)
and the admin (the role inlines, the account form, the password reset) all ask here.

- The **security administrator** grants and removes the three duties (system administrator = city
  administrator, security administrator, audit administrator = auditor) and manages the accounts
  that hold one (their details, whether they are active, their password).
- The **city administrator** creates accounts, grants and removes every other role, and manages
  every other account. It cannot make anyone an auditor, nor reset an auditor's password.
- A superuser is the system administrator's bootstrap account: it counts as a duty holder (the
  city administrator cannot reset it) and, holding no security administrator role, grants no duty.
- ``granted_by=None`` is the operator on the server (``manage.py duty_grant``, seeding, tests):
  whoever runs commands there is outside the platform's separation of duties.
"""

from __future__ import annotations

from .roles import SEPARATED_DUTIES
from .scoping import is_city_admin, is_security_admin


def holds_duty(user) -> bool:
    """A superuser, or the holder of one of the three duties — active or not: a deactivated
    auditor's account is still the security administrator's to reactivate, not the city
    administrator's."""
    if user is None or user.pk is None:
        return False
    if user.is_superuser:
        return True
    from .models import RoleAssignment

    return RoleAssignment.objects.filter(user_id=user.pk, role__in=SEPARATED_DUTIES).exists()


def may_grant(actor, role: str) -> bool:
    """May ``actor`` grant or remove ``role``? ``actor`` None is the operator (see above)."""
    if actor is None:
        return True
    if role in SEPARATED_DUTIES:
        return is_security_admin(actor)
    return is_city_admin(actor)


def may_manage_account(actor, target) -> bool:
    """May ``actor`` change ``target``'s details, activity or password?"""
    if holds_duty(target):
        return is_security_admin(actor)
    return is_city_admin(actor)
