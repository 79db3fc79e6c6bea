"""Reads of the division tree that pages share."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Q

from .models import Region


def region_children_with_counts(*, user, parent: Region | None):
    """The units directly under ``parent`` (the city's counties when None), each with how many
    towns, villages and communities it contains — one query however large the tree."""
    base = Region.objects.for_user(user)
    children = base.filter(parent=parent) if parent else base.filter(level=Region.Level.COUNTY)
    children = list(children.order_by("code"))
    if not children or children[0].level == Region.Level.VILLAGE:
        return [(c, {}) for c in children]
    key = "county_id" if children[0].level == Region.Level.COUNTY else "parent_id"
    rows = (
        base.filter(**{f"{key}__in": [c.pk for c in children]})
        .values(key)
        .annotate(
            towns=Count("pk", filter=Q(level=Region.Level.TOWN)),
            villages=Count("pk", filter=Q(kind=Region.Kind.VILLAGE)),
            communities=Count("pk", filter=Q(kind=Region.Kind.COMMUNITY)),
        )
    )
    counts = {r[key]: r for r in rows}
    return [(c, counts.get(c.pk, {})) for c in children]


def region_totals(*, user) -> dict[str, int]:
    return Region.objects.for_user(user).aggregate(
        counties=Count("pk", filter=Q(level=Region.Level.COUNTY)),
        towns=Count("pk", filter=Q(level=Region.Level.TOWN)),
        villages=Count("pk", filter=Q(kind=Region.Kind.VILLAGE)),
        communities=Count("pk", filter=Q(kind=Region.Kind.COMMUNITY)),
    )


@functools.lru_cache(maxsize=1)
def county_geojson() -> dict:
    """The counties' boundaries (schematic, static/geo/ankang_counties.geojson), embedded in the
    pages that draw the county map so the page needs no further request."""
    path = Path(settings.BASE_DIR) / "static" / "geo" / "ankang_counties.geojson"
    return json.loads(path.read_text(encoding="utf-8"))
