"""Notifications that leave the platform: by e-mail and by text message (SMS).

A notification is created in the platform as always (reports/notifications.py). For each channel
its recipient chose (``NotificationPreference``) and has an address for, a delivery row and its
outbox job are written in the same transaction; the job (``reports.notification_deliver``) sends
after the commit, on the worker — never inside the request, and a rolled-back change sends
nothing. A failed attempt (an SMTP server or SMS gateway that is down, times out or answers an
error) is retried with exponential back-off by a beat job, up to NOTIFY_MAX_ATTEMPTS, then
recorded as failed: the office reads the delivery log (/reports/deliveries/) and is told once a
day in the platform. Contract of the SMS gateway: docs/notifications.md.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from kernel.sms import SmsError, sms_send
from outbox.services import job_enqueue

from .models import Channel, Notification, NotificationDelivery, NotificationPreference

log = logging.getLogger(__name__)
DELIVER_JOB = "reports.notification_deliver"


def deliveries_queue(notifications: list[Notification]) -> list[NotificationDelivery]:
    """For new notifications: a delivery (and its outbox job) per channel each recipient chose and
    has an address for, in the current transaction."""
    if not notifications:
        return []
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(
        user_id__in={n.recipient_id for n in notifications}).select_related("user")}
    deliveries = []
    for notification in notifications:
        preference = preferences.get(notification.recipient_id)
        if preference is None:
            continue  # the platform only, the default
        addresses = {Channel.EMAIL: preference.user.email, Channel.SMS: preference.mobile}
        for channel, address in addresses.items():
            if address and preference.wants(channel, notification.kind):
                delivery, created = NotificationDelivery.objects.get_or_create(
                    notification=notification, channel=channel, defaults={"address": address})
                if created:
                    job_enqueue(job=DELIVER_JOB, kwargs={"delivery_id": delivery.pk})
                    deliveries.append(delivery)
    return deliveries


def email_of(notification: Notification) -> EmailMessage:
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{settings.SITE_URL}{notification.link}".strip()
    return EmailMessage(subject=notification.title, body=body, to=[],
                        headers={"X-Ankang-Notification": str(notification.pk)})


def sms_text_of(notification: Notification) -> str:
    """The title and the link: a text message is short (SMS_MAX_CHARS; cut with …)."""
    text = notification.title
    if notification.link:
        text = f"{text} {settings.SITE_URL}{notification.link}"
    limit = settings.SMS_MAX_CHARS
    return text if len(text) <= limit else text[:limit - 1] + "…"


def message_text(delivery: NotificationDelivery) -> str:
    """What went (or goes) out on the delivery's channel, as the office's log shows it."""
    if delivery.channel == Channel.SMS:
        return sms_text_of(delivery.notification)
    message = email_of(delivery.notification)
    return f"{message.subject}\n\n{message.body}"


class _Failed(Exception):
    def __init__(self, error: str, *, retryable: bool):
        super().__init__(error)
        self.error, self.retryable = error, retryable


def _sms_error_text(exc: SmsError) -> str:
    """The gateway's failure as the office reads it, in Chinese, with the technical detail after it."""
    if exc.kind == "timeout":
        text = _("The SMS gateway did not answer within %(seconds)s seconds.") % {
            "seconds": f"{settings.SMS_GATEWAY_TIMEOUT_SECONDS:g}"}
    elif exc.kind == "status":
        text = _("The SMS gateway answered with an error (HTTP %(status)s).") % {"status": exc.status}
    elif exc.kind == "refused":
        text = _("The SMS gateway refused the message: %(answer)s") % {"answer": exc.detail}
    elif exc.kind == "config":
        text = _("No SMS gateway is configured.")
    else:
        text = _("The SMS gateway could not be reached.")
    return f"{text}（{exc}）"


def _send(delivery: NotificationDelivery) -> str:
    """One attempt; returns the gateway's id ('' if none), or raises _Failed (its error in Chinese,
    whatever the worker's language: the log reads the same for every reader)."""
    notification = delivery.notification
    if delivery.channel == Channel.EMAIL:
        message = email_of(notification)
        message.to = [delivery.address]
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            text = _("The mail server refused the address.")
            raise _Failed(f"{text}（{exc}）", retryable=False) from None
        except (smtplib.SMTPException, OSError) as exc:  # refused, timed out, TLS, auth, 4xx/5xx
            text = _("The mail server could not be reached or did not take the message.")
            raise _Failed(f"{text}（{type(exc).__name__}: {exc}）", retryable=True) from None
        return ""
    try:
        return sms_send(phone=delivery.address, text=sms_text_of(notification), message_id=f"n{delivery.pk}")
    except SmsError as exc:
        raise _Failed(_sms_error_text(exc), retryable=exc.retryable) from None


def backoff(attempts: int) -> datetime.timedelta:
    """After the n-th failed attempt: base × 2^(n−1), at most six hours."""
    seconds = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def notification_deliver(*, delivery_id: int) -> str:
    """One attempt at a pending delivery; returns its state afterwards. Idempotent: a sent or
    failed one is left alone (the outbox sends a job at least once)."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        delivery = (NotificationDelivery.objects.select_for_update(of=("self",))
                    .select_related("notification").filter(pk=delivery_id).first())
        if delivery is None or delivery.state != NotificationDelivery.State.PENDING:
            return delivery.state if delivery else "missing"
        delivery.attempts += 1
        now = timezone.now()
        try:
            try:
                delivery.gateway_id = _send(delivery)[:100]
            except _Failed:
                raise
            except Exception as exc:  # a backend's own bug or misconfiguration: recorded and retried, not lost
                log.exception("notification delivery %s: unexpected error", delivery.pk)
                text = _("Unexpected error while sending.")
                raise _Failed(f"{text}（{type(exc).__name__}: {exc}）", retryable=True) from None
        except _Failed as failure:
            delivery.last_error = failure.error[:500]
            if not failure.retryable or delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
                delivery.state, delivery.next_attempt_at = NotificationDelivery.State.FAILED, None
                _tell_the_office(delivery)
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
            log.warning("notification delivery %s (%s) attempt %d failed: %s", delivery.pk, delivery.channel,
                        delivery.attempts, delivery.last_error)
            delivery.save()
            return delivery.state
        delivery.state, delivery.sent_at, delivery.next_attempt_at = NotificationDelivery.State.SENT, now, None
        delivery.save()
        if delivery.channel == Channel.EMAIL:
            Notification.objects.filter(pk=delivery.notification_id).update(emailed=True)
        return delivery.state


def _tell_the_office(delivery: NotificationDelivery) -> None:
    """Once a day at most, in the platform only: a failure about a failure is not sent outside."""
    today = timezone.localdate()
    admins = User.objects.filter(is_active=True, role_assignments__role=Role.CITY_ADMIN).distinct()
    for admin in admins:
        Notification.objects.get_or_create(
            recipient=admin, key=f"delivery-failed:{today.isoformat()}",
            defaults={"kind": Notification.Kind.DELIVERY,
                      "title": _("Some notifications could not be sent by e-mail or text message"),
                      "body": _("See the delivery log for the messages, the addresses and the errors."),
                      "link": reverse("reports:deliveries") + "?state=failed"})


def notification_deliveries_retry(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Beat, each minute: pending deliveries whose next attempt is due go to the outbox again."""
    now = now or timezone.now()
    due = list(NotificationDelivery.objects.filter(state=NotificationDelivery.State.PENDING,
                                                   next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    with transaction.atomic():
        for pk in due:
            job_enqueue(job=DELIVER_JOB, kwargs={"delivery_id": pk})
    return len(due)
