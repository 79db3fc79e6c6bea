from django.db import models

from accounts.scoping import is_city_admin


class OutboxQuerySet(models.QuerySet):
    """Operators' view of the plumbing: the city administrator reads it; only the relay writes."""

    def for_user(self, user):
        return self if is_city_admin(user) else self.none()

    def editable_by(self, user):
        return self.none()
