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
from django.utils.translation import gettext as _

from kernel.dates import date_text, moment_text, quarter_text

_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CHOICE = re.compile(r"(.+)（[A-Za-z0-9_.-]+）")
# a figure as IndicatorValue.describe names it: "<indicator> <region id> <year>Q<n> <component>=<value>"
_FIGURE = re.compile(r"(?P<indicator>[\w-]+) (?P<region>\d+) (?P<year>\d{4})Q(?P<quarter>[1-4]) "
                     r"(?P<component>[\w-]+)=(?P<value>.*)")
_CODE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def _reasons() -> dict[str, str]:
    """Reasons the services record as a code when no person gave one, as people read them."""
    return {"values_bulk_record": _("Figures saved"), "government_units_ensure": _("Government units set up"),
            "demo_accounts_seed": _("Demo accounts set up"), "cleared": _("Measure figure cleared"),
            "checked": _("Final assessment checked"), "issued": _("Final assessment issued")}


def _reason_text(reason: str) -> str:
    if not reason:
        return reason
    known = _reasons().get(reason)
    if known is not None:
        return known
    return _("Recorded by the system") if _CODE.fullmatch(reason) else reason


def _figure_names(events) -> None:
    """Name each figure of the page's value events by its indicator, unit, quarter and item (the
    stored name has the codes and the unit's id): three queries, whatever the page's length."""
    figures = [(event, _FIGURE.fullmatch(event.object_repr or "")) for event in events
               if event.model == "targets.indicatorvalue"]
    figures = [(event, match) for event, match in figures if match]
    if not figures:
        return
    indicator_model, component_model = _model("targets.indicator"), _model("targets.indicatorcomponent")
    region_model = _model("divisions.region")
    codes = {match["indicator"] for _event, match in figures}
    indicators = dict(indicator_model._default_manager.filter(code__in=codes).values_list("code", "name"))
    components = {(indicator, code): name for indicator, code, name in component_model._default_manager
                  .filter(indicator__code__in=codes).values_list("indicator__code", "code", "name")}
    regions = dict(region_model._default_manager.filter(pk__in={int(m["region"]) for _e, m in figures})
                   .values_list("pk", "name"))
    for event, match in figures:
        event.object_repr = "{} · {} · {} · {}：{}".format(
            indicators.get(match["indicator"], match["indicator"]), regions.get(int(match["region"]), match["region"]),
            quarter_text(f"{match['year']}Q{match['quarter']}"),
            components.get((match["indicator"], match["component"]), match["component"]), match["value"])


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
    _figure_names(events)
    for event, fields in plan:
        event.reason = _reason_text(event.reason)
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
