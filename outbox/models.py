"""The job outbox: Celery jobs written to the database in the transaction that needs them.

A roll-up that an approval needs must not be lost because Redis was down at the moment of the
commit, nor sent for a change that was rolled back. So the job is a row written in the same
transaction as the change; a relay sends pending rows to the broker after the commit, and again
from a Celery beat job and ``manage.py outbox_relay`` until the broker takes them. Sending is
at least once (a relay that dies between sending and marking sends again): every job that goes
through here is idempotent. Not in the history or the audit trail: it records plumbing, not plan
data; the change that wrote the row is audited itself.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import OutboxQuerySet


class OutboxMessage(models.Model):
    job = models.CharField(_("job"), max_length=200, help_text=_("The Celery job's name, e.g. targets.rollup."))
    kwargs = models.JSONField(_("arguments"), default=dict)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox job")
        verbose_name_plural = _("outbox jobs")
        ordering = ["pk"]
        indexes = [
            # the relay's query: pending jobs in the order they were written
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.job} #{self.pk}"
