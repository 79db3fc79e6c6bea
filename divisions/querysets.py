"""Scoping of administrative units."""

from __future__ import annotations

from django.db import models

from accounts.scoping import can_read_plan, is_city_admin, officer_county_id


class RegionQuerySet(models.QuerySet):
    def for_user(self, user) -> RegionQuerySet:
        """The division tree is public statistical data: every plan reader sees all of it."""
        return self if can_read_plan(user) else self.none()

    def editable_by(self, user) -> RegionQuerySet:
        """The city administrator edits every unit; a county officer edits their own county's
        towns, villages and communities (not the county row, nor another county's)."""
        if is_city_admin(user):
            return self
        if county_id := officer_county_id(user):
            return self.filter(county_id=county_id).exclude(pk=county_id)
        return self.none()

    def counties(self) -> RegionQuerySet:
        return self.filter(level="county")
