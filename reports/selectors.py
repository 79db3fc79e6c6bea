"""Reads of quarterly reporting that pages share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from communities.models import Region
from targets.models import Indicator, IndicatorValue, Snapshot

from .models import CountyReturn, ReportingPeriod
from .quarters import Quarter
from .services import reported_indicators, return_values


def period_current(today: datetime.date) -> ReportingPeriod | None:
    """The period counties are working on: the last quarter that has ended, while its entry is
    open; otherwise the quarter in progress."""
    last = Quarter.of_date(today).previous()
    period = ReportingPeriod.objects.filter(year=last.year, quarter=last.number).first()
    if period and today <= period.locks_after:
        return period
    now = Quarter.of_date(today)
    return ReportingPeriod.objects.filter(year=now.year, quarter=now.number).first() or period


@dataclass
class ReturnRow:
    region: Region
    county_return: CountyReturn | None
    overdue: bool


def returns_board(*, user, period: ReportingPeriod, today: datetime.date) -> list[ReturnRow]:
    """Each county whose return the user may see, with its return for the period (or none yet)."""
    returns = {r.region_id: r for r in CountyReturn.objects.for_user(user).filter(period=period)
               .select_related("updated_by", "submitted_by")}
    rows = []
    for county in CountyReturn.objects.counties_for(user):
        r = returns.get(county.pk)
        submitted = r is not None and r.state not in (CountyReturn.State.DRAFT, CountyReturn.State.RETURNED)
        rows.append(ReturnRow(county, r, overdue=not submitted and today > period.due_on))
    return rows


@dataclass
class FormLine:
    indicator: Indicator
    components: list  # (component, current value row or None, last quarter's value)
    cumulative: object  # the approved cumulative to last quarter, for flows


def return_form(*, county_return: CountyReturn) -> list[FormLine]:
    """Each reported indicator with this quarter's figures, last quarter's, and the cumulative."""
    current = return_values(county_return)
    previous_q = county_return.period.as_quarter.previous()
    previous = {}
    for row in IndicatorValue.objects.filter(region=county_return.region, year=previous_q.year,
                                             quarter=previous_q.number).select_related("indicator", "component"):
        previous[(row.indicator.code, row.component.code)] = row.value
    cumulative = dict(Snapshot.objects.filter(region=county_return.region, year=previous_q.year,
                                              quarter=previous_q.number, indicator__kind=Indicator.Kind.FLOW)
                      .values_list("indicator__code", "value"))
    lines = []
    for indicator in reported_indicators():
        comps = [(c, current.get(indicator.code, {}).get(c.code), previous.get((indicator.code, c.code)))
                 for c in indicator.components.all()]
        lines.append(FormLine(indicator, comps, cumulative.get(indicator.code)))
    return lines

