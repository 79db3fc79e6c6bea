"""Writing jobs to the outbox and relaying them to the broker (see models.py for why)."""

from __future__ import annotations

import logging

import kombu.exceptions
import redis.exceptions
from celery import Task, current_app
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import OutboxMessage

log = logging.getLogger(__name__)

# What a broker that is down or unreachable raises on publish (after Celery's publish retries).
BROKER_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                 ConnectionError, TimeoutError)


def job_enqueue(*, task: Task | str, kwargs: dict) -> OutboxMessage:
    """Record a job in the current transaction; it is sent after the commit, or later by the
    relay if the broker is down then. A rolled-back transaction sends nothing."""
    message = OutboxMessage.objects.create(task=task if isinstance(task, str) else task.name, kwargs=kwargs)
    transaction.on_commit(outbox_relay)
    return message


def _task(name: str) -> Task:
    if name not in current_app.tasks:
        autodiscover_modules("jobs")  # a management command has not imported the apps' jobs.py yet
    return current_app.tasks[name]


def outbox_relay(*, limit: int = 1000) -> int:
    """Send pending jobs in the order they were written; returns how many were sent.

    Each job is claimed with a row lock that other relays skip, so two relays at once never send
    one job twice. The first broker failure stops the relay: the rest wait for the next one
    (after the next commit that writes a job, the beat job each minute, or ``outbox_relay``).
    """
    sent = 0
    pending = list(OutboxMessage.objects.filter(sent_at=None).order_by("pk").values_list("pk", flat=True)[:limit])
    for pk in pending:
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at=None).first()
            if message is None:  # another relay has it, or sent it
                continue
            try:
                _task(message.task).apply_async(kwargs=message.kwargs)
            except BROKER_ERRORS as exc:
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.save(update_fields=["attempts", "last_error"])
                log.warning("outbox: broker unavailable, %d job(s) wait for the next relay (%s)",
                            len(pending) - sent, message.last_error)
                break
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
            sent += 1
    return sent


def outbox_pending() -> int:
    return OutboxMessage.objects.filter(sent_at=None).count()


def outbox_prune(*, keep_days: int | None = None) -> int:
    """Delete jobs sent more than ``keep_days`` (OUTBOX_KEEP_DAYS) ago; pending ones are never
    touched. The outbox is a queue, not a record: what the jobs changed is in the audit trail."""
    from datetime import timedelta

    from django.conf import settings

    days = settings.OUTBOX_KEEP_DAYS if keep_days is None else keep_days
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=timezone.now() - timedelta(days=days)).delete()
    return deleted
