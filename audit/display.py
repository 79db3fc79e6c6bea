"""The audit trail as a person reads it: the actor's name, Chinese field labels, related records
by name (not by id), times in local time to the second, choices by label (not by code).

The stored events stay as written (the hash chain covers them); this only shapes a page of them.
"""

from __future__ import annotations

import re
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.dateparse import parse_date, parse_datetime

from kernel.dates import date_text, moment_text

_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CHOICE = re.compile(r"(.+)（[A-Za-z0-9_.-]+）")


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _text(value):
    """One stored value as text a person reads."""
    if value is None:
        return None
    if isinstance(value, list):
        return "、".join(str(_text(v)) for v in value)
    text = str(value)
    if _MOMENT.fullmatch(text):
        moment = parse_datetime(text.replace(" ", "T", 1))
        if moment is not None:
            return moment_text(moment)
    if _DAY.fullmatch(text):
        day = parse_date(text)
        if day is not None:
            return date_text(day)
    match = _CHOICE.fullmatch(text)
    if match:
        return match.group(1)
    return value


def _same(old, new) -> bool:
    """Nothing a person would call a change: both empty, or the same once shown (a moment to the
    second, 1.0000 and 1)."""
    empty = (None, "", [])
    if old in empty and new in empty:
        return True
    if old in empty or new in empty:
        return False
    try:
        from decimal import Decimal

        return Decimal(str(old)) == Decimal(str(new))
    except Exception:  # noqa: BLE001 — not numbers: compare as shown
        return str(old) == str(new)


def readable_events(events) -> list:
    """Each event of a page with ``who`` (the person's name) and ``rows`` — (label, old, new) per
    field that changed (a new record: its filled-in fields), related records named; two queries per
    related model on the page, whatever its length."""
    events = list(events)
    wanted: dict[type, set] = defaultdict(set)
    plan = []
    for event in events:
        model = _model(event.model)
        fields = []
        for change in event.changes or []:
            field = _field(model, change.get("field", ""))
            related = field.related_model if field is not None and (field.many_to_one or field.one_to_one) else None
            if related is not None:
                for key in ("old", "new"):
                    if change.get(key) not in (None, ""):
                        wanted[related].add(str(change[key]))
            fields.append((change, field, related))
        plan.append((event, fields))
    names = {}
    for related, keys in wanted.items():
        pk_field = related._meta.pk
        try:
            pks = [pk_field.to_python(k) for k in keys]
        except Exception:  # noqa: BLE001 — a malformed stored key stays as written
            continue
        names[related] = {str(obj.pk): str(obj) for obj in related._default_manager.filter(pk__in=pks)}
    for event, fields in plan:
        actor = getattr(event, "actor", None)
        event.who = (actor.full_name or actor.username) if actor is not None else event.actor_username
        rows = []
        for change, field, related in fields:
            label = change.get("label") or change.get("field")
            if field is not None and label == change.get("field"):
                label = str(field.verbose_name)
            old, new = change.get("old"), change.get("new")
            if related is not None:
                old = names.get(related, {}).get(str(old), old) if old not in (None, "") else old
                new = names.get(related, {}).get(str(new), new) if new not in (None, "") else new
            else:
                old, new = _text(old), _text(new)
            if _same(old, new):
                continue  # only what changed: a field left empty when created, a time equal to the second
            rows.append((label, old, new))
        event.rows = rows
    return events
