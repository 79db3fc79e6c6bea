"""The session's user is read with their roles (accounts/backends.py): the same user and roles as
Django's own read, still fresh on every request, in one statement on PostgreSQL."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.backends import UserWithRolesBackend
from accounts.models import User
from accounts.roles import Role
from accounts.services import role_grant, role_revoke

FIELDS = [f.attname for f in User._meta.concrete_fields]


@pytest.mark.parametrize("name", ["leader", "county_a", "city_stats", "outsider", "security_admin"])
def test_the_same_user_and_roles_as_djangos_own_read(personas, name):
    user = personas[name]
    if name == "leader":
        role_grant(user=user, role=Role.AUDITOR, granted_by=None)  # two roles
    ours, djangos = UserWithRolesBackend().get_user(user.pk), ModelBackend().get_user(user.pk)
    assert [getattr(ours, f) for f in FIELDS] == [getattr(djangos, f) for f in FIELDS]
    expected = frozenset(user.role_assignments.values_list("role", flat=True))
    assert ours.role_codes == djangos.role_codes == expected
    assert len(expected) == {"leader": 2, "outsider": 0}.get(name, 1)


def test_one_statement_for_the_user_and_their_roles_on_postgresql(personas):
    with CaptureQueriesContext(connection) as read:
        user = UserWithRolesBackend().get_user(personas["county_a"].pk)
        assert user.role_codes == {Role.COUNTY_OFFICER} and user.has_role(Role.COUNTY_OFFICER)
    assert len(read) == (1 if connection.vendor == "postgresql" else 2)


def test_unknown_and_deactivated_accounts_are_nobody(personas):
    backend = UserWithRolesBackend()
    assert backend.get_user(10**9) is None
    leader = personas["leader"]
    User.objects.filter(pk=leader.pk).update(is_active=False)
    assert backend.get_user(leader.pk) is None


def test_a_withdrawn_or_granted_role_shows_on_the_next_read_and_refresh_reads_again(personas):
    backend = UserWithRolesBackend()
    officer = personas["county_a"]
    held = backend.get_user(officer.pk)
    assert held.role_codes == {Role.COUNTY_OFFICER}
    role_revoke(user=officer, role=Role.COUNTY_OFFICER)
    assert backend.get_user(officer.pk).role_codes == frozenset()
    role_grant(user=officer, role=Role.COUNTY_OFFICER, granted_by=None)
    fresh = backend.get_user(officer.pk)
    role_revoke(user=officer, role=Role.COUNTY_OFFICER)
    fresh.refresh_roles()  # the roles read with the user are dropped too, not served again
    assert fresh.role_codes == frozenset()


def test_a_signed_in_page_knows_the_readers_roles(client_for):
    response = client_for("leader").get("/dashboards/")
    assert response.status_code == 200
    assert response.wsgi_request.user.role_codes == {Role.LEADER}
