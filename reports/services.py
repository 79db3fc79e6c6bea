"""Writes of quarterly reporting: periods, exceptions and the counties' returns.

Every change to a return checks the version the user saw (a stale save is refused, naming who
changed it and when), who the user is, the return's state and whether its period is open; a save
or a submission applies whole or not at all.
"""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import is_city_admin
from ankang_jobs.loading import LoadSummary
from communities.models import Region
from targets.models import Indicator, IndicatorComponent, IndicatorValue
from targets.services import value_record, values_approve

from .models import CountyReturn, PeriodException, ReportingPeriod
from .quarters import Quarter

WARNING_MEDIAN_FACTOR = Decimal(3)  # a value above 3× the county's own median needs a comment


class Conflict(ValidationError):
    """Someone else changed the record since the user loaded it."""


def _refuse(message: str, **params) -> None:
    raise ValidationError(message % params if params else message)


# ---------------------------------------------------------------- periods


@transaction.atomic
def periods_generate(*, start: datetime.date, end: datetime.date) -> LoadSummary:
    """Create the reporting periods for every quarter from ``start`` to ``end``. Existing periods
    keep their dates (they have been announced); only missing ones are created."""
    summary = LoadSummary()
    existing = set(ReportingPeriod.objects.values_list("year", "quarter"))
    for q in Quarter.between(start, end):
        if (q.year, q.number) in existing:
            summary.add(ReportingPeriod, "unchanged")
            continue
        ReportingPeriod.objects.create(
            year=q.year, quarter=q.number, due_on=q.end + datetime.timedelta(days=settings.REPORT_DUE_DAYS),
            locks_after=q.end + datetime.timedelta(days=settings.REPORT_ENTRY_WINDOW_DAYS))
        summary.add(ReportingPeriod, "created")
    return summary


def period_is_open_for(*, period: ReportingPeriod, region: Region, today: datetime.date) -> bool:
    if period.is_open_on(today):
        return True
    return PeriodException.objects.filter(period=period, region=region, open_until__gte=today).exists()


@transaction.atomic
def period_exception_open(*, period: ReportingPeriod, region: Region, open_until: datetime.date, reason: str,
                          user) -> PeriodException:
    """Reopen one period for one county (the city administrator only, with a reason)."""
    if not is_city_admin(user):
        raise PermissionDenied
    if region.level != Region.Level.COUNTY:
        _refuse(_("Exceptions are opened for a county."))
    if not reason.strip():
        _refuse(_("An exception needs a reason."))
    exception = PeriodException(period=period, region=region, open_until=open_until, reason=reason.strip(),
                                opened_by=user)
    exception.full_clean()
    exception.save()
    return exception


# ---------------------------------------------------------------- county returns


def reported_indicators():
    """The indicators every county reports in its return, in catalogue order."""
    return (Indicator.objects.filter(reported_by=Indicator.ReportedBy.COUNTY)
            .prefetch_related("components").order_by("order"))


def return_values(county_return: CountyReturn) -> dict[str, dict[str, IndicatorValue]]:
    """The return's figures: indicator code → component code → value row."""
    out: dict[str, dict[str, IndicatorValue]] = {}
    rows = IndicatorValue.objects.filter(
        region=county_return.region, year=county_return.period.year, quarter=county_return.period.quarter,
        indicator__reported_by=Indicator.ReportedBy.COUNTY).select_related("indicator", "component")
    for row in rows:
        out.setdefault(row.indicator.code, {})[row.component.code] = row
    return out


@transaction.atomic
def county_return_open(*, region: Region, period: ReportingPeriod, user) -> CountyReturn:
    """The county's return for the period, created on first use by the county's own officer."""
    existing = CountyReturn.objects.filter(region=region, period=period).first()
    if existing:
        return existing
    _require_county_officer(user, region)
    return CountyReturn.objects.create(region=region, period=period, updated_by=user, updated_at=timezone.now())


def _require_county_officer(user, region: Region) -> None:
    if not (user.is_authenticated and user.has_role(Role.COUNTY_OFFICER) and user.region_id == region.pk):
        raise PermissionDenied


def _lock(county_return: CountyReturn, version: int) -> CountyReturn:
    """Re-read the return under a row lock and refuse a stale version, naming who changed it."""
    fresh = CountyReturn.objects.select_for_update(of=("self",)).select_related("updated_by", "region", "period").get(
        pk=county_return.pk)
    if fresh.version != version:
        who = fresh.updated_by.full_name or fresh.updated_by.username if fresh.updated_by else _("someone")
        when = timezone.localtime(fresh.updated_at).strftime("%Y-%m-%d %H:%M") if fresh.updated_at else ""
        raise Conflict(_("This return was changed by %(who)s at %(when)s after you opened it. Reload it to see "
                         "their changes; yours were not saved.") % {"who": who, "when": when})
    return fresh


def _require_open(county_return: CountyReturn, today: datetime.date) -> None:
    if not period_is_open_for(period=county_return.period, region=county_return.region, today=today):
        _refuse(_("Entry for %(period)s closed after %(day)s; ask the city administrator for an exception or "
                  "request a correction."), period=county_return.period.label,
                day=county_return.period.locks_after.isoformat())


def _touch(county_return: CountyReturn, user) -> None:
    county_return.version += 1
    county_return.updated_by, county_return.updated_at = user, timezone.now()
    county_return.save()


@transaction.atomic
def county_return_save(*, county_return: CountyReturn, figures: dict[str, dict[str, object]], version: int, user,
                       today: datetime.date | None = None) -> CountyReturn:
    """Save figures as a draft. Blank indicators are allowed (a half-filled form is a draft); an
    indicator filled in part, or breaking a rule, refuses the whole save with a message per figure."""
    today = today or timezone.localdate()
    _require_county_officer(user, county_return.region)
    county_return = _lock(county_return, version)
    if not county_return.is_editable_state:
        _refuse(_("A %(state)s return cannot be changed."), state=county_return.get_state_display())
    _require_open(county_return, today)
    indicators = {i.code: i for i in reported_indicators()}
    existing = return_values(county_return)
    errors: dict[str, list[str]] = {}
    quarter = county_return.period.as_quarter
    for code, components in figures.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors.setdefault("__all__", []).append(_("%(code)s is not in a county return.") % {"code": code})
            continue
        filled = {k: v for k, v in components.items() if v not in (None, "")}
        if not filled:
            IndicatorValue.objects.filter(pk__in=[v.pk for v in existing.get(code, {}).values()]).delete()
            continue
        try:
            with transaction.atomic():
                value_record(indicator=indicator, region=county_return.region, quarter=quarter, components=filled,
                             user=user, source=IndicatorValue.Source.FORM, source_ref=county_return.source_ref)
        except ValidationError as exc:
            errors[code] = exc.messages
    if errors:
        raise ValidationError(errors)
    _touch(county_return, user)
    return county_return


def county_return_warnings(county_return: CountyReturn) -> list[str]:
    """Soft rules: figures that are allowed but need the county's explanation before submission."""
    warnings = []
    values = return_values(county_return)
    period = county_return.period
    history: dict[tuple[int, int], list[Decimal]] = {}
    for indicator_id, component_id, value in IndicatorValue.objects.filter(
            region=county_return.region, status=IndicatorValue.Status.APPROVED).exclude(
            year=period.year, quarter=period.quarter).values_list("indicator_id", "component_id", "value"):
        history.setdefault((indicator_id, component_id), []).append(value)
    for components in values.values():
        indicator = next(iter(components.values())).indicator
        if indicator.kind == Indicator.Kind.RATIO and (indicator.usual_low is not None or indicator.usual_high is not None):
            by_role = {v.component.role: v.value for v in components.values()}
            num, den = by_role.get(IndicatorComponent.Role.NUMERATOR), by_role.get(IndicatorComponent.Role.DENOMINATOR)
            if num is not None and den:
                rate = num / den * indicator.scale
                low, high = indicator.usual_low, indicator.usual_high
                if (low is not None and rate < low) or (high is not None and rate > high):
                    warnings.append(_("%(name)s: %(rate)s%% is outside the usual range %(low)s–%(high)s%%.") % {
                        "name": indicator.name, "rate": f"{rate:.2f}", "low": low, "high": high})
        for row in components.values():
            past = history.get((row.indicator_id, row.component_id), [])
            if len(past) >= 3:
                median = Decimal(statistics.median(past))
                if median > 0 and row.value > WARNING_MEDIAN_FACTOR * median:
                    warnings.append(_("%(name)s (%(component)s): %(value)s is more than three times this county's "
                                      "median of %(median)s.") % {"name": indicator.name, "component": row.component.name,
                                                                   "value": f"{row.value:,.0f}", "median": f"{median:,.0f}"})
    return warnings


@transaction.atomic
def county_return_submit(*, county_return: CountyReturn, version: int, user, explanation: str = "",
                         today: datetime.date | None = None) -> CountyReturn:
    """Submit for review: complete (every indicator, every figure) or refused whole; warnings need
    an explanation."""
    today = today or timezone.localdate()
    _require_county_officer(user, county_return.region)
    county_return = _lock(county_return, version)
    if not county_return.is_editable_state:
        _refuse(_("A %(state)s return cannot be submitted."), state=county_return.get_state_display())
    _require_open(county_return, today)
    values = return_values(county_return)
    missing = [i.name for i in reported_indicators()
               if set(values.get(i.code, {})) != {c.code for c in i.components.all()}]
    if missing:
        _refuse(_("The return is incomplete: %(names)s."), names="、".join(missing))
    warnings = county_return_warnings(county_return)
    if warnings and not explanation.strip():
        raise ValidationError([_("Explain these before submitting:")] + warnings)
    now = timezone.now()
    IndicatorValue.objects.filter(pk__in=[v.pk for c in values.values() for v in c.values()]).update(
        status=IndicatorValue.Status.SUBMITTED, submitted_by=user, submitted_at=now)
    was_returned = county_return.state == CountyReturn.State.RETURNED
    county_return.state = CountyReturn.State.RESUBMITTED if was_returned else CountyReturn.State.SUBMITTED
    county_return.explanation = explanation.strip()
    county_return.submitted_by, county_return.submitted_at = user, now
    _touch(county_return, user)
    return county_return


def _require_reviewable(county_return: CountyReturn, reviewer) -> None:
    if not is_city_admin(reviewer):
        raise PermissionDenied
    if county_return.state not in (CountyReturn.State.SUBMITTED, CountyReturn.State.RESUBMITTED):
        _refuse(_("Only a submitted return can be reviewed (this one is %(state)s)."),
                state=county_return.get_state_display())


@transaction.atomic
def county_return_approve(*, county_return: CountyReturn, version: int, reviewer) -> CountyReturn:
    """Approve: the figures become official and are rolled up (after the commit)."""
    county_return = _lock(county_return, version)
    _require_reviewable(county_return, reviewer)
    rows = [v for c in return_values(county_return).values() for v in c.values()]
    values_approve(values=rows, approver=reviewer)
    county_return.state = CountyReturn.State.APPROVED
    county_return.reviewed_by, county_return.reviewed_at, county_return.review_comment = reviewer, timezone.now(), ""
    _touch(county_return, reviewer)
    return county_return


@transaction.atomic
def county_return_send_back(*, county_return: CountyReturn, version: int, reviewer, comment: str) -> CountyReturn:
    """Return to the county with a comment saying what to fix (the comment is required)."""
    county_return = _lock(county_return, version)
    _require_reviewable(county_return, reviewer)
    if not comment.strip():
        _refuse(_("Say what needs fixing: a returned report needs a comment."))
    IndicatorValue.objects.filter(pk__in=[v.pk for c in return_values(county_return).values() for v in c.values()]
                                  ).update(status=IndicatorValue.Status.RETURNED)
    county_return.state = CountyReturn.State.RETURNED
    county_return.reviewed_by, county_return.reviewed_at = reviewer, timezone.now()
    county_return.review_comment = comment.strip()
    _touch(county_return, reviewer)
    return county_return
