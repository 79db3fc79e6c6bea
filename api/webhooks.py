"""Callbacks (webhooks): signed events posted to a client's URL, through the outbox.

An event is written as a delivery row, with its outbox job, in the transaction of the change it
reports (a rolled-back approval sends nothing). The job posts the body with three headers:

    X-Ankang-Event: return.approved
    X-Ankang-Delivery: <event id, a UUID: the same on every retry of the event>
    X-Ankang-Timestamp: <Unix seconds when this attempt was sent>
    X-Ankang-Signature: v1=<hex HMAC-SHA-256, keyed with the client's secret, of "<timestamp>." + body>

The receiver recomputes the signature over the raw body, refuses a timestamp more than five
minutes from its clock (a replayed request) and an event id it has seen (a retried one).
examples/webhook_verify.py does all three. A failed attempt (no answer within the timeout, or
not 2xx) is retried with exponential backoff by a beat job; after WEBHOOK_DISABLE_AFTER failures
in a row the callback is disabled and the city office told. Nothing here runs in a request.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http.request import validate_host
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import is_city_admin
from kernel.security_log import security_event_on_commit
from outbox.services import job_enqueue
from reports.models import Notification, ReportingPeriod
from reports.notifications import city_admins, notify

from .models import ApiClient, Webhook, WebhookDelivery

SIGNATURE_VERSION = "v1"
DELIVER_JOB = "api.webhook_deliver"


# ---------------------------------------------------------------- registering


def webhook_url_check(url: str) -> str:
    """A callback URL the platform will post to: HTTPS (WEBHOOK_REQUIRE_HTTPS, on in production),
    and never the platform itself (its own address, its host names, a loopback or private address
    in production), so a callback cannot be turned against the platform or its network."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(_("The callback URL must be a full http(s) address."), code="invalid")
    if settings.WEBHOOK_REQUIRE_HTTPS and parts.scheme != "https":
        raise ValidationError(_("The callback URL must use HTTPS."), code="https")
    host = parts.hostname.lower()
    site = urlsplit(settings.SITE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site_port = site.port or (443 if site.scheme == "https" else 80)
    itself = (host, port) == ((site.hostname or "").lower(), site_port)
    if settings.WEBHOOK_REQUIRE_HTTPS:
        hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*", "localhost", "127.0.0.1", "[::1]", "testserver")]
        itself = itself or host == (site.hostname or "").lower() or validate_host(host, hosts) or host == "localhost"
        try:
            address = ipaddress.ip_address(host.strip("[]"))
            itself = itself or address.is_loopback or address.is_private or address.is_link_local
        except ValueError:
            pass
    if itself:
        raise ValidationError(_("The callback URL points at the platform itself."), code="itself")
    return url


@transaction.atomic
def webhook_register(*, client: ApiClient, url: str, created_by) -> tuple[Webhook, str]:
    """Register (or replace) a client's callback; returns the signing secret, to show once."""
    if not is_city_admin(created_by):
        raise PermissionDenied
    url = webhook_url_check(url)
    secret = secrets.token_urlsafe(32)
    webhook, _created = Webhook.objects.update_or_create(
        client=client, defaults={"url": url, "secret": secret, "created_by": created_by, "disabled_at": None,
                                 "consecutive_failures": 0})
    security_event_on_commit("webhook_registered", user=created_by, client=client.name, client_id=client.pk, url=url)
    return webhook, secret


@transaction.atomic
def webhook_enable(*, webhook: Webhook, user) -> Webhook:
    """Re-enable a disabled callback (after the county fixed its receiver)."""
    if not is_city_admin(user):
        raise PermissionDenied
    webhook.disabled_at, webhook.consecutive_failures = None, 0
    webhook.save()
    security_event_on_commit("webhook_enabled", user=user, client_id=webhook.client_id)
    return webhook


# ---------------------------------------------------------------- events


def event_emit(*, event: str, key: str, data: dict, region=None) -> list[WebhookDelivery]:
    """Record ``event`` for the active callbacks of ``region``'s clients (every client's if None),
    each once per ``key``, and their outbox jobs, in the current transaction."""
    webhooks = Webhook.objects.filter(disabled_at=None, client__revoked_at=None,
                                      client__expires_at__gt=timezone.now()).select_related("client")
    if region is not None:
        webhooks = webhooks.filter(client__region=region)
    deliveries = []
    for webhook in webhooks:
        event_id = uuid.uuid4()
        payload = {"id": str(event_id), "event": event, "occurred_at": timezone.now().isoformat(), "data": data}
        delivery, created = WebhookDelivery.objects.get_or_create(
            webhook=webhook, key=key, defaults={"event_id": event_id, "event": event, "payload": payload})
        if created:
            job_enqueue(job=DELIVER_JOB, kwargs={"delivery_id": delivery.pk})
            deliveries.append(delivery)
    return deliveries


def return_event_emit(*, county_return, event: str, detail: dict) -> None:
    """reports.signals.return_reviewed → return.returned / return.approved / return.corrected."""
    data = {"period": county_return.period.label, "region": county_return.region.code,
            "state": county_return.state, "version": county_return.version, **detail}
    suffix = f":{detail['correction']}" if "correction" in detail else f":v{county_return.version}"
    event_emit(event=f"return.{event}", key=f"return.{event}:{county_return.pk}{suffix}", data=data,
               region=county_return.region)


def period_events_emit(*, today: datetime.date | None = None) -> int:
    """Daily: ``period.opened`` the day after a quarter ends (its figures may be reported),
    ``period.closing`` WEBHOOK_CLOSING_DAYS before entry closes. Once per period and callback."""
    today = today or timezone.localdate()
    count = 0
    for period in ReportingPeriod.objects.all():
        data = {"period": period.label, "due_on": period.due_on.isoformat(),
                "locks_after": period.locks_after.isoformat()}
        if period.as_quarter.end + datetime.timedelta(days=1) == today:
            count += len(event_emit(event="period.opened", key=f"period.opened:{period.label}", data=data))
        if period.locks_after - datetime.timedelta(days=settings.WEBHOOK_CLOSING_DAYS) == today:
            count += len(event_emit(event="period.closing", key=f"period.closing:{period.label}", data=data))
    return count


# ---------------------------------------------------------------- delivering


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """``v1=`` + hex HMAC-SHA-256 of ``"<timestamp>." + body`` keyed with the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A callback answers itself; a redirect elsewhere (perhaps into the platform's network) is a failure."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def backoff(attempts: int) -> datetime.timedelta:
    """After the n-th failed attempt: base × 2^(n−1), at most six hours."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def webhook_deliver(*, delivery_id: int) -> str:
    """One attempt at a pending delivery; returns its state afterwards. Idempotent: a delivered,
    failed or disabled one is left alone (the outbox sends at least once)."""
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(of=("self",)).select_related("webhook__client")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
            return delivery.state if delivery else "missing"
        webhook = delivery.webhook
        if not webhook.is_active:
            return delivery.state
        body, timestamp = body_of(delivery), int(time.time())
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "ankang-jobs-webhooks/1",
                   "X-Ankang-Event": delivery.event, "X-Ankang-Delivery": str(delivery.event_id),
                   "X-Ankang-Timestamp": str(timestamp),
                   "X-Ankang-Signature": signature(webhook.secret, timestamp, body)}
        status, error = None, ""
        try:
            status = _post(webhook.url, body, headers)
        except (OSError, ValueError) as exc:  # refused, timed out, DNS, TLS: all OSError
            error = f"{type(exc).__name__}: {exc}"
        delivery.attempts += 1
        delivery.last_status = status
        now = timezone.now()
        if status is not None and 200 <= status < 300:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = (
                WebhookDelivery.State.DELIVERED, now, None, "")
            delivery.save()
            Webhook.objects.filter(pk=webhook.pk).update(consecutive_failures=0)
            return delivery.state
        delivery.last_error = (error or _("The receiver answered HTTP %(status)s.") % {"status": status})[:500]
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.state, delivery.next_attempt_at = WebhookDelivery.State.FAILED, None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()
        webhook.consecutive_failures += 1
        webhook.save(update_fields=["consecutive_failures"])
        if webhook.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
            _disable(webhook, delivery)
        return delivery.state


def _disable(webhook: Webhook, delivery: WebhookDelivery) -> None:
    webhook.disabled_at = timezone.now()
    webhook.save()
    client = webhook.client
    notify(users=city_admins(), kind=Notification.Kind.SECURITY, key=f"webhook-disabled:{webhook.pk}:{int(webhook.disabled_at.timestamp())}",
           title=_("The callback of %(client)s was disabled after %(n)d failed deliveries") % {
               "client": client, "n": webhook.consecutive_failures},
           body=_("%(url)s — last error: %(error)s. Re-enable it in the admin once the county has fixed its "
                  "receiver.") % {"url": webhook.url, "error": delivery.last_error})
    security_event_on_commit("webhook_disabled", user=None, client=client.name, client_id=client.pk,
                             failures=webhook.consecutive_failures)


def webhook_deliveries_retry(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Beat, each minute: the pending deliveries whose next attempt is due go to the outbox again."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now,
                                              webhook__disabled_at=None).order_by("next_attempt_at")
               .values_list("pk", flat=True)[:limit])
    with transaction.atomic():
        for pk in due:
            job_enqueue(job=DELIVER_JOB, kwargs={"delivery_id": pk})
    return len(due)
