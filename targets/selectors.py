"""Reads of the targets engine that pages, the API and exports share."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from communities.models import Region
from reports.quarters import Quarter

from .models import Indicator, IndicatorValue, Snapshot


def snapshot_sources(*, snapshot: Snapshot, user) -> QuerySet[IndicatorValue]:
    """The approved values a snapshot was computed from, down to the unit and the person who
    submitted and approved each: a flow's whole window so far, otherwise the quarter itself."""
    indicator = snapshot.indicator
    values = IndicatorValue.objects.for_user(user).official().filter(indicator=indicator)
    if snapshot.region.level != Region.Level.CITY or indicator.kind == Indicator.Kind.CITY_ONLY:
        values = values.filter(region=snapshot.region)
    quarter = Quarter(snapshot.year, snapshot.quarter)
    if indicator.kind == Indicator.Kind.FLOW:
        start, end = snapshot_window(snapshot)
        first = Quarter.of_date(start)
        quarter = min(quarter, Quarter.of_date(end))  # after its window a flow counts nothing more
        values = values.filter(Q(year__gt=first.year) | Q(year=first.year, quarter__gte=first.number)).filter(
            Q(year__lt=quarter.year) | Q(year=quarter.year, quarter__lte=quarter.number))
    else:
        values = values.filter(year=quarter.year, quarter=quarter.number)
    return values.select_related("region", "component", "submitted_by", "approved_by").order_by(
        "region__code", "year", "quarter", "component__role")


def snapshot_window(snapshot: Snapshot):
    """The (start, end) dates a flow's snapshot accumulates over."""
    from .rollup import Context, window

    ctx = Context.load(snapshot.computed_at.date())
    quarter = Quarter(snapshot.year, snapshot.quarter)
    return window(snapshot.indicator, snapshot.target, ctx.governing_plan(quarter), quarter)
