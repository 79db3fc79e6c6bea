"""Who may do what on the certification pages that no single record's queryset answers. Which
applications and certifications a user sees or changes is the querysets' (``for_user``,
``editable_by``); the pipeline checks again at each step."""

from __future__ import annotations

from accounts.roles import Role
from accounts.scoping import is_city_admin


def can_apply(user) -> bool:
    """Opening applications: the city administrator and the county officers (each for their own
    county's villages and communities)."""
    return is_city_admin(user) or bool(user.is_authenticated and user.has_role(Role.COUNTY_OFFICER))


def can_edit_criteria(user) -> bool:
    """The tiers' criteria are plan data: the city administrator edits them (in the admin site)."""
    return is_city_admin(user)
