"""Who may open which reporting pages. Each rule is written once here; views, menus and the
landing page ask these functions, never the roles directly."""

from __future__ import annotations

from accounts.roles import Role


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_see_returns(user) -> bool:
    """The county returns' pages: the city office, the leaders and the county officers."""
    return _signed_in(user) and (user.is_superuser or user.has_role(Role.CITY_ADMIN, Role.LEADER,
                                                                     Role.COUNTY_OFFICER))


def can_see_task_reports(user) -> bool:
    """The departments' task reports: the city office, the leaders and the department officers."""
    return _signed_in(user) and (user.is_superuser or user.has_role(Role.CITY_ADMIN, Role.LEADER, Role.DEPT_OFFICER))
