"""Scoping of values and snapshots."""

from __future__ import annotations

from django.db import models

from accounts.scoping import EVERY_COUNTY, can_read_plan, is_city_admin, officer_county_id, unapproved_counties


class IndicatorValueQuerySet(models.QuerySet):
    def for_user(self, user):
        """Plan readers see the approved figures of every unit; unapproved ones (drafts,
        submitted, returned) only of the counties ``accounts.scoping.unapproved_counties`` names:
        every county for the office and the leaders, their own for a county officer, none for
        anyone else."""
        if not can_read_plan(user):
            return self.none()
        counties = unapproved_counties(user)
        if counties == EVERY_COUNTY:
            return self
        return self.filter(models.Q(status="approved") | models.Q(region__county_id__in=counties))

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
