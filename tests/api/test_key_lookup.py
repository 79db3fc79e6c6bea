"""An API key's client is read in one written statement on PostgreSQL (api.services
._client_by_prefix): the same client, account, roles and counties as the ORM's select_related,
and the same refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from api.models import ApiClient
from api.services import api_client_create, api_client_for_key, api_client_revoke
from divisions.models import Region
from tasks.models import Department
from tests.targets_helpers import city, county

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _clients(personas) -> list[tuple[ApiClient, str]]:
    expires = timezone.now() + dt.timedelta(days=30)
    admin = personas["city_admin"]
    return [api_client_create(name="县系统", region=county("汉滨区"), access="read_write", expires_at=expires,
                              created_by=admin),
            api_client_create(name="市统计系统", region=city(), access="read", expires_at=expires, created_by=admin),
            api_client_create(name="部门系统", department=Department.objects.get(name="市工信局"), access="read_write",
                              expires_at=expires, created_by=admin)]


def test_the_client_its_account_roles_and_counties_are_those_the_orm_reads(personas):
    for made, key in _clients(personas):
        with CaptureQueriesContext(connection) as queries:
            client = api_client_for_key(key)
            user, user_region, client_region = client.user, client.user.region, client.region
            roles = user.role_codes
        expected = ApiClient.objects.select_related("user", "user__region", "region").get(pk=made.pk)
        assert _fields(client) == _fields(expected)
        assert _fields(user) == _fields(expected.user)
        assert (user_region and _fields(user_region)) == (expected.user.region and _fields(expected.user.region))
        assert (client_region and _fields(client_region)) == (expected.region and _fields(expected.region))
        assert roles == expected.user.role_codes
        assert roles == {Role.COUNTY_OFFICER if made.region and made.region.level == Region.Level.COUNTY
                         else Role.CITY_STATS_OFFICER if made.region else Role.DEPT_OFFICER}
        # one statement on PostgreSQL (the roles and the counties with the client); SQLite reads the roles on first use
        assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
        assert client.user.api_client is client  # the account's way back to its client, as select_related sets it


def test_unknown_wrong_revoked_and_expired_keys_are_refused(personas):
    (made, key), *_ = _clients(personas)
    assert api_client_for_key(key) is not None
    assert api_client_for_key("ffffffff." + key.split(".", 1)[1]) is None  # unknown prefix
    assert api_client_for_key(key[:-2] + ("aa" if not key.endswith("aa") else "bb")) is None  # wrong secret
    assert api_client_for_key("") is None and api_client_for_key(".") is None
    ApiClient.objects.filter(pk=made.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert api_client_for_key(key) is None
    ApiClient.objects.filter(pk=made.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert api_client_for_key(key) is not None
    api_client_revoke(client=made, revoked_by=personas["city_admin"])
    assert api_client_for_key(key) is None


def test_a_role_withdrawn_from_the_account_shows_on_the_next_request(personas):
    from accounts.models import RoleAssignment

    (made, key), *_ = _clients(personas)
    assert api_client_for_key(key).user.role_codes == {Role.COUNTY_OFFICER}
    RoleAssignment.objects.filter(user=made.user).delete()
    assert api_client_for_key(key).user.role_codes == set()
