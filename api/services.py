"""API clients: create (the key is returned once), revoke, and check a presented key."""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.querysets import ROLES_LOADED, roles_array_sql
from accounts.roles import Role
from accounts.scoping import is_city_admin
from accounts.services import role_grant
from divisions.models import Region
from kernel.security_log import security_event_on_commit
from reports.services import county_return_preview, not_in_return_message, return_catalogue

from .models import ApiClient


def _hash(key: str) -> str:
    """A keyed hash (HMAC-SHA-256 with the server's secret): the key has 256 bits of randomness,
    so a slow password hash would add nothing but latency to every request."""
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def api_client_create(*, name: str, region: Region | None = None, access: str, expires_at: datetime.datetime,
                      created_by, department=None) -> tuple[ApiClient, str]:
    """Create a county system's client (``region`` a county), the city statistics system's
    (``region`` the city: it pushes the city's own figures) or a department system's
    (``department``). Returns the key in clear text: show it once, it is not kept."""
    if not is_city_admin(created_by):
        raise PermissionDenied
    if (region is None) == (department is None):
        raise ValidationError(_("An API client belongs to one county, to the city or to one department."))
    if region is not None and region.level not in (Region.Level.COUNTY, Region.Level.CITY):
        raise ValidationError(_("An API client belongs to one county or to the city."))
    if expires_at <= timezone.now():
        raise ValidationError(_("The expiry must be in the future."))
    prefix = secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    user = User.objects.create_user(username=f"api-{prefix}", full_name=f"接口：{name}", region=region,
                                    department=department)
    user.set_unusable_password()
    user.save()
    if region is None:
        role = Role.DEPT_OFFICER
    else:
        role = Role.CITY_STATS_OFFICER if region.level == Region.Level.CITY else Role.COUNTY_OFFICER
    role_grant(user=user, role=role, granted_by=created_by)
    client = ApiClient.objects.create(name=name, region=region, department=department, access=access,
                                      key_prefix=prefix, key_hash=_hash(key), user=user, created_by=created_by,
                                      expires_at=expires_at)
    security_event_on_commit("api_client_created", user=created_by, client=name, client_id=client.pk,
                             access=access, county=region.name if region else "",
                             department=department.name if department else "")
    return client, key


@transaction.atomic
def api_client_revoke(*, client: ApiClient, revoked_by) -> ApiClient:
    if not is_city_admin(revoked_by):
        raise PermissionDenied
    client.revoked_at = client.revoked_at or timezone.now()
    client.save()
    client.user.is_active = False
    client.user.save()
    security_event_on_commit("api_client_revoked", user=revoked_by, client=client.name, client_id=client.pk)
    return client


def api_client_for_key(key: str) -> ApiClient | None:
    """The usable client holding ``key``, or None (unknown, wrong, revoked or expired alike), with
    its account, the account's roles and county, and its own county, read in one statement."""
    prefix = key.split(".", 1)[0]
    if connections[ApiClient.objects.db].vendor == "postgresql":
        client = _client_by_prefix(prefix)
    else:  # the embedded SQLite: the ORM's read; User.role_codes reads the roles on first use
        client = ApiClient.objects.select_related("user", "user__region", "region").filter(key_prefix=prefix).first()
    if client is None or not hmac.compare_digest(client.key_hash, _hash(key)) or not client.is_usable:
        return None
    return client


# The written read of a key's client (PostgreSQL): every column of the client, of its account (with
# the account's roles) and of the two counties, the related rows' columns named "<alias>__<attname>".
_RELATED = (("u", User), ("ur", Region), ("cr", Region))


@functools.cache
def _client_by_prefix_sql() -> str:
    """``ApiClient.objects.select_related("user", "user__region", "region")`` of one key prefix with
    the account's roles (``roles_array_sql``), written out: on every API request the ORM spent more
    CPU compiling that join than PostgreSQL spends answering it."""
    client, user, region = ApiClient._meta, User._meta, Region._meta

    def columns(alias: str, meta) -> str:
        return ", ".join(f'{alias}."{f.column}" AS "{alias}__{f.attname}"' for f in meta.concrete_fields)

    fk = {name: client.get_field(name).column for name in ("user", "region")}
    return (f'SELECT c.*, {columns("u", user)}, {roles_array_sql("u")} AS "u__{ROLES_LOADED}", '
            f'{columns("ur", region)}, {columns("cr", region)} '
            f'FROM "{client.db_table}" c INNER JOIN "{user.db_table}" u ON u."{user.pk.column}" = c."{fk["user"]}" '
            f'LEFT JOIN "{region.db_table}" ur ON ur."{region.pk.column}" = u."{user.get_field("region").column}" '
            f'LEFT JOIN "{region.db_table}" cr ON cr."{region.pk.column}" = c."{fk["region"]}" '
            f'WHERE c."{client.get_field("key_prefix").column}" = %s')


def _client_by_prefix(prefix: str) -> ApiClient | None:
    """The client of ``prefix`` with its account, roles and counties attached as the ORM's
    ``select_related`` attaches them (``tests/api/test_key_lookup.py`` holds the two equal)."""
    client = next(iter(ApiClient.objects.raw(_client_by_prefix_sql(), [prefix])), None)
    if client is None:
        return None
    related = {}
    for alias, model in _RELATED:
        names = [f.attname for f in model._meta.concrete_fields]
        values = [client.__dict__.pop(f"{alias}__{name}") for name in names]
        related[alias] = None if values[0] is None else model.from_db(client._state.db, names, values)
    user = related["u"]
    setattr(user, ROLES_LOADED, client.__dict__.pop(f"u__{ROLES_LOADED}"))  # what User.role_codes takes up
    user.region = related["ur"]
    client.user, client.region = user, related["cr"]
    return client


def return_values_check(*, values: list[dict], county: Region, period, existing):
    """The bulk push's check (and its whole ``dry_run``): per value, created, updated, unchanged
    or rejected with the reason; and the figures to save, each indicator complete. The values'
    county, codes and repeats are checked here; the figures themselves by the reporting layer's
    one preview of a return's save (reports.services.county_return_preview), as an import's
    preview checks them. ``existing``: the county's return for the period, or None."""

    catalogue = return_catalogue(county)
    indicators, components = catalogue.indicators, catalogue.components
    results, groups, seen = [], {}, set()
    for index, v in enumerate(values):
        result = {"index": index, "indicator": v["indicator"], "component": v["component"]}
        indicator = indicators.get(v["indicator"])
        reason = None
        if v["region"] != county.code:
            reason = _("%(code)s is not your county (%(county)s %(own)s): nothing is written.") % {
                "code": v["region"], "county": county.name, "own": county.code}
        elif indicator is None:
            reason = (not_in_return_message(v["indicator"], county) if county.level == Region.Level.CITY
                      else _("%(code)s is not an indicator counties report.") % {"code": v["indicator"]})
        elif v["component"] not in components[indicator.code]:
            reason = _("%(indicator)s has no component %(component)s.") % {"indicator": indicator.code,
                                                                           "component": v["component"]}
        elif (v["indicator"], v["component"]) in seen:
            reason = _("The same figure twice in one request.")
        seen.add((v["indicator"], v["component"]))
        if reason:
            results.append({**result, "outcome": "rejected", "reason": reason})
        else:
            results.append(result)
            groups.setdefault(v["indicator"], {})[v["component"]] = (index, v["value"])
    preview = county_return_preview(region=county, period=period, county_return=existing, catalogue=catalogue,
                                    figures={code: {c: value for c, (_i, value) in posted.items()}
                                             for code, posted in groups.items()})
    for code, posted in groups.items():
        for c, (index, _value) in posted.items():
            if code in preview.refused:
                results[index].update(outcome="rejected", reason=" ".join(preview.refused[code]))
            else:
                results[index]["outcome"] = preview.outcomes[code][c]
    return results, preview.figures(), catalogue
