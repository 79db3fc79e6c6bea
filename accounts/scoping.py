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


def sees_whole_city(user) -> bool:
    """The office (the city administrator) and the leaders see every county's and every
    department's records; everyone else sees their own unit's."""
    return _active(user) and (user.is_superuser or user.has_role(Role.CITY_ADMIN, Role.LEADER))


def officer_county_id(user) -> int | None:
    """The county a county officer works for; None for anyone else (and for an officer whose
    account names no county)."""
    if _active(user) and user.has_role(Role.COUNTY_OFFICER) and user.region_id:
        return user.region_id
    return None


def officer_city_id(user) -> int | None:
    """The city Region a city statistics officer reports for (the city's own return); None for
    anyone else."""
    if _active(user) and user.has_role(Role.CITY_STATS_OFFICER) and user.region_id:
        return user.region_id
    return None


def officer_reporting_region_id(user) -> int | None:
    """The region whose quarterly return ``user`` fills in: a county officer's county or a city
    statistics officer's city; None for anyone else."""
    return officer_county_id(user) or officer_city_id(user)


EVERY_COUNTY = "every county"


def unapproved_counties(user):
    """The one rule for submitted-but-not-yet-approved figures (含未审核数据): whose may ``user``
    read? ``EVERY_COUNTY`` for the office (the city administrator) and the leaders, the officer's
    own county for a county officer (the city for the city's statistics officer), no county for anyone else (department and town officers, the
    auditor…): another unit's unapproved figures are not official and not theirs to see. Pages,
    exports and the API all read unapproved values through ``IndicatorValue.objects.for_user``,
    which asks this."""
    if sees_whole_city(user):
        return EVERY_COUNTY
    region_id = officer_reporting_region_id(user)  # a county officer's county, the statistics officer's city
    return frozenset({region_id}) if region_id else frozenset()


def officer_town_id(user) -> int | None:
    """The town (乡镇、街道) a town officer works for; None for anyone else."""
    if _active(user) and user.has_role(Role.TOWN_OFFICER) and user.region_id:
        return user.region_id
    return None


def officer_department_id(user) -> int | None:
    """The department a department officer works for; None for anyone else."""
    if _active(user) and user.has_role(Role.DEPT_OFFICER) and user.department_id:
        return user.department_id
    return None


class PlanDataQuerySet(models.QuerySet):
    """Plan data (plans, sections, tasks, departments, targets): every role that works with the
    plan reads all of it; only the city administrator changes it."""

    def for_user(self, user):
        return self if can_read_plan(user) else self.none()

    def editable_by(self, user):
        return self if is_city_admin(user) else self.none()
