"""Callbacks: signed events to a receiver started in the test, retries with backoff, disabling
after repeated failures (the office told), period events, and the URL rules."""

from __future__ import annotations

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from api.models import Webhook, WebhookDelivery
from api.webhooks import event_emit, period_events_emit, webhook_deliveries_retry, webhook_register, webhook_url_check
from examples.webhook_verify import Rejected, verify
from reports.models import Notification
from reports.services import county_return_approve, county_return_send_back
from tests.reports.test_county_returns import submitted

pytestmark = pytest.mark.django_db


class Receiver:
    """A county's receiver in a thread: checks each callback with the example's ``verify``;
    ``fail`` makes it answer 500, ``slow`` answer after the platform's timeout."""

    def __init__(self):
        self.events, self.rejected, self.seen = [], [], set()
        self.fail = self.slow = False
        self.secret, self.hits = "", 0
        box = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                box.hits += 1
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if box.slow:
                    time.sleep(1.0)
                status = 500 if box.fail or box.slow else 204
                if status == 204:
                    try:
                        box.events.append(verify(secret=box.secret, body=body, seen=box.seen,
                                                 timestamp=self.headers.get("X-Ankang-Timestamp"),
                                                 signature=self.headers.get("X-Ankang-Signature")))
                    except Rejected as exc:
                        box.rejected.append(str(exc))
                        status = 400
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def hook(settings, api_client, personas):
    settings.WEBHOOK_REQUIRE_HTTPS = False
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    settings.WEBHOOK_DISABLE_AFTER = 4
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    box = Receiver()
    webhook, box.secret = webhook_register(client=api_client.record, url=box.url, created_by=personas["city_admin"])
    box.webhook = webhook
    yield box
    box.server.shutdown()
    box.server.server_close()


def approve(personas, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = submitted(personas, **kwargs)
        return county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])


def test_an_approval_posts_a_signed_event_the_example_verifies(hook, personas):
    r = approve(personas)
    assert [e["event"] for e in hook.events] == ["return.approved"] and not hook.rejected
    event = hook.events[0]
    assert event["data"] == {"period": "2024Q3", "region": "610902000000", "state": "approved",
                             "version": r.version}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 204)
    assert str(delivery.event_id) == event["id"]
    # another county's approval is not this client's business
    approve(personas, region="石泉县")
    assert len(hook.events) == 1


def test_sending_back_is_an_event_with_the_comment(hook, personas):
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = submitted(personas)
        county_return_send_back(county_return=r, version=r.version, reviewer=personas["city_admin"],
                                comment="失业率分母有误")
    assert [(e["event"], e["data"]["comment"]) for e in hook.events] == [("return.returned", "失业率分母有误")]


def test_a_rolled_back_change_sends_nothing(hook, personas):
    from django.db import transaction

    with pytest.raises(RuntimeError), TestCase.captureOnCommitCallbacks(execute=True):
        with transaction.atomic():
            r = submitted(personas)
            county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
            raise RuntimeError
    assert hook.hits == 0 and not WebhookDelivery.objects.exists()


def test_the_signature_is_refused_when_anything_differs():
    import hashlib
    import hmac

    body, ts = b'{"id":"1","event":"x"}', str(int(time.time()))
    good = "v1=" + hmac.new(b"s3cret", f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    assert verify(secret="s3cret", body=body, timestamp=ts, signature=good)["event"] == "x"
    for kwargs in [dict(secret="other"), dict(body=body + b" "), dict(timestamp=str(int(ts) + 1)),
                   dict(now=int(ts) + 301)]:
        with pytest.raises(Rejected):
            verify(**{"secret": "s3cret", "body": body, "timestamp": ts, "signature": good, **kwargs})
    seen: set[str] = set()
    verify(secret="s3cret", body=body, timestamp=ts, signature=good, seen=seen)
    with pytest.raises(Rejected, match="already"):  # a replay within the five minutes
        verify(secret="s3cret", body=body, timestamp=ts, signature=good, seen=seen)


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(hook, personas):
    hook.fail = True
    approve(personas)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("pending", 1, 500)
    first_wait = delivery.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=50) < first_wait <= dt.timedelta(seconds=60)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert webhook_deliveries_retry() == 0  # not due yet
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert webhook_deliveries_retry(now=timezone.now() + dt.timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at - timezone.now() > dt.timedelta(seconds=100)  # doubled
    hook.fail = False
    with TestCase.captureOnCommitCallbacks(execute=True):
        webhook_deliveries_retry(now=timezone.now() + dt.timedelta(minutes=5))
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("delivered", 3)
    assert [e["event"] for e in hook.events] == ["return.approved"]
    assert Webhook.objects.get().consecutive_failures == 0


def test_a_receiver_that_times_out_fails_the_attempt_without_blocking_long(hook, personas):
    hook.slow = True
    started = time.monotonic()
    approve(personas)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and "timed out" in delivery.last_error.lower()
    assert time.monotonic() - started < 30


def test_repeated_failures_disable_the_callback_and_tell_the_office(hook, personas):
    hook.fail = True
    approve(personas)
    later = timezone.now()
    for _ in range(5):
        later += dt.timedelta(hours=7)
        with TestCase.captureOnCommitCallbacks(execute=True):
            webhook_deliveries_retry(now=later)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("failed", 3)  # WEBHOOK_MAX_ATTEMPTS
    with TestCase.captureOnCommitCallbacks(execute=True):  # a fourth failure in a row: another event
        event_emit(event="period.closing", key="period.closing:test", data={})
    webhook = Webhook.objects.get()
    assert webhook.disabled_at is not None and webhook.consecutive_failures == 4
    assert Notification.objects.filter(recipient=personas["city_admin"], kind="security",
                                       title__contains="汉滨区就业系统").exists()
    hits = hook.hits
    with TestCase.captureOnCommitCallbacks(execute=True):  # nothing more is sent to a disabled callback
        event_emit(event="period.closing", key="period.closing:again", data={})
        webhook_deliveries_retry(now=later + dt.timedelta(days=1))
    assert hook.hits == hits


def test_period_events_go_once_to_every_active_callback(hook):
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert period_events_emit(today=dt.date(2024, 10, 1)) == 1  # 2024Q3 ended yesterday
        assert period_events_emit(today=dt.date(2024, 10, 1)) == 0  # once
        assert period_events_emit(today=dt.date(2024, 10, 17)) == 1  # entry closes on the 20th
    assert [(e["event"], e["data"]["period"]) for e in hook.events] == [("period.opened", "2024Q3"),
                                                                       ("period.closing", "2024Q3")]


@pytest.mark.parametrize("url, https, allowed", [
    ("http://county.example/hook", True, False),  # HTTPS in production
    ("https://county.example/hook", True, True),
    ("https://jobs.ankang.example/hook", True, False),  # the platform's own host name
    ("https://localhost/hook", True, False),
    ("https://127.0.0.1:9000/hook", True, False),
    ("https://10.0.0.8/hook", True, False),  # its private network
    ("ftp://county.example/hook", False, False),
    ("http://127.0.0.1:8000/api/v1/", False, False),  # SITE_URL itself, even in development
    ("http://127.0.0.1:8765/hook", False, True),
])
def test_callback_urls(settings, url, https, allowed):
    settings.WEBHOOK_REQUIRE_HTTPS = https
    settings.ALLOWED_HOSTS = ["jobs.ankang.example", "localhost"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    if allowed:
        assert webhook_url_check(url) == url
    else:
        with pytest.raises(ValidationError):
            webhook_url_check(url)


def test_the_office_registers_a_callback_in_the_admin_and_sees_the_secret_once(client_for, api_client, settings):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    office = client_for("city_admin")
    refused = office.post("/admin/api/webhook/add/", {"client": api_client.record.pk,
                                                      "url": "http://county.example/hook"})
    assert refused.status_code == 200 and not Webhook.objects.exists()
    response = office.post("/admin/api/webhook/add/", {"client": api_client.record.pk,
                                                       "url": "https://county.example/hook"}, follow=True)
    assert response.status_code == 200
    webhook = Webhook.objects.get()
    assert webhook.secret in response.content.decode()
    assert office.get(f"/admin/api/webhook/{webhook.pk}/change/").content.decode().count(webhook.secret) == 0
    assert office.get("/admin/api/webhookdelivery/").status_code == 200


@pytest.mark.parametrize("persona", ["county_a", "lead_officer", "leader", "security_admin", "auditor"])
def test_only_the_office_manages_callbacks(client_for, persona):
    for path in ["/admin/api/webhook/", "/admin/api/webhook/add/", "/admin/api/webhookdelivery/"]:
        assert client_for(persona).get(path).status_code in (302, 403), (persona, path)
