"""Reads of the targets engine that pages, the API and exports share."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from communities.models import Region
from reports.quarters import Quarter

from .models import Indicator, IndicatorValue, QuotaSet, Snapshot, Target


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


@dataclass(frozen=True)
class QuotaCheck:
    """Whether a quota set adds up to its city target. Only amounts add up: a rate or a ceiling
    applies to each county as it stands, so there is nothing to sum."""

    applies: bool
    total: Decimal
    target: Decimal
    difference: Decimal  # total − target; negative: short of the target

    @property
    def adds_up(self) -> bool:
        return not self.applies or self.difference == 0


def quota_check(*, quota_set: QuotaSet) -> QuotaCheck:
    target = quota_set.target
    total = sum((q.value for q in quota_set.quotas.all()), Decimal(0))
    additive = target.indicator is not None and target.indicator.kind in (
        Indicator.Kind.FLOW, Indicator.Kind.STOCK, Indicator.Kind.DERIVED) and target.direction == "at_least" \
        and target.scope == Target.Scope.CITY
    return QuotaCheck(applies=additive, total=total, target=target.value, difference=total - target.value)
