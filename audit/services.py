"""Writes to the audit trail that do not come from a single history row."""

from __future__ import annotations

import datetime

from django.db import models

from ankang_jobs.loading import LoadSummary

from .models import AuditEvent


def audit_bulk_load(*, model: type[models.Model], source: str, summary: LoadSummary, when: datetime.datetime,
                    actor=None) -> AuditEvent:
    """One event for a bulk load (each row's history is still kept by django-simple-history)."""
    return AuditEvent.objects.create(
        occurred_at=when, actor=actor, actor_username=getattr(actor, "username", "") or "",
        action=AuditEvent.Action.BULK_LOADED, model=model._meta.label_lower,
        model_verbose_name=str(model._meta.verbose_name), object_pk="*", object_repr=source,
        changes=[{"field": "summary", "label": "summary", "old": None, "new": line} for line in summary.lines()],
        reason=f"bulk load from {source}",
    )
