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
    old_sent = OutboxMessage.objects.create(task="targets.rollup", kwargs={}, sent_at=now - dt.timedelta(days=31))
    recent_sent = OutboxMessage.objects.create(task="targets.rollup", kwargs={}, sent_at=now - dt.timedelta(days=2))
    old_pending = OutboxMessage.objects.create(task="targets.rollup", kwargs={})
    OutboxMessage.objects.filter(pk=old_pending.pk).update(created_at=now - dt.timedelta(days=90))
    assert outbox_prune() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent_sent.pk, old_pending.pk}
    assert not OutboxMessage.objects.filter(pk=old_sent.pk).exists()


def test_the_prune_runs_nightly_from_beat(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"outbox.relay", "outbox.prune"} <= schedule
