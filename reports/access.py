"""Who may see and do what in quarterly reporting. Each rule is written once here; the querysets,
selectors, views, menus and the landing page ask these functions, never the roles directly.

The rules, in one sentence each: the city office and the leaders see every unit's reporting; a
county officer answers for their own county's return, the city's statistics officer for the city's; a department officer for the task reports
and parts of their own department; the city office reviews (returns, task reports, corrections,
extension requests); the leaders give instructions."""

from __future__ import annotations

from accounts.roles import Role
from accounts.scoping import can_read_plan, is_city_admin, officer_reporting_region_id
from tasks.models import Department


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_every_unit(user) -> bool:
    """The city office and the leaders (and the bootstrap superuser) see every county's return and
    every department's reports."""
    return can_read_plan(user) and (user.is_superuser or user.has_role(Role.CITY_ADMIN, Role.LEADER))


def own_county_id(user) -> int | None:
    """The county a county officer answers for (its return, its extension requests), or None."""
    if _signed_in(user) and user.has_role(Role.COUNTY_OFFICER) and user.region_id:
        return user.region_id
    return None


def own_department_id(user) -> int | None:
    """The department a department officer writes for (its task reports and parts), or None."""
    if _signed_in(user) and user.has_role(Role.DEPT_OFFICER) and user.department_id:
        return user.department_id
    return None


def acting_department_ids(user) -> set[int]:
    """The departments a department officer writes for: their own, and each group of units
    (市重点产业链牵头单位) their department is a member of — a member files the group's part."""
    department_id = own_department_id(user)
    if department_id is None:
        return set()
    groups = Department.objects.filter(kind=Department.Kind.GROUP, members=department_id).values_list("pk", flat=True)
    return {department_id, *groups}


def own_reporting_region_id(user) -> int | None:
    """The region whose quarterly return the user fills in: a county officer's county, or the city
    for the city's statistics officer (the city's own figures, e.g. the surveyed unemployment rate)."""
    return officer_reporting_region_id(user)


def fills_in_return(user, region) -> bool:
    """Only the county's own officer fills in, submits and corrects its return; the city's return,
    only the city's statistics officer."""
    return region is not None and own_reporting_region_id(user) == region.pk


def writes_for_department(user, department) -> bool:
    """Only the department's own officer writes its reports and parts (a group's, its members')."""
    return department is not None and department.pk in acting_department_ids(user)


def reviews_reporting(user) -> bool:
    """The city office reviews returns, task reports and corrections, and decides extensions."""
    return is_city_admin(user)


def reads_delivery_log(user) -> bool:
    """The city office reads the log of notifications sent by e-mail and SMS (what failed, why)."""
    return is_city_admin(user)


def gives_instructions(user) -> bool:
    """Leaders give instructions (领导批示) on tasks."""
    return _signed_in(user) and user.has_role(Role.LEADER)


def can_see_returns(user) -> bool:
    """The returns' pages: the city office, the leaders, the officers of a county and the city's
    statistics officers."""
    return sees_every_unit(user) or own_reporting_region_id(user) is not None


def can_see_task_reports(user) -> bool:
    """The departments' task reports: the city office, the leaders and the officers of a department."""
    return sees_every_unit(user) or own_department_id(user) is not None


def can_see_timeliness(user) -> bool:
    """Completeness and timeliness: whoever sees returns or task reports (each their own rows)."""
    return can_see_returns(user) or can_see_task_reports(user)


def can_ask_for_extension(user) -> bool:
    """An officer asks for more time for their own unit, a county or a department."""
    return own_county_id(user) is not None or own_department_id(user) is not None


def can_see_extensions(user) -> bool:
    """The extension requests' page: the office, which decides, and the officers who ask."""
    return reviews_reporting(user) or can_ask_for_extension(user)


def role_in_task(user, responsibilities) -> str:
    """"lead" or "co" when the user's department answers for the task whose ``responsibilities``
    are given, else ""."""
    duty = acting_duty(user, responsibilities)
    return duty.role if duty is not None else ""


def acting_duty(user, responsibilities):
    """The user's department's place in the task (its own first, else a group's it is a member of)."""
    department_id = own_department_id(user)
    if department_id is None:
        return None
    own = next((duty for duty in responsibilities if duty.department_id == department_id), None)
    if own is not None:
        return own
    acting = acting_department_ids(user)
    return next((duty for duty in responsibilities if duty.department_id in acting), None)


def can_open_task_report(user, role: str) -> bool:
    """A task's report page: whoever sees every unit, and the task's own departments (``role`` from
    role_in_task); another department's task is hidden like a missing one."""
    return sees_every_unit(user) or bool(role)
