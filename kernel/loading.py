"""Idempotent loading: write a row only when it differs, and count what happened.

Loaders (the plan, the divisions) call ``upsert`` so that loading the same file twice writes
nothing the second time — no new history rows, no audit events, nothing overwritten silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models


@dataclass
class LoadSummary:
    counts: Counter = field(default_factory=Counter)

    def add(self, model: type[models.Model], status: str, n: int = 1) -> None:
        self.counts[(model._meta.verbose_name_plural, status)] += n

    def total(self, status: str) -> int:
        return sum(n for (_, s), n in self.counts.items() if s == status)

    @property
    def changed(self) -> bool:
        return bool(self.total("created") or self.total("updated") or self.total("deleted"))

    def lines(self) -> list[str]:
        names = sorted({name for name, _ in self.counts}, key=str)
        return [
            f"{name}: " + ", ".join(f"{s} {self.counts[(name, s)]}" for s in ("created", "updated", "deleted", "unchanged")
                                    if self.counts[(name, s)])
            for name in names
        ]


def upsert(model: type[models.Model], summary: LoadSummary, lookup: dict[str, Any], values: dict[str, Any],
           reason: str = "") -> models.Model:
    """Get the row matching ``lookup`` and bring it to ``values``; save only if something differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj._change_reason = reason  # read by django-simple-history
        obj.full_clean()
        obj.save()
        summary.add(model, "created")
        return obj
    dirty = [k for k, v in values.items() if getattr(obj, k) != v]
    if dirty:
        for k in dirty:
            setattr(obj, k, values[k])
        obj._change_reason = reason
        obj.full_clean()
        obj.save()
        summary.add(model, "updated")
    else:
        summary.add(model, "unchanged")
    return obj
