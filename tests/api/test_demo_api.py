"""The demo's API clients and callback (seeding/demo/api.py): made through the api services, keys
that work, a callback for 汉滨区 at the local receiver, no delivery attempted by the seeding, and
the receiver example (examples/webhook_receiver.py) verifying a real approval's event."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.test import Client, TestCase

from api.models import ApiClient, Webhook, WebhookDelivery
from api.webhooks import DELIVER_JOB
from examples.webhook_receiver import server
from outbox.models import OutboxMessage
from reports.services import county_return_approve
from seeding.demo.api import DEMO_CALLBACK_URL, demo_api_seed
from tests.reports.test_county_returns import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_MODE = True
    settings.WEBHOOK_REQUIRE_HTTPS = False  # as on the embedded default (DEBUG on)


def seed(admin):
    with mock.patch("api.webhooks._post") as post, TestCase.captureOnCommitCallbacks(execute=True):
        result = demo_api_seed(admin=admin)
    assert not post.called  # the seeding posts nothing
    return result


def test_the_demo_issues_a_department_and_a_county_key_and_hanbins_callback(demo, personas):
    result = seed(personas["city_admin"])
    clients = ApiClient.objects.filter(revoked_at=None)
    assert {(c.name, c.access, c.department and c.department.name, c.region and c.region.name) for c in clients} == {
        ("【演示】市工信局业务系统", "read_write", "市工信局", None),
        ("【演示】汉滨区就业系统", "read_write", None, "汉滨区")}
    webhook = Webhook.objects.get()
    assert (webhook.client, webhook.url, webhook.secret) == (result.county_client, DEMO_CALLBACK_URL,
                                                           result.callback_secret)
    assert webhook.is_active
    # no event, no outbox job, no attempt: nothing was reviewed by the seeding
    assert not WebhookDelivery.objects.exists() and not OutboxMessage.objects.filter(job=DELIVER_JOB).exists()
    for key in (result.department_key, result.county_key):
        assert Client(HTTP_AUTHORIZATION=f"Api-Key {key}").get("/api/v1/plans/").status_code == 200
    printed = "\n".join(result.lines())
    assert result.department_key in printed and result.county_key in printed and result.callback_secret in printed
    assert printed.count("【演示】") == 3


def test_a_new_run_revokes_the_previous_demo_keys(demo, personas):
    first = seed(personas["city_admin"])
    second = seed(personas["city_admin"])
    assert Client(HTTP_AUTHORIZATION=f"Api-Key {first.county_key}").get("/api/v1/plans/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Api-Key {second.county_key}").get("/api/v1/plans/").status_code == 200
    assert ApiClient.objects.filter(revoked_at=None).count() == 2
    assert Webhook.objects.get(client__revoked_at=None).secret == second.callback_secret


def test_where_https_is_required_the_demo_registers_no_plain_http_callback(demo, settings, personas):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    result = seed(personas["city_admin"])
    assert not Webhook.objects.exists() and result.callback_secret == ""
    assert "HTTPS" in result.callback_refused and "not registered" in "\n".join(result.lines())
    assert ApiClient.objects.filter(revoked_at=None).count() == 2  # the keys are issued all the same


def test_the_demo_receiver_verifies_the_event_of_an_approval(demo, personas):
    result = seed(personas["city_admin"])
    events = []
    httpd = server(secret=result.callback_secret, port=0, handle=events.append)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        # the demo's receiver, on a free port instead of 8765
        Webhook.objects.filter(pk=result.county_client.webhook.pk).update(
            url=f"http://127.0.0.1:{httpd.server_port}/callback")
        with TestCase.captureOnCommitCallbacks(execute=True):
            r = submitted(personas)
            county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert [(e["event"], e["data"]["region"], e["data"]["state"]) for e in events] == [
        ("return.approved", result.county_client.region.code, "approved")]
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.DELIVERED


def test_the_demo_is_refused_without_demo_mode(settings, personas):
    settings.DEMO_MODE = False
    with pytest.raises(RuntimeError, match="DEMO_MODE"):
        demo_api_seed(admin=personas["city_admin"])
    assert not ApiClient.objects.exists()


def test_only_the_embedded_default_accepts_the_demos_plain_http_callback():
    from tests.platform.test_settings import GOOD_PRODUCTION, run

    probe = ("import django; django.setup(); from django.conf import settings as s; "
             "print(s.WEBHOOK_REQUIRE_HTTPS)")
    dev = run({"DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.dev"}, code=probe)
    assert dev.stdout.strip() == "False", dev.stderr
    production = run(GOOD_PRODUCTION, code=probe)
    assert production.stdout.strip() == "True", production.stderr
