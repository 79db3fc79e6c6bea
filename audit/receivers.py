"""Turn each django-simple-history row into an audit event with old and new values."""

from __future__ import annotations

import datetime
import decimal

from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.utils import translation
from simple_history.signals import post_create_historical_record

from .models import AuditEvent

_ACTIONS = {"+": AuditEvent.Action.CREATED, "~": AuditEvent.Action.CHANGED, "-": AuditEvent.Action.DELETED}


def _plain(value, field=None):
    """A value as the auditor should read it: choices by their label (with the stored code),
    booleans as 是/否, numbers and dates as text."""
    if field is not None and field.choices and value not in (None, ""):
        label = _choice_labels(field).get(value)
        return f"{label}（{value}）" if label is not None else value
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (decimal.Decimal, datetime.date, datetime.datetime)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _choice_labels(field) -> dict:
    """A field's choices as code → Chinese label, worked out once per field."""
    labels = _CHOICES.get(field)
    if labels is None:
        with translation.override("zh-hans"):
            labels = _CHOICES[field] = {k: str(v) for k, v in field.flatchoices}
    return labels


_CHOICES: dict = {}


def _field(model, field_name: str):
    try:
        return model._meta.get_field(field_name)
    except Exception:  # an m2m field's history or a removed field
        return None


def _label(model, field_name: str) -> str:
    field = _field(model, field_name)
    return str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else field_name


@receiver(post_create_historical_record)
def record_audit_event(sender, instance, history_instance, history_user=None, **kwargs) -> None:
    # Labels are stored in Chinese whatever language the request was in: the trail reads the same
    # for every auditor, and a label never changes after the fact.
    with translation.override("zh-hans"):
        _record(instance, history_instance, history_user)


def _record(instance, history_instance, history_user) -> None:
    model = type(instance)
    action = _ACTIONS[history_instance.history_type]
    history_fields = {f.name for f in history_instance._meta.fields}
    tracked = [f for f in model._meta.concrete_fields if f.name in history_fields]
    previous = history_instance.prev_record if action == AuditEvent.Action.CHANGED else None  # a query each read
    if previous is not None:
        delta = history_instance.diff_against(previous)
        changes = [{"field": c.field, "label": _label(model, c.field), "old": _plain(c.old, _field(model, c.field)),
                    "new": _plain(c.new, _field(model, c.field))} for c in delta.changes]
        if not changes:
            return  # a save that changed nothing is not an event
    else:
        changes = []
        for field in tracked:
            value = _plain(getattr(history_instance, field.attname, None), field)
            old, new = (value, None) if action == AuditEvent.Action.DELETED else (None, value)
            changes.append({"field": field.name, "label": str(field.verbose_name), "old": old, "new": new})
    from .services import audit_append

    audit_append([AuditEvent(
        occurred_at=history_instance.history_date,
        actor=history_user if getattr(history_user, "pk", None) else None,
        actor_username=getattr(history_user, "username", "") or "",
        action=action,
        model=model._meta.label_lower,
        model_verbose_name=str(model._meta.verbose_name),
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
        reason=(history_instance.history_change_reason or "")[:300],
    )])
