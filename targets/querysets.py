"""Scoping of values and snapshots."""

from __future__ import annotations

from django.db import models

from accounts.roles import Role
from accounts.scoping import can_read_plan, is_city_admin, officer_county_id, sees_whole_city


class IndicatorValueQuerySet(models.QuerySet):
    def for_user(self, user):
        """Plan readers see the city's figures; a county officer sees only their county's
        unapproved values (another county's drafts are not theirs to see); a town officer reads
        the official figures only."""
        if not can_read_plan(user):
            return self.none()
        if sees_whole_city(user):
            return self
        if user.has_role(Role.COUNTY_OFFICER):
            return self.filter(models.Q(status="approved") | models.Q(region__county_id=officer_county_id(user)))
        if user.has_role(Role.TOWN_OFFICER) and not user.has_role(Role.DEPT_OFFICER):
            return self.filter(status="approved")
        return self

    def editable_by(self, user):
        """The city administrator; a county officer for their own county's values."""
        if is_city_admin(user):
            return self
        if county_id := officer_county_id(user):
            return self.filter(region__county_id=county_id)
        return self.none()

    def official(self):
        return self.filter(status="approved")


class SnapshotQuerySet(models.QuerySet):
    def for_user(self, user):
        """Snapshots are computed from approved values only: every plan reader sees them."""
        return self if can_read_plan(user) else self.none()

    def editable_by(self, user):
        return self.none()  # only the roll-up writes snapshots
