"""Derived indicators are counted from records kept by the app that owns them (the four tiers of
certified villages and communities are counted by the certification app). That app registers a
source here when it starts; the targets engine, its pages and its drill-through ask the source
and never import the app above them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

Key = tuple[int, int]  # (year, quarter)


@dataclass(frozen=True)
class DerivedSource:
    # (*, quarters) → {region_id: {(year, quarter): count}}: the counts at each quarter's end
    counts: Callable[..., dict[int, dict[Key, Decimal]]]
    # (*, region, day, user) → the records behind one count, for the drill-through page
    records: Callable[..., Any]
    # () → how the count is counted, in the user's language, shown beside every such count
    note: Callable[[], str]
    # what ``records`` lists, for the drill-through page: "certifications" or "brands"
    records_kind: str = "certifications"


# indicator code → its source. An indicator without a source is not rolled up.
DERIVED_SOURCES: dict[str, DerivedSource] = {}


def derived_counting_note(indicator_code: str | None = None) -> str:
    """How a derived count is counted: one indicator's note, or (no code) the notes of every
    registered source, each once."""
    if indicator_code is not None:
        source = DERIVED_SOURCES.get(indicator_code)
        return source.note() if source else ""
    return " ".join(dict.fromkeys(source.note() for source in DERIVED_SOURCES.values()))


def derived_records(*, indicator_code: str, region, day, user):
    return DERIVED_SOURCES[indicator_code].records(region=region, day=day, user=user)


def derived_records_kind(indicator_code: str) -> str:
    source = DERIVED_SOURCES.get(indicator_code)
    return source.records_kind if source else "certifications"

