"""Scoping of import batches."""

from __future__ import annotations

from django.db import models

from accounts.scoping import is_city_admin, officer_reporting_region_id


class ImportBatchQuerySet(models.QuerySet):
    def for_user(self, user) -> ImportBatchQuerySet:
        """The city administrator sees every batch; a county officer their county's; anyone else
        the batches they uploaded themselves."""
        if is_city_admin(user):
            return self
        if not (user is not None and user.is_authenticated and user.is_active):
            return self.none()
        if county_id := officer_reporting_region_id(user):
            return self.filter(models.Q(scope_region_id=county_id) | models.Q(created_by=user))
        return self.filter(created_by=user)

    def editable_by(self, user) -> ImportBatchQuerySet:
        """Only the person who uploaded a file confirms it: the preview was theirs."""
        if not (user is not None and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(created_by=user)
