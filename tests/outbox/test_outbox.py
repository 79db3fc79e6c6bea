"""The outbox keeps sent jobs for a while, then prunes them; pending jobs are never pruned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import outbox_prune

pytestmark = pytest.mark.django_db


def test_sent_jobs_older_than_the_keep_period_are_pruned_and_pending_ones_never(settings):
    settings.OUTBOX_KEEP_DAYS = 30
    now = timezone.now()
    old_sent = OutboxMessage.objects.create(job="targets.rollup", kwargs={}, sent_at=now - dt.timedelta(days=31))
    recent_sent = OutboxMessage.objects.create(job="targets.rollup", kwargs={}, sent_at=now - dt.timedelta(days=2))
    old_pending = OutboxMessage.objects.create(job="targets.rollup", kwargs={})
    OutboxMessage.objects.filter(pk=old_pending.pk).update(created_at=now - dt.timedelta(days=90))
    assert outbox_prune() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent_sent.pk, old_pending.pk}
    assert not OutboxMessage.objects.filter(pk=old_sent.pk).exists()


def test_the_prune_runs_nightly_from_beat(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"outbox.relay", "outbox.prune"} <= schedule


# ---------------------------------------------------------------- a hung or down broker

class _Broker:
    """Stands in for Celery's publish: counts the jobs offered, and fails while ``down``."""

    def __init__(self, down: bool):
        self.down, self.offered = down, []

    def __call__(self, name):
        import kombu.exceptions

        broker = self

        class Task:
            def apply_async(self, **options):
                broker.offered.append((name, options.get("retry")))
                if broker.down:
                    raise kombu.exceptions.OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return Task()


@pytest.fixture
def broker(monkeypatch):
    from outbox import services

    services.relay_pause_clear()

    def make(*, down: bool) -> _Broker:
        fake = _Broker(down)
        monkeypatch.setattr(services, "_job", fake)
        return fake

    yield make
    services.relay_pause_clear()


def test_a_down_broker_is_tried_once_per_commit_however_many_jobs(broker, django_capture_on_commit_callbacks):
    from outbox.services import job_enqueue

    fake = broker(down=True)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            job_enqueue(job="outbox.prune", kwargs={})
    assert fake.offered == [("outbox.prune", False)]  # one attempt, no publish retries in the request
    assert sorted(OutboxMessage.objects.values_list("attempts", flat=True)) == [0, 0, 1]
    assert OutboxMessage.objects.filter(sent_at=None).count() == 3  # all kept for the beat job


def test_a_live_broker_gets_every_job_of_the_commit_once(broker, django_capture_on_commit_callbacks):
    from outbox.services import job_enqueue

    fake = broker(down=False)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            job_enqueue(job="outbox.prune", kwargs={})
    assert len(fake.offered) == 3 and not OutboxMessage.objects.filter(sent_at=None).exists()


def test_after_a_failure_the_next_commits_wait_but_the_beat_relay_does_not(broker, django_capture_on_commit_callbacks):
    from outbox.services import job_enqueue, outbox_relay

    fake = broker(down=True)
    for _ in range(2):  # two commits in a burst: only the first pays for the attempt
        with django_capture_on_commit_callbacks(execute=True):
            job_enqueue(job="outbox.prune", kwargs={})
    assert len(fake.offered) == 1
    fake.down = False
    assert outbox_relay() == 2  # the beat job / the command: not paused, with retries
    assert fake.offered[-1] == ("outbox.prune", True)


def test_a_rolled_back_change_sends_nothing(broker, django_capture_on_commit_callbacks):
    from django.db import transaction

    from outbox.services import job_enqueue

    fake = broker(down=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            job_enqueue(job="outbox.prune", kwargs={})
            raise RuntimeError
    assert callbacks == [] and fake.offered == [] and not OutboxMessage.objects.exists()


def test_whatever_the_relay_meets_the_committed_change_reports_success(django_capture_on_commit_callbacks,
                                                                       monkeypatch, caplog):
    from outbox import services

    def broken(**kwargs):
        raise RuntimeError("the relay failed in a way nobody foresaw")

    monkeypatch.setattr(services, "outbox_relay", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.job_enqueue(job="outbox.prune", kwargs={})  # no exception reaches the caller
    assert "the relay failed" in caplog.text and OutboxMessage.objects.filter(sent_at=None).count() == 1


@pytest.fixture
def real_broker(monkeypatch):
    """Celery publishing for real (not eagerly) to the URL given, restored afterwards (Celery
    prefers the CELERY_BROKER_URL variable to its configuration, so both are set)."""
    from ankang_jobs.celery import app

    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False

    def use(url: str) -> None:
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app.conf.broker_url = url
        assert app.conf.broker_write_url == url

    yield use
    app.conf.task_always_eager, app.conf.broker_url = saved


@pytest.mark.parametrize("broker", ["hung", "down"])
def test_a_relay_against_a_hung_or_down_broker_gives_up_within_the_timeout_and_keeps_the_job(real_broker, broker):
    """No PostgreSQL or Redis needed: the broker is a socket that never answers, or a closed port.
    The bound is an alarm, not a measurement: an unbounded publish never returns."""
    import signal

    from outbox.services import outbox_relay, relay_pause_clear
    from tests.services_helpers import HungBroker, free_port

    def still_waiting(signum, frame):
        raise AssertionError("the relay is still waiting on the broker after 30 s")

    hung = HungBroker().start() if broker == "hung" else None
    real_broker(hung.url() if hung else f"redis://127.0.0.1:{free_port()}/0")
    message = OutboxMessage.objects.create(job="outbox.prune", kwargs={})
    previous = signal.signal(signal.SIGALRM, still_waiting)
    signal.alarm(30)
    try:
        sent = outbox_relay(retry=False)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        relay_pause_clear()
        if hung:
            hung.stop()
    message.refresh_from_db()
    assert sent == 0 and message.sent_at is None and message.attempts == 1
    assert ("Timeout" if broker == "hung" else "onnect") in message.last_error, message.last_error


def test_every_broker_and_cache_call_is_bounded(settings):
    """A new Redis client (broker, results, cache) without a timeout is caught here."""
    from ankang_jobs.celery import app

    assert 0 < settings.BROKER_TIMEOUT <= 5
    options = app.conf.broker_transport_options
    assert options["socket_timeout"] == options["socket_connect_timeout"] == settings.BROKER_TIMEOUT
    assert app.conf.broker_connection_timeout == settings.BROKER_TIMEOUT
    assert app.conf.redis_socket_timeout == app.conf.redis_socket_connect_timeout == settings.BROKER_TIMEOUT
    results = app.conf.result_backend_transport_options
    assert results["socket_timeout"] == results["socket_connect_timeout"] == settings.BROKER_TIMEOUT
    for cache in settings.CACHES.values():
        if "redis" in cache["BACKEND"].lower():
            assert cache["OPTIONS"]["socket_timeout"] and cache["OPTIONS"]["socket_connect_timeout"]
