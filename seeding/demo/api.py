"""The demo's API clients and callback, made through the api app's services like the office would
in the admin: a read-write key for 市工信局's system (a department client: task reports and
parts), a read-write key for 汉滨区's system, and a callback for 汉滨区 pointing at the local
receiver ``examples/webhook_receiver.py`` (http://127.0.0.1:8765/callback).

A key and a signing secret are shown once and kept only hashed (the key) or unshown (the secret),
so every run of ``seed_demo`` revokes the previous demo clients and issues new ones, printed once
in its output. Registering the callback sends nothing: an event is only recorded when a return is
reviewed, and ``seed_demo`` registers it after all its other data (its returns are created in
bulk, without review events).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from api.models import ApiClient
from api.services import api_client_create, api_client_revoke
from api.webhooks import webhook_register
from divisions.models import Region
from tasks.models import Department

DEMO_CLIENT_PREFIX = "【演示】"
DEMO_CALLBACK_URL = "http://127.0.0.1:8765/callback"
DEMO_KEY_DAYS = 365


@dataclass(frozen=True)
class DemoApi:
    """What seed_demo prints once: the two keys, and the callback's URL and secret (or why none)."""

    department_client: ApiClient
    department_key: str
    county_client: ApiClient
    county_key: str
    callback_url: str
    callback_secret: str
    callback_refused: str = ""

    def lines(self) -> list[str]:
        out = [
            f"  {self.department_client.name} (read_write, 市工信局: task reports and parts): "
            f"{self.department_key}",
            f"  {self.county_client.name} (read_write, 汉滨区 {self.county_client.region.code}): "
            f"{self.county_key}",
        ]
        if self.callback_secret:
            out.append(f"  【演示】汉滨区 callback {self.callback_url}, signing secret: {self.callback_secret}")
            out.append(f"    start the receiver: python3 examples/webhook_receiver.py --secret "
                       f"'{self.callback_secret}'")
        else:
            out.append(f"  【演示】汉滨区 callback not registered: {self.callback_refused}")
        return out


@transaction.atomic
def demo_api_seed(*, admin) -> DemoApi:
    """Revoke the previous demo clients (their keys were shown once and are gone), then issue
    new ones and register 汉滨区's callback. Requires DEMO_MODE."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo API clients are only created with DEMO_MODE on (never in production)")
    for old in ApiClient.objects.filter(name__startswith=DEMO_CLIENT_PREFIX, revoked_at=None):
        api_client_revoke(client=old, revoked_by=admin)
    expires = timezone.now() + datetime.timedelta(days=DEMO_KEY_DAYS)
    department, department_key = api_client_create(
        name=f"{DEMO_CLIENT_PREFIX}市工信局业务系统", department=Department.objects.get(name="市工信局"),
        access=ApiClient.Access.READ_WRITE, expires_at=expires, created_by=admin)
    county, county_key = api_client_create(
        name=f"{DEMO_CLIENT_PREFIX}汉滨区就业系统", region=Region.objects.counties().get(name="汉滨区"),
        access=ApiClient.Access.READ_WRITE, expires_at=expires, created_by=admin)
    secret, refused = "", ""
    try:
        # http://127.0.0.1 passes only where WEBHOOK_REQUIRE_HTTPS is off (the embedded default);
        # with it on, the demo says why instead of weakening the rule
        _webhook, secret = webhook_register(client=county, url=DEMO_CALLBACK_URL, created_by=admin)
    except ValidationError as exc:
        refused = " ".join(exc.messages)
    return DemoApi(department_client=department, department_key=department_key, county_client=county,
                   county_key=county_key, callback_url=DEMO_CALLBACK_URL, callback_secret=secret,
                   callback_refused=refused)
