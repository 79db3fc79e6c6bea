"""Writes to the audit trail that do not come from a single history row."""

from __future__ import annotations

import datetime
import json
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from kernel.loading import LoadSummary
from kernel.pgcopy import copy_rows
from kernel.versioning import BOOKKEEPING, record_touch

from .chain import canonical, chain
from .models import AuditEvent


def audit_append(events: list[AuditEvent]) -> list[AuditEvent]:
    """Chain and insert ``events`` (the one way audit events are written). Inside
    ``audit_deferred`` they are gathered and written at the block's end instead (without ids)."""
    if _pending() is not None:
        _defer([_Pending(occurred_at=e.occurred_at, actor_id=e.actor_id, actor_username=e.actor_username,
                         action=e.action, model=e.model, model_verbose_name=e.model_verbose_name,
                         object_pk=e.object_pk, object_repr=e.object_repr, changes_text=canonical(e.changes),
                         reason=e.reason) for e in events])
        return events
    with transaction.atomic():
        chain(events)
        return AuditEvent.objects.bulk_create(events, batch_size=2000)


# ---- deferred chaining: one short hold of the chain head per transaction

_deferred = threading.local()


@dataclass
class _Pending:
    """An audit event gathered by ``audit_deferred``, with its changes as canonical JSON text."""

    occurred_at: datetime.datetime
    actor_id: int | None
    actor_username: str
    action: str
    model: str
    model_verbose_name: str
    object_pk: str
    object_repr: str
    changes_text: str
    reason: str
    prev_hash: str = ""
    row_hash: str = ""


class _Marker:
    """A no-op on-commit callback standing for a batch of gathered events: Django drops the
    callbacks registered inside a savepoint that is rolled back, so a batch whose marker is gone
    belongs to a change that was undone, and its events are not written."""

    def __call__(self) -> None:
        pass


def _pending() -> list | None:
    return getattr(_deferred, "pending", None)


def _defer(events: list[_Pending]) -> None:
    if not events:
        return
    marker = _Marker()
    transaction.on_commit(marker)
    _deferred.pending.append((marker, events))


@contextmanager
def audit_deferred():
    """Within the block, audit events (``audit_append``, ``audit_events_insert``) are gathered,
    not written; at its end, still inside the caller's transaction, they are chained and written
    together, in the order they were made: the same events, hashes and order as writing each at
    once, but the chain head (audit/chain.py), which serialises every audited write in the
    platform, is locked only from the block's end to the commit instead of from the first
    audited write, and once instead of once per batch. Events of a change rolled back to a
    savepoint inside the block are dropped with it; an exception leaving the block writes nothing
    (the transaction rolls back). Must run inside a transaction (``transaction.atomic``); nested
    blocks leave the writing to the outermost."""
    if _pending() is not None:
        yield
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are chained inside the transaction that writes them")
    _deferred.pending = []
    try:
        yield
        batches = _deferred.pending
    finally:
        _deferred.pending = None
    _write_pending(batches)


def _write_pending(batches: list[tuple[_Marker, list[_Pending]]]) -> None:
    connection = transaction.get_connection()
    alive = {id(func) for _sids, func, _robust in connection.run_on_commit}
    events = [e for marker, batch in batches if id(marker) in alive for e in batch]
    if not events:
        return
    chain(events)  # ids come from the sequence in COPY / INSERT order, which is the chain's order
    if connection.vendor == "postgresql":
        copy_rows(AuditEvent._meta.db_table, _PENDING_COLUMNS,
                  ((e.occurred_at, e.actor_id, e.actor_username, e.action, e.model, e.model_verbose_name, e.object_pk,
                    e.object_repr, e.changes_text, e.reason, e.prev_hash, e.row_hash) for e in events))
    else:
        AuditEvent.objects.bulk_create([AuditEvent(
            occurred_at=e.occurred_at, actor_id=e.actor_id, actor_username=e.actor_username, action=e.action,
            model=e.model, model_verbose_name=e.model_verbose_name, object_pk=e.object_pk, object_repr=e.object_repr,
            changes=json.loads(e.changes_text), reason=e.reason, prev_hash=e.prev_hash, row_hash=e.row_hash)
            for e in events], batch_size=2000)


_PENDING_COLUMNS = ("occurred_at", "actor_id", "actor_username", "action", "model", "model_verbose_name", "object_pk",
                    "object_repr", "changes", "reason", "prev_hash", "row_hash")


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
    return changes_created_row(type(instance), {f.attname: getattr(instance, f.attname)
                                                for f in type(instance)._meta.concrete_fields}, excluded)


def changes_created_row(model, row: dict[str, object], excluded: tuple[str, ...] = ()) -> list[dict]:
    """``changes_created`` for a row given as attname → value (bulk writes that build no instances)."""
    from .receivers import _plain

    out = []
    for field, label, plain_as_is in _created_fields(model):
        if field.name in excluded:
            continue
        value = row[field.attname]
        # _plain leaves ints, text and None of a field without choices as they are; skip the call
        out.append({"field": field.name, "label": label, "old": None,
                    "new": value if plain_as_is and type(value) in _AS_IS else _plain(value, field)})
    return out


_AS_IS = (int, str, type(None))


def changes_created_json(model, rows: list[dict[str, object]]) -> list[str]:
    """``changes_created_row`` of each row as JSON text, for a COPY: a field with the same value
    in every row (the unit, the quarter, the status, the source…) is encoded once, not per row."""
    from .receivers import _plain

    parts: list[tuple[str, str | None]] = []  # (constant fragment, or the attname to encode per row)
    for field, label, _as_is in _created_fields(model):
        # canonical JSON (audit/chain.py: sorted keys, no spaces), so the chain hashes this very text
        head = f'{{"field":{canonical(field.name)},"label":{canonical(label)},"new":'
        tail = ',"old":null}'
        # by text for decimals: 0 and -0, 1.0 and 1.00 are equal but written differently
        key = str if isinstance(field, models.DecimalField) else None
        values = {row[field.attname] if key is None else key(row[field.attname]) for row in rows}
        if len(values) == 1:
            parts.append((head + canonical(_plain(rows[0][field.attname], field)) + tail, None))
        else:
            parts.append((head, field.attname))
    fields = {f.attname: f for f in model._meta.concrete_fields}
    out = []
    for row in rows:
        out.append("[" + ",".join(
            fragment if attname is None
            else fragment + canonical(_plain(row[attname], fields[attname])) + tail
            for fragment, attname in parts) + "]")
    return out


def _created_fields(model) -> list[tuple[models.Field, str, bool]]:
    cached = _CREATED.get(model)
    if cached is None:
        cached = _CREATED[model] = [(f, label, not f.choices) for f, label in _labelled_fields(model)]
    return cached


_CREATED: dict[type, list] = {}


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
    return changes_updated_row(type(instance), {f.attname: getattr(instance, f.attname)
                                                for f in type(instance)._meta.concrete_fields}, old)


def changes_updated_row(model, row: dict[str, object], old: dict[str, object]) -> list[dict]:
    """``changes_updated`` for a row given as attname → value."""
    from .receivers import _plain

    fields = _fields_by_name(model)
    out = []
    for name, before in old.items():
        field, label = fields[name]
        after = row[field.attname]
        if before != after:
            out.append({"field": name, "label": label, "old": _plain(before, field), "new": _plain(after, field)})
    return out


def _fields_by_name(model) -> dict[str, tuple[models.Field, str]]:
    cached = _BY_NAME.get(model)
    if cached is None:
        cached = _BY_NAME[model] = {f.name: (f, label) for f, label in _labelled_fields(model)}
    return cached


_BY_NAME: dict[type, dict] = {}


def record_touch_audited(record, user) -> None:
    """``record_touch(record, user, only=True)`` — a change counted on a record nothing else of
    which changed (a return whose figures were just saved) — with its history row and audit event
    written here instead of by simple-history's save signal and ``receivers.record_audit_event``:
    the same history row (type "~", the user, the reason the record carries, through
    simple-history's own ``bulk_history_create``) and the same event (the changed fields in field
    name order, their old and new values as the receiver writes them), without reading the
    previous history row back to diff against: the old values are the record's own, as the caller
    read them (under its row lock). The record's save signals are still sent, with
    ``update_fields`` naming the bookkeeping."""
    model = type(record)
    old = {name: getattr(record, model._meta.get_field(name).attname)
           for name in sorted(BOOKKEEPING)}  # diff_against's order
    record.skip_history_when_saving = True  # simple-history's own switch: its receiver writes nothing
    try:
        record_touch(record, user, only=True)
    finally:
        del record.skip_history_when_saving
    when = timezone.now()
    model.history.bulk_history_create([record], update=True, default_user=user, default_date=when,
                                     default_change_reason=None)  # as the signal's row: NULL without a reason
    audit_events_insert(model=model, rows=[(record.pk, str(record), AuditEvent.Action.CHANGED,
                                            changes_updated(record, old))],
                        actor=user, reason=getattr(record, "_change_reason", None) or "", when=when)


def audit_events_bulk(*, rows: list[tuple[models.Model, str, list[dict]]], actor, reason: str,
                      when: datetime.datetime) -> None:
    """Audit events for rows written in bulk (bulk writes send no history signals): one event per
    row with its old and new values, in one INSERT."""
    if not rows:
        return
    audit_events_insert(model=type(rows[0][0]), rows=[(obj.pk, str(obj), action, changes)
                                                      for obj, action, changes in rows], actor=actor, reason=reason,
                        when=when)


def audit_events_insert(*, model: type[models.Model], rows: list[tuple[object, str, str, list[dict] | str]], actor,
                        reason: str, when: datetime.datetime, copy: bool = False) -> None:
    """``audit_events_bulk`` for rows given as (pk, repr, action, changes). A row without changes
    is no event. Every event is chained (audit/chain.py) before it is written. ``copy``
    (PostgreSQL only): one COPY instead of INSERTs, the same rows and hashes; there the changes may
    come as JSON text already (``changes_created_json``)."""

    label, verbose_name = model._meta.label_lower, str(model._meta.verbose_name)
    actor_id = getattr(actor, "pk", None)
    username = getattr(actor, "username", "") or ""
    reason = reason[:300]
    if _pending() is not None:
        _defer([_Pending(occurred_at=when, actor_id=actor_id, actor_username=username, action=action, model=label,
                         model_verbose_name=verbose_name, object_pk=str(pk), object_repr=text[:300],
                         changes_text=changes if isinstance(changes, str) else canonical(changes), reason=reason)
                for pk, text, action, changes in rows if changes])
        return
    if not copy:
        audit_append([AuditEvent(occurred_at=when, actor_id=actor_id, actor_username=username, action=action,
                                 model=label, model_verbose_name=verbose_name, object_pk=str(pk),
                                 object_repr=text[:300], changes=changes, reason=reason)
                      for pk, text, action, changes in rows if changes])
        return

    events = []
    for pk, text, action, changes in rows:
        if not changes:
            continue
        # text changes come from changes_created_json, already canonical: hashed as they are stored,
        # and the same bytes audit_verify gets by re-encoding what the database gives back
        events.append(_Pending(occurred_at=when, actor_id=actor_id, actor_username=username, action=action,
                               model=label, model_verbose_name=verbose_name, object_pk=str(pk), object_repr=text[:300],
                               changes_text=changes if isinstance(changes, str) else canonical(changes),
                               reason=reason))
    with transaction.atomic():
        chain(events)  # ids come from the sequence in COPY order, which is the chain's order
        copy_rows(AuditEvent._meta.db_table, ("object_pk", "action", "object_repr", "changes", "prev_hash", "row_hash"),
                  ((e.object_pk, e.action, e.object_repr, e.changes_text, e.prev_hash, e.row_hash) for e in events),
                  constants={"occurred_at": when, "actor_id": actor_id, "actor_username": username, "model": label,
                             "model_verbose_name": verbose_name, "reason": reason})
