"""Writes to the audit trail that do not come from a single history row."""

from __future__ import annotations

import datetime

from django.db import models, transaction

from ankang_jobs.loading import LoadSummary

from .chain import chain
from .models import AuditEvent


def audit_append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain and insert ``events`` (the one way audit events are written)."""
    with transaction.atomic():
        chain(events)
        return AuditEvent.objects.bulk_create(events, batch_size=2000)


def audit_bulk_load(*, model: type[models.Model], source: str, summary: LoadSummary, when: datetime.datetime,
                    actor=None) -> AuditEvent:
    """One event for a bulk load (each row's history is still kept by django-simple-history)."""
    return audit_append([AuditEvent(
        occurred_at=when, actor=actor, actor_username=getattr(actor, "username", "") or "",
        action=AuditEvent.Action.BULK_LOADED, model=model._meta.label_lower,
        model_verbose_name=str(model._meta.verbose_name), object_pk="*", object_repr=source,
        changes=[{"field": "summary", "label": "summary", "old": None, "new": line} for line in summary.lines()],
        reason=f"bulk load from {source}",
    )])[0]


def changes_created(instance, excluded: tuple[str, ...] = ()) -> list[dict]:
    """A new row's fields as audit changes (old: none), labelled as the history receiver does."""
    from .receivers import _plain

    return [{"field": f.name, "label": label, "old": None, "new": _plain(getattr(instance, f.attname), f)}
            for f, label in _labelled_fields(type(instance)) if f.name not in excluded]


def _labelled_fields(model) -> list[tuple[models.Field, str]]:
    """Each concrete field with its Chinese label, worked out once per model (bulk writes call this
    for thousands of rows)."""
    from django.utils import translation

    cached = _LABELS.get(model)
    if cached is None:
        with translation.override("zh-hans"):
            cached = _LABELS[model] = [(f, str(f.verbose_name)) for f in model._meta.concrete_fields]
    return cached


_LABELS: dict[type, list] = {}


def changes_updated(instance, old: dict[str, object]) -> list[dict]:
    """The fields of ``instance`` whose values differ from ``old`` (field name → old value)."""
    from .receivers import _plain

    fields = {f.name: (f, label) for f, label in _labelled_fields(type(instance))}
    out = []
    for name, before in old.items():
        field, label = fields[name]
        after = getattr(instance, field.attname)
        if before != after:
            out.append({"field": name, "label": label, "old": _plain(before, field), "new": _plain(after, field)})
    return out


def audit_events_bulk(*, rows: list[tuple[models.Model, str, list[dict]]], actor, reason: str,
                      when: datetime.datetime) -> None:
    """Audit events for rows written in bulk (bulk writes send no history signals): one event per
    row with its old and new values, in one INSERT."""
    if not rows:
        return
    model = type(rows[0][0])
    audit_append([
        AuditEvent(occurred_at=when, actor=actor if getattr(actor, "pk", None) else None,
                   actor_username=getattr(actor, "username", "") or "", action=action, model=model._meta.label_lower,
                   model_verbose_name=str(model._meta.verbose_name), object_pk=str(obj.pk), object_repr=str(obj)[:300],
                   changes=changes, reason=reason[:300])
        for obj, action, changes in rows if changes])
