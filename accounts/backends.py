"""The session's user, read with their roles in one statement."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db import connections

from .models import User
from .querysets import user_with_roles_sql


class UserWithRolesBackend(ModelBackend):
    """Django's ``ModelBackend`` (passwords, permissions, ``is_active``), except that the user a
    session names is read together with their role codes: every page asks the roles. Both are
    still read fresh on every request — a deactivated account or a withdrawn role takes effect on
    the next one.

    On PostgreSQL the read is one written statement (``user_with_roles_sql``) run through
    ``User.objects.raw``: the ORM would spend ~0.3 ms of CPU compiling the same SELECT, more than
    the database spends answering it, on every signed-in request. Elsewhere (the embedded SQLite)
    it is Django's own read, and ``User.role_codes`` reads the roles on first use.
    ``tests/accounts/test_backends.py`` holds the two to the same user and roles."""

    def get_user(self, user_id):
        if connections[User.objects.db].vendor == "postgresql":
            user = next(iter(User.objects.raw(user_with_roles_sql(), [user_id])), None)
        else:
            user = User._default_manager.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
