"""Versioned records: every save names the version the user saw, and a save based on an older one
is refused with who changed the record and when (never silently overwritten)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class Conflict(ValidationError):
    """Someone else changed the record since the user loaded it."""


def refuse_if_stale(record, version: int) -> None:
    """Refuse a save based on an older version of ``record``, naming who changed it and when."""
    if record.version != version:
        who = (record.updated_by.full_name or record.updated_by.username) if record.updated_by else _("someone")
        when = timezone.localtime(record.updated_at).strftime("%Y-%m-%d %H:%M") if record.updated_at else ""
        raise Conflict(_("It was changed by %(who)s at %(when)s after you opened it. Reload to see their changes; "
                         "yours were not saved.") % {"who": who, "when": when})


# What ``record_touch`` changes: a record's bookkeeping, not what it says.
BOOKKEEPING = ("version", "updated_by", "updated_at")


def record_touch(record, user, *, only: bool = False) -> None:
    """Count a change: the next version, by ``user``, now. ``only``: the record has no other
    unsaved change (its contents are elsewhere, e.g. a return's figures), so only these three
    fields are written — and the save's signals say so (``update_fields``), so what caches the
    record's other fields need not be thrown away (dashboards/apps.py). The history row and the
    audit event are the same either way."""
    record.version += 1
    record.updated_by, record.updated_at = user, timezone.now()
    record.save(update_fields=BOOKKEEPING if only else None)
