"""Writing jobs to the outbox and relaying them to the broker (see models.py for why)."""

from __future__ import annotations

import logging
import time

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


def job_enqueue(*, job: Task | str, kwargs: dict) -> OutboxMessage:
    """Record a job in the current transaction; it is sent after the commit, or later by the
    relay if the broker is down then. A rolled-back transaction sends nothing. ``robust``: whatever
    the relay meets, the change has committed and the request reports its success."""
    message = OutboxMessage.objects.create(job=job if isinstance(job, str) else job.name, kwargs=kwargs)
    pk = message.pk

    def relay_after_commit() -> None:
        _relay_on_commit(pk)

    transaction.on_commit(relay_after_commit, robust=True)
    return message


# After a broker failure, the relays that follow commits in this process do not try again for
# this long: one failure per commit (and per burst of commits), not one per job written. The beat
# job and the command are not held back.
RELAY_PAUSE_SECONDS = 10.0
_paused_until = 0.0


def relay_pause_clear() -> None:
    global _paused_until
    _paused_until = 0.0


def _relay_on_commit(pk: int) -> None:
    """One relay per commit: the first job's callback sends every pending job; the others find
    their job sent and stop there, or find the relay paused after a failure. In the request: one
    bounded attempt, no publish retries (a down or hung broker costs at most BROKER_TIMEOUT)."""
    if time.monotonic() < _paused_until:
        return
    if not OutboxMessage.objects.filter(pk=pk, sent_at=None).exists():
        return
    outbox_relay(retry=False)


def _job(name: str) -> Task:
    if name not in current_app.tasks:
        autodiscover_modules("jobs")  # a management command has not imported the apps' jobs.py yet
    return current_app.tasks[name]


def outbox_relay(*, limit: int = 1000, retry: bool = True) -> int:
    """Send pending jobs in the order they were written; returns how many were sent.

    Each job is claimed with a row lock that other relays skip, so two relays at once never send
    one job twice. The first broker failure stops the relay: the rest wait for the next one
    (after the next commit that writes a job, the beat job each minute, or ``outbox_relay``).
    Every broker call is bounded by BROKER_TIMEOUT (settings); ``retry`` applies Celery's publish
    retry policy (the beat job, the command), without it one attempt is made (after a request's
    commit). All jobs go over one connection of the relay's own, closed when it ends, so a
    connection broken by a timeout is never handed to the next relay.
    """
    sent = 0
    pending = list(OutboxMessage.objects.filter(sent_at=None).order_by("pk").values_list("pk", flat=True)[:limit])
    if not pending:
        return 0
    options = {"retry": retry}
    if retry:
        options["retry_policy"] = current_app.conf.task_publish_retry_policy
    # without retries, connecting is not retried either (kombu would retry a refused connection
    # for the whole connect timeout)
    with current_app.connection_for_write(transport_options={} if retry else {"max_retries": 0}) as broker:
        for pk in pending:
            with transaction.atomic():
                message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at=None).first()
                if message is None:  # another relay has it, or sent it
                    continue
                try:
                    _job(message.job).apply_async(kwargs=message.kwargs, connection=broker, **options)
                except BROKER_ERRORS as exc:
                    _pause()
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


def _pause() -> None:
    global _paused_until
    _paused_until = time.monotonic() + RELAY_PAUSE_SECONDS


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
