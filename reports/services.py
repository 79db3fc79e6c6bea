"""Writes of quarterly reporting: periods, exceptions and the counties' returns.

Every change to a return checks the version the user saw (a stale save is refused, naming who
changed it and when), who the user is, the return's state and whether its period is open; a save
or a submission applies whole or not at all.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import is_city_admin
from audit.services import audit_deferred, record_touch_audited
from divisions.models import Region
from kernel.dates import date_text, quarter_text
from kernel.loading import LoadSummary
from kernel.numbers import figure
from kernel.quarters import Quarter
from kernel.refusals import Locked, refuse
from kernel.security_log import security_event_on_commit
from kernel.sms import MOBILE_RE
from kernel.uploads import evidence_upload_check
from kernel.versioning import record_touch, refuse_if_stale
from targets.models import Indicator, IndicatorComponent, IndicatorValue
from targets.selectors import RuleCatalogue, rule_catalogue
from targets.services import (
    figures_validate,
    rollups_enqueue,
    values_approve,
    values_bulk_record,
    values_send_back,
    values_submit,
    values_withdraw,
)
from tasks.models import Department, TaskMeasure

from . import access
from .models import (
    CHOOSABLE_KINDS,
    Correction,
    CorrectionItem,
    CountyReturn,
    Evidence,
    ExtensionRequest,
    Instruction,
    InstructionUnit,
    Notification,
    NotificationPreference,
    PeriodException,
    ReportingPeriod,
    ReviewState,
    ReviewStep,
    TaskMeasureFigure,
    TaskReport,
    TaskReportPart,
)
from .notifications import city_admins, notify, officers_of
from .signals import return_reviewed

WARNING_MEDIAN_FACTOR = Decimal(3)  # a value above 3× the county's own median needs a comment
EXTENSION_EXCEPTION_PREFIX = "延期申请："  # an approved extension's exception: this, then the request's reason


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


def period_is_open_for(*, period: ReportingPeriod, today: datetime.date, region: Region | None = None,
                       department=None) -> bool:
    """Open in its entry window, or for one unit (a county or a department) by an exception."""
    if period.is_open_on(today):
        return True
    unit = {"region": region} if region is not None else {"department": department}
    return PeriodException.objects.filter(period=period, open_until__gte=today, **unit).exists()


@transaction.atomic
def period_exception_open(*, period: ReportingPeriod, open_until: datetime.date, reason: str, user,
                          region: Region | None = None, department=None) -> PeriodException:
    """Reopen one period for one unit (the city administrator only, with a reason)."""
    if not is_city_admin(user):
        raise PermissionDenied
    if (region is None) == (department is None):
        refuse(_("An exception is opened for one county or one department."))
    if region is not None and region.level not in (Region.Level.COUNTY, Region.Level.CITY):
        refuse(_("Exceptions are opened for a county or the city's own return."))
    if not reason.strip():
        refuse(_("An exception needs a reason."))
    exception = PeriodException(period=period, region=region, department=department, open_until=open_until,
                                reason=reason.strip(), opened_by=user)
    exception.full_clean()
    exception.save()
    return exception


@transaction.atomic
def period_open_early(*, period: ReportingPeriod, reason: str, user) -> ReportingPeriod:
    """Open a quarter for entry before it ends, for every unit (the city administrator only, with a
    reason; recorded on the period and audited through its history)."""
    if not is_city_admin(user):
        raise PermissionDenied
    if not reason.strip():
        refuse(_("Opening a period early needs a reason."))
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.opened_early:
        refuse(_("%(period)s was already opened early."), period=quarter_text(period))
    period.opened_early_by, period.opened_early_at = user, timezone.now()
    period.opened_early_reason = reason.strip()
    period.full_clean()
    period.save()
    return period


# ---------------------------------------------------------------- county returns


def reported_by(region: Region | None) -> str:
    """Who reports the indicators of ``region``'s return: the city's own return holds the
    indicators the city reports (city-only figures), a county's those the counties report."""
    if region is not None and region.level == Region.Level.CITY:
        return Indicator.ReportedBy.CITY
    return Indicator.ReportedBy.COUNTY


def reported_indicators(region: Region | None = None):
    """The indicators ``region`` reports in its return (a county by default), in catalogue order."""
    return (Indicator.objects.filter(reported_by=reported_by(region))
            .prefetch_related("components").order_by("order"))


def return_catalogue(region: Region) -> RuleCatalogue:
    """The rule catalogue of ``region``'s return (see reported_by)."""
    return rule_catalogue(reported_by=reported_by(region))


def return_values(county_return: CountyReturn) -> dict[str, dict[str, IndicatorValue]]:
    """The return's figures: indicator code → component code → value row."""
    out: dict[str, dict[str, IndicatorValue]] = {}
    rows = IndicatorValue.objects.filter(
        region=county_return.region, year=county_return.period.year, quarter=county_return.period.quarter,
        indicator__reported_by=reported_by(county_return.region)).select_related("indicator", "component")
    for row in rows:
        out.setdefault(row.indicator.code, {})[row.component.code] = row
    return out


@transaction.atomic
def county_return_open(*, region: Region, period: ReportingPeriod, user) -> CountyReturn:
    """The unit's return for the period, created on first use by the unit's own officer (a county's
    officer, or the city's statistics officer for the city's return). The callers (the form, the
    import, the API) run it in the request's transaction with the save, so a save refused for a
    closed or not-yet-open period leaves no empty return behind."""
    existing = CountyReturn.objects.filter(region=region, period=period).first()
    if existing:
        return existing
    _require_county_officer(user, region)
    return CountyReturn.objects.create(region=region, period=period, updated_by=user, updated_at=timezone.now())


def not_in_return_message(code: str, region: Region) -> str:
    """Why a figure's code is refused in ``region``'s return (forms, imports and the API say the same)."""
    if region.level == Region.Level.CITY:
        return _("%(code)s is not in the city's return (the city reports only its own figures).") % {"code": code}
    return _("%(code)s is not in a county return.") % {"code": code}


def _require_county_officer(user, region: Region) -> None:
    if not access.fills_in_return(user, region):
        raise PermissionDenied


def _lock(record, version: int):
    """Re-read a versioned record (a return, a report, a part) under a row lock and refuse a stale
    version, naming who changed it and when."""
    fresh = type(record).objects.select_for_update(of=("self",)).select_related("updated_by", "period").get(
        pk=record.pk)
    refuse_if_stale(fresh, version)
    for field in type(record)._meta.concrete_fields:  # the units it belongs to, as the caller read them
        if (field.many_to_one and field.is_cached(record) and not field.is_cached(fresh)
                and getattr(fresh, field.attname) == getattr(record, field.attname)):
            field.set_cached_value(fresh, field.get_cached_value(record))
    return fresh


def period_closed_message(period: ReportingPeriod, today: datetime.date | None = None) -> str:
    """Why a period's entry window refuses a save (forms, the API and imports say the same): a
    period still ahead says when it opens, not that it closed."""
    today = today or timezone.localdate()
    if period.is_not_yet_open_on(today):
        return _("%(period)s opens for entry on %(day)s.") % {
            "period": quarter_text(period), "day": date_text(period.opens_on)}
    return _("Entry for %(period)s closed after %(day)s; ask the city administrator for an exception or "
             "request a correction.") % {"period": quarter_text(period), "day": date_text(period.locks_after)}


def period_entry_check(*, period: ReportingPeriod, today: datetime.date, region: Region | None = None,
                       department=None) -> None:
    """Refuse (Locked) entry for a period closed, or not yet open, to the unit: the one check the
    forms, the imports and the API (its dry run too) make before anything is written."""
    if not period_is_open_for(period=period, today=today, region=region, department=department):
        raise Locked(period_closed_message(period, today))


def _require_open(period: ReportingPeriod, today: datetime.date, **unit) -> None:
    period_entry_check(period=period, today=today, **unit)


@transaction.atomic
def county_return_save(*, county_return: CountyReturn, figures: dict[str, dict[str, object]], version: int, user,
                       today: datetime.date | None = None, source: str = IndicatorValue.Source.FORM,
                       source_ref: str = "", catalogue: RuleCatalogue | None = None, reason: str = "") -> CountyReturn:
    """Save figures as a draft. Blank indicators are allowed (a half-filled form is a draft); an
    indicator filled in part, or breaking a rule, refuses the whole save with a message per figure.
    ``source``/``source_ref`` say where the figures came from (an import names its batch);
    ``catalogue``: the county-reported indicators if the caller has read them already."""
    today = today or timezone.localdate()
    _require_county_officer(user, county_return.region)
    county_return = _lock(county_return, version)
    if not county_return.is_editable_state:
        raise Locked(_("A %(state)s return cannot be changed.") % {"state": county_return.get_state_display()})
    _require_open(county_return.period, today, region=county_return.region)
    catalogue = catalogue or return_catalogue(county_return.region)
    reported = catalogue.indicators
    unknown = [code for code in figures if code not in reported]
    if unknown:
        raise ValidationError({"__all__": [not_in_return_message(code, county_return.region) for code in unknown]})
    # the preview's figures (CheckedFigures), checked by the same rules a moment ago: not read nor checked again
    checked = figures.checked_for(county_return) if isinstance(figures, CheckedFigures) else None
    to_save, cleared, unreadable = checked or {}, [], {}
    if checked is None:
        for code, components in figures.items():
            filled = {k: v for k, v in components.items() if v not in (None, "")}
            if filled:
                to_save[code] = filled
            else:
                cleared.append(code)
        to_save, unreadable = _figures_read(to_save)
    if unreadable:  # every error at once: the other indicators' hard rules too, and nothing written
        for code, components in to_save.items():
            try:
                figures_validate(indicator=reported[code], region=county_return.region, components=components,
                                 expected={c: role for c, (_pk, role) in catalogue.components[code].items()},
                                 counts=catalogue.counts.get(code, {}))
            except ValidationError as exc:
                unreadable[code] = exc.messages
        raise ValidationError(unreadable)
    # The save's audit events (the figures', the return's) are chained together at the end: the
    # chain head, which every audited write in the platform waits for, is held from there to the
    # commit rather than from the first figure written (audit.services.audit_deferred).
    with audit_deferred():
        if cleared:  # a cleared indicator: its draft figures go
            existing = return_values(county_return)
            for code in cleared:
                for row in existing.get(code, {}).values():
                    row._change_reason = f"{county_return.source_ref} cleared"
                    row.delete()
        values_bulk_record(region=county_return.region, quarter=county_return.period.as_quarter, figures=to_save,
                           user=user, source=source, source_ref=source_ref or county_return.source_ref,
                           catalogue=catalogue, checked=checked is not None)
        if reason:  # the audit trail says why (an autosave: AUTOSAVE_REASON)
            county_return._change_reason = reason
        # the return itself is only counted: its figures are the values' rows (re-read under the
        # lock above, nothing else of it changed), and no dashboard shows its version (dashboards/apps.py)
        record_touch_audited(county_return, user)
    return county_return


class CheckedFigures(dict):
    """``ReturnPreview.figures()``: what to give ``county_return_save`` (indicator → component →
    figure as text, each indicator complete), remembering that the preview checked these very
    figures with ``figures_validate`` for its unit and period, and their Decimals; the save then
    skips reading and checking them again (``checked_for``)."""

    def __init__(self, text: dict[str, dict[str, str]], *, validated: dict[str, dict[str, Decimal]], region_id: int,
                 period_id: int):
        super().__init__(text)
        self.validated, self.region_id, self.period_id = validated, region_id, period_id

    def checked_for(self, county_return: CountyReturn) -> dict[str, dict[str, Decimal]] | None:
        """The checked Decimals, if these are still the figures checked (as text: nobody changed
        the dict since) and ``county_return`` is the preview's unit and period; else None."""
        if (county_return.region_id, county_return.period_id) != (self.region_id, self.period_id):
            return None
        if {code: {c: str(v) for c, v in values.items()} for code, values in self.validated.items()} != dict(self):
            return None
        return self.validated


@dataclass
class ReturnPreview:
    """What ``county_return_save`` would make of figures given for a county's return, unwritten:
    the one dry run behind the API's ``dry_run`` and the county return import's preview."""

    current: dict[str, dict[str, Decimal]]  # the return's figures now: indicator → component → value
    merged: dict[str, dict[str, object]]  # per indicator given: the return's figures with the given ones over them
    refused: dict[str, list[str]]  # per indicator whose figures break a rule (figures_validate): why
    validated: dict[str, dict[str, Decimal]]  # per accepted indicator: its figures as they would be saved
    outcomes: dict[str, dict[str, str]]  # per accepted indicator, per figure given: created, updated or unchanged
    region_id: int | None = None
    period_id: int | None = None

    def figures(self, codes=None) -> dict[str, dict[str, str]]:
        """What to give ``county_return_save``: each accepted indicator (or those of ``codes``)
        complete, as text (``CheckedFigures``: the save need not check them again)."""
        codes = list(self.validated if codes is None else codes)
        text = {code: {c: str(v) for c, v in self.merged[code].items()} for code in codes}
        if self.region_id is None or any(code not in self.validated for code in codes):
            return text
        return CheckedFigures(text, validated={code: self.validated[code] for code in codes},
                              region_id=self.region_id, period_id=self.period_id)


def county_return_preview(*, region: Region, period: ReportingPeriod, county_return: CountyReturn | None,
                          figures: dict[str, dict[str, object]],
                          catalogue: RuleCatalogue | None = None) -> ReturnPreview:
    """Check figures given for ``region``'s return of ``period`` (``county_return``: the return, or
    None if it has not been opened) as a save would, without writing: each indicator given is
    completed with the figures the return already has and checked by ``figures_validate``; each
    figure given is created, updated or unchanged. ``figures``: indicator code → component code →
    value, every code one the catalogue (``catalogue``, the county-reported indicators by default)
    has; the faces check codes, duplicates and the county first, each with its own messages."""
    catalogue = catalogue or return_catalogue(region)
    current: dict[str, dict[str, Decimal]] = {}
    if county_return is not None:  # as tuples: 10,000 model instances cost more than the push
        for code, component, value in IndicatorValue.objects.filter(
                region=region, year=period.year, quarter=period.quarter,
                indicator__reported_by=reported_by(region)).order_by().values_list(
                "indicator__code", "component__code", "value"):
            current.setdefault(code, {})[component] = value
    preview = ReturnPreview(current=current, merged={}, refused={}, validated={}, outcomes={}, region_id=region.pk,
                            period_id=period.pk)
    registry: dict[str, int] = {}
    for code, given in figures.items():
        merged = preview.merged[code] = {**current.get(code, {}), **given}
        try:
            validated = figures_validate(indicator=catalogue.indicators[code], region=region, components=merged,
                                         expected={c: role for c, (_pk, role) in catalogue.components[code].items()},
                                         counts=catalogue.counts.get(code, {}), registry=registry)
        except ValidationError as exc:
            preview.refused[code] = exc.messages
            continue
        preview.validated[code] = validated
        old = current.get(code, {})
        preview.outcomes[code] = {c: "created" if old.get(c) is None else "unchanged" if old[c] == validated[c]
                                  else "updated" for c in given}
    return preview


def _figures_read(figures: dict[str, dict[str, object]]) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    """Every figure read by the platform's number rule (kernel.numbers): the indicators whose
    figures all read, and the refusals of the others, per indicator (the shape the return's page
    and imports show), each naming the indicator and its component as the county knows them,
    never by code. The hard rules (targets.services.figures_validate) follow."""
    if not figures:
        return figures, {}
    names = {(code, component): f"{indicator}（{name}）" for code, component, indicator, name in
             IndicatorComponent.objects.filter(indicator__code__in=list(figures)).values_list(
                 "indicator__code", "code", "indicator__name", "name")}
    errors: dict[str, list[str]] = {}
    read: dict[str, dict[str, str]] = {}
    for code, components in figures.items():
        for component, raw in components.items():
            try:
                read.setdefault(code, {})[component] = str(figure(raw, label=names.get((code, component), code)))
            except ValidationError as exc:
                errors.setdefault(code, []).extend(exc.messages)
    return {code: values for code, values in read.items() if code not in errors}, errors


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
        raise Locked(_("A %(state)s return cannot be submitted.") % {"state": county_return.get_state_display()})
    _require_open(county_return.period, today, region=county_return.region)
    values = return_values(county_return)
    missing = [i.name for i in reported_indicators(county_return.region)
               if set(values.get(i.code, {})) != {c.code for c in i.components.all()}]
    if missing:
        refuse(_("The return is incomplete: %(names)s."), names="、".join(missing))
    warnings = county_return_warnings(county_return)
    if warnings and not explanation.strip():
        raise ValidationError([_("Explain these before submitting:")] + warnings)
    now = timezone.now()
    values_submit(values=[row for components in values.values() for row in components.values()], user=user,
                  reason=f"{county_return.source_ref} submitted", when=now)
    was_returned = county_return.state == CountyReturn.State.RETURNED
    county_return.state = CountyReturn.State.RESUBMITTED if was_returned else CountyReturn.State.SUBMITTED
    county_return.explanation = explanation.strip()
    county_return.submitted_by, county_return.submitted_at = user, now
    county_return.first_submitted_at = county_return.first_submitted_at or now
    record_touch(county_return, user)
    review_step(county_return, ReviewStep.Action.RESUBMITTED if was_returned else ReviewStep.Action.SUBMITTED, user,
                comment=county_return.explanation, at=now)
    return county_return


def _require_reviewable(record, reviewer) -> None:
    """The office reviews returns and task reports once they are submitted (or resubmitted)."""
    if not access.reviews_reporting(reviewer):
        raise PermissionDenied
    if record.state not in (ReviewState.SUBMITTED, ReviewState.RESUBMITTED):
        refuse(_("Only a submitted report can be reviewed (this one is %(state)s)."), state=record.get_state_display())


@transaction.atomic
def county_return_approve(*, county_return: CountyReturn, version: int, reviewer) -> CountyReturn:
    """Approve: the figures become official and are rolled up (after the commit)."""
    county_return = _lock(county_return, version)
    _require_reviewable(county_return, reviewer)
    rows = [v for c in return_values(county_return).values() for v in c.values()]
    values_approve(values=rows, approver=reviewer)
    county_return.state = CountyReturn.State.APPROVED
    county_return.reviewed_by, county_return.reviewed_at, county_return.review_comment = reviewer, timezone.now(), ""
    record_touch(county_return, reviewer)
    review_step(county_return, ReviewStep.Action.APPROVED, reviewer, at=county_return.reviewed_at)
    _tell_county(county_return, Notification.Kind.APPROVED, "已审核通过")
    security_event_on_commit("approval", user=reviewer, subject="county_return", subject_id=county_return.pk)
    return_reviewed.send(sender=CountyReturn, county_return=county_return, event="approved", detail={})
    return county_return


def _tell_county(county_return: CountyReturn, kind: str, what: str) -> None:
    from .notifications import notify, officers_of

    notify(users=officers_of(region=county_return.region), kind=kind,
           key=f"{kind}:return:{county_return.pk}:v{county_return.version}",
           title=f"{county_return.region.name}{quarter_text(county_return.period)}季度报表{what}",
           body=county_return.review_comment,
           link=reverse("reports:county-return", args=[county_return.region.code, county_return.period.label]))


def _tell_lead(report: TaskReport, kind: str, what: str) -> None:
    from .notifications import notify, officers_of

    notify(users=officers_of(department=_lead_of(report.task)), kind=kind, key=f"{kind}:task_report:{report.pk}:v{report.version}",
           title=f"第{report.task.number}项任务{quarter_text(report.period)}进展报告{what}", body=report.review_comment,
           link=reverse("reports:task-report", args=[report.task.number, report.period.label]))


@transaction.atomic
def county_return_send_back(*, county_return: CountyReturn, version: int, reviewer, comment: str) -> CountyReturn:
    """Return to the county with a comment saying what to fix (the comment is required)."""
    county_return = _lock(county_return, version)
    _require_reviewable(county_return, reviewer)
    if not comment.strip():
        refuse(_("Say what needs fixing: a returned report needs a comment."))
    values_send_back(values=[row for components in return_values(county_return).values()
                             for row in components.values()],
                     reason=f"{county_return.source_ref} returned: {comment.strip()[:150]}")
    county_return.state = CountyReturn.State.RETURNED
    county_return.reviewed_by, county_return.reviewed_at = reviewer, timezone.now()
    county_return.review_comment = comment.strip()
    record_touch(county_return, reviewer)
    review_step(county_return, ReviewStep.Action.RETURNED, reviewer, comment=county_return.review_comment,
                at=county_return.reviewed_at)
    _tell_county(county_return, Notification.Kind.RETURNED, "被退回")
    return_reviewed.send(sender=CountyReturn, county_return=county_return, event="returned",
                         detail={"comment": county_return.review_comment})
    return county_return


# ---------------------------------------------------------------- department task reports

AUTOSAVE_REASON = "自动保存"  # the audit trail's reason for a draft saved while the user typed (the pages' autosave)
REPORT_FIELDS = ("measures", "progress", "problems", "next_steps", "self_status")
REQUIRED_TO_SUBMIT = ("measures", "progress", "self_status")


def _require_department_officer(user, department) -> None:
    if not access.writes_for_department(user, department):
        raise PermissionDenied


def _lead_of(task):
    return task.responsibilities.select_related("department").get(role="lead").department


def _set_fields(record, fields: dict[str, str]) -> None:
    for name in REPORT_FIELDS:
        if name in fields:
            setattr(record, name, (fields[name] or "").strip())
    record.full_clean(exclude=["task", "department", "period", "updated_by", "submitted_by", "reviewed_by"])


def _require_complete(record) -> None:
    missing = [str(record._meta.get_field(f).verbose_name) for f in REQUIRED_TO_SUBMIT if not getattr(record, f)]
    if missing:
        refuse(_("Fill in before submitting: %(fields)s."), fields="、".join(missing))


@transaction.atomic
def task_part_open(*, task, department, period: ReportingPeriod, user) -> TaskReportPart:
    """A co-responsible department's part for the quarter, started by that department (in the
    caller's transaction with its save: a refused save leaves no empty part)."""
    existing = TaskReportPart.objects.filter(task=task, department=department, period=period).first()
    if existing:
        return existing
    _require_department_officer(user, department)
    if not task.responsibilities.filter(department=department, role="co").exists():
        refuse(_("%(department)s is not a co-responsible unit of task %(number)s."), department=department.name,
                number=task.number)
    return TaskReportPart.objects.create(task=task, department=department, period=period, updated_by=user,
                                         updated_at=timezone.now(), filed_by_department=_on_behalf(user, department))


def _on_behalf(user, department):
    """The member that files a group's part (shown beside it), or None for a department's own."""
    return user.department if department.kind == Department.Kind.GROUP else None


@transaction.atomic
def task_part_save(*, part: TaskReportPart, fields: dict[str, str], version: int, user,
                   today: datetime.date | None = None, figures: dict[str, object] | None = None,
                   reason: str = "") -> TaskReportPart:
    """Save a part as a draft: its text and (``figures``: measure code → value, "" to clear) its
    task measures' figures, validated whole."""
    _require_department_officer(user, part.department)
    part = _lock(part, version)
    if part.state != TaskReportPart.State.DRAFT:
        refuse(_("A %(state)s part cannot be changed."), state=part.get_state_display())
    _require_open(part.period, today or timezone.localdate(), department=part.department)
    _set_fields(part, fields)
    if figures:
        _figures_save(record=part, task=part.task, department=part.department, period=part.period, figures=figures,
                      user=user)
    if part.department.kind == Department.Kind.GROUP:
        part.filed_by_department = _on_behalf(user, part.department)
    if reason:
        part._change_reason = reason
    record_touch(part, user)
    return part


@transaction.atomic
def task_part_submit(*, part: TaskReportPart, version: int, user, today: datetime.date | None = None) -> TaskReportPart:
    """Send the part to the lead department."""
    _require_department_officer(user, part.department)
    part = _lock(part, version)
    if part.state != TaskReportPart.State.DRAFT:
        refuse(_("A %(state)s part cannot be submitted."), state=part.get_state_display())
    _require_open(part.period, today or timezone.localdate(), department=part.department)
    _require_complete(part)
    part.state, part.submitted_by, part.submitted_at = TaskReportPart.State.SUBMITTED, user, timezone.now()
    part.first_submitted_at = part.first_submitted_at or part.submitted_at
    record_touch(part, user)
    review_step(part, ReviewStep.Action.RESUBMITTED if part.returned_at else ReviewStep.Action.SUBMITTED, user,
                at=part.submitted_at)
    _notices_clear(f"part:{part.pk}:")  # an earlier sending of it no longer waits: this one does
    on_behalf = f"（{part.filed_by_department}代填）" if part.filed_by_department_id else ""
    notify(users=officers_of(department=_lead_of(part.task)), kind=Notification.Kind.REVIEW,
           key=f"part:{part.pk}:submitted:v{part.version}",
           title=f"{part.department}{on_behalf}报送了第{part.task.number}项任务{part.period.label}分报告",
           link=reverse("reports:task-report", args=[part.task.number, part.period.label]))
    return part


@transaction.atomic
def task_part_return(*, part: TaskReportPart, version: int, user, comment: str) -> TaskReportPart:
    """The lead returns a submitted part to its unit with a comment (required): the part is a
    draft again, the comment shown on it until the unit sends it again."""
    _require_department_officer(user, _lead_of(part.task))
    part = _lock(part, version)
    if part.state != TaskReportPart.State.SUBMITTED:
        refuse(_("Only a submitted part can be returned (this one is %(state)s)."), state=part.get_state_display())
    report = TaskReport.objects.filter(task=part.task, period=part.period).first()
    if report is not None and not report.is_editable_state:
        refuse(_("The task's report is %(state)s: its parts can no longer be returned."),
               state=report.get_state_display())
    if not comment.strip():
        refuse(_("Say what needs fixing: a returned part needs a comment."))
    part.state = TaskReportPart.State.DRAFT
    part.returned_by, part.returned_at, part.return_comment = user, timezone.now(), comment.strip()
    record_touch(part, user)
    review_step(part, ReviewStep.Action.RETURNED, user, comment=part.return_comment, at=part.returned_at)
    _notices_clear(f"part:{part.pk}:submitted:")  # decided: no longer waiting for any of the lead's officers
    notify(users=officers_of(department=part.department), kind=Notification.Kind.RETURNED,
           key=f"part:{part.pk}:returned:v{part.version}",
           title=f"第{part.task.number}项任务{part.period.label}分报告被牵头单位退回", body=part.return_comment,
           link=reverse("reports:task-report", args=[part.task.number, part.period.label]))
    return part


def _notices_clear(key_prefix: str) -> int:
    """A step has been decided: the "waiting for you" notifications about it, whoever they were
    for, are marked read (they stay in each person's list)."""
    return Notification.objects.filter(key__startswith=key_prefix, read_at__isnull=True,
                                       kind=Notification.Kind.REVIEW).update(read_at=timezone.now())


# ---------------------------------------------------------------- task measures' figures


def measures_entered_by(*, task, department, period: ReportingPeriod) -> list[TaskMeasure]:
    """The task's measures ``department`` enters for ``period`` (yearly ones in the fourth quarter)."""
    measures = TaskMeasure.objects.filter(task=task, reporting_units=department, kind__in=(
        TaskMeasure.Kind.FLOW, TaskMeasure.Kind.STOCK), counted_from="").order_by("order")
    if period.quarter != 4:
        measures = measures.filter(period=TaskMeasure.Period.QUARTER)
    return list(measures)


def measure_figures_read(*, measures: list[TaskMeasure], figures: dict[str, object]) -> dict[str, Decimal | None]:
    """Read posted figures (measure code → text, number or "" to clear) by the platform's number
    rule: not negative, whole numbers for counts of people, posts, places…, two decimals for
    money; a part "其中…" not above its whole. Refused whole, naming each measure and its unit."""
    by_code = {m.code: m for m in measures}
    errors, values = [], {}
    for code, raw in figures.items():
        measure = by_code.get(code)
        if measure is None:
            errors.append(_("%(code)s is not a measure this unit reports here.") % {"code": code})
            continue
        if raw in (None, ""):
            values[code] = None
            continue
        label = f"{measure.name}（{measure.unit}）"
        try:  # counts of people, posts, places… are whole numbers; money has two decimals
            values[code] = figure(raw, label=label, places=0 if measure.whole_numbers else 2, whole_digits=14)
        except ValidationError as exc:
            errors.extend(exc.messages)
    for ratio in TaskMeasure.objects.filter(kind=TaskMeasure.Kind.RATIO, numerator__in=measures).select_related(
            "numerator", "denominator"):
        part, whole = values.get(ratio.numerator.code), values.get(ratio.denominator.code)
        if part is not None and whole is not None and part > whole:
            errors.append(_("%(part)s (%(value)s) cannot be more than %(whole)s (%(total)s).") % {
                "part": ratio.numerator.name, "value": part, "whole": ratio.denominator.name, "total": whole})
    if errors:
        raise ValidationError(errors)
    return values


def _figures_save(*, record, task, department, period: ReportingPeriod, figures: dict[str, object], user) -> None:
    measures = measures_entered_by(task=task, department=department, period=period)
    values = measure_figures_read(measures=measures, figures=figures)
    by_code = {m.code: m for m in measures}
    is_part = isinstance(record, TaskReportPart)
    for code, value in values.items():
        existing = TaskMeasureFigure.objects.filter(measure=by_code[code], period=period,
                                                    department=department).first()
        if value is None:
            if existing is not None:
                existing._change_reason = "cleared"
                existing.delete()
            continue
        if existing is not None and existing.value == value:
            continue
        row = existing or TaskMeasureFigure(measure=by_code[code], period=period, department=department,
                                            **({"part": record} if is_part else {"report": record}))
        if existing is not None:
            row.version += 1
        row.value, row.updated_by, row.updated_at = value, user, timezone.now()
        row.save()


@transaction.atomic
def task_report_open(*, task, period: ReportingPeriod, user) -> TaskReport:
    """The lead department's report for the quarter (in the caller's transaction with its save)."""
    existing = TaskReport.objects.filter(task=task, period=period).first()
    if existing:
        return existing
    _require_department_officer(user, _lead_of(task))
    return TaskReport.objects.create(task=task, period=period, updated_by=user, updated_at=timezone.now())


@transaction.atomic
def task_report_save(*, report: TaskReport, fields: dict[str, str], version: int, user,
                     today: datetime.date | None = None, figures: dict[str, object] | None = None,
                     reason: str = "") -> TaskReport:
    lead = _lead_of(report.task)
    _require_department_officer(user, lead)
    report = _lock(report, version)
    if not report.is_editable_state:
        refuse(_("A %(state)s report cannot be changed."), state=report.get_state_display())
    _require_open(report.period, today or timezone.localdate(), department=lead)
    _set_fields(report, fields)
    if figures:
        _figures_save(record=report, task=report.task, department=lead, period=report.period, figures=figures,
                      user=user)
    if reason:
        report._change_reason = reason
    record_touch(report, user)
    return report


def parts_missing(report: TaskReport) -> list:
    """The co-responsible units whose part of the report's quarter is not submitted (missing or draft)."""
    sent = set(TaskReportPart.objects.filter(task=report.task, period=report.period,
                                             state=TaskReportPart.State.SUBMITTED).values_list("department_id",
                                                                                                flat=True))
    return [duty.department for duty in report.task.responsibilities.filter(role="co").select_related(
        "department").order_by("order") if duty.department_id not in sent]


@transaction.atomic
def task_report_quote_parts(*, report: TaskReport, parts: list[TaskReportPart], version: int, user,
                            today: datetime.date | None = None) -> TaskReport:
    """The lead quotes submitted parts into its compiled report: each part's text is added, under
    the unit's name, to the report's measures, progress, problems and next steps."""
    lead = _lead_of(report.task)
    _require_department_officer(user, lead)
    report = _lock(report, version)
    if not report.is_editable_state:
        refuse(_("A %(state)s report cannot be changed."), state=report.get_state_display())
    _require_open(report.period, today or timezone.localdate(), department=lead)
    for part in parts:
        if part.task_id != report.task_id or part.period_id != report.period_id:
            refuse(_("Only this task's parts of this quarter can be quoted."))
        if part.state != TaskReportPart.State.SUBMITTED:
            refuse(_("%(department)s's part is not submitted yet."), department=part.department.name)
        for name in ("measures", "progress", "problems", "next_steps"):
            text = getattr(part, name).strip()
            if text:
                quoted = f"【{part.department.name}】{text}"
                current = getattr(report, name)
                if quoted not in current:
                    setattr(report, name, f"{current}\n{quoted}".strip())
    _set_fields(report, {})
    record_touch(report, user)
    return report


@transaction.atomic
def task_report_submit(*, report: TaskReport, version: int, user, today: datetime.date | None = None,
                       missing_parts_reason: str = "") -> TaskReport:
    """Send the compiled report to the office of the leading group. With co-responsible units'
    parts missing (not submitted), only with the lead's reason, which the office sees."""
    lead = _lead_of(report.task)
    _require_department_officer(user, lead)
    report = _lock(report, version)
    if not report.is_editable_state:
        refuse(_("A %(state)s report cannot be submitted."), state=report.get_state_display())
    _require_open(report.period, today or timezone.localdate(), department=lead)
    _require_complete(report)
    missing = parts_missing(report)
    if missing and not missing_parts_reason.strip():
        refuse(_("These units' parts are missing: %(units)s. Say why to submit without them."),
               units="、".join(d.name for d in missing))
    report.missing_parts_reason = missing_parts_reason.strip() if missing else ""
    was_returned = report.state == TaskReport.State.RETURNED
    report.state = TaskReport.State.RESUBMITTED if was_returned else TaskReport.State.SUBMITTED
    report.submitted_by, report.submitted_at = user, timezone.now()
    report.first_submitted_at = report.first_submitted_at or report.submitted_at
    record_touch(report, user)
    review_step(report, ReviewStep.Action.RESUBMITTED if was_returned else ReviewStep.Action.SUBMITTED, user,
                comment=report.missing_parts_reason, at=report.submitted_at)
    # the parts have been compiled: the lead's officers are no longer waiting on them
    for part_pk in TaskReportPart.objects.filter(task=report.task, period=report.period).values_list("pk", flat=True):
        _notices_clear(f"part:{part_pk}:submitted:")
    notify(users=city_admins(), kind=Notification.Kind.REVIEW, key=f"task_report:{report.pk}:submitted:v{report.version}",
           title=f"第{report.task.number}项任务{report.period.label}进展报告待审核（{lead}）",
           body=report.missing_parts_reason and f"缺少分报告的说明：{report.missing_parts_reason}",
           link=reverse("reports:task-report", args=[report.task.number, report.period.label]))
    return report


@transaction.atomic
def task_report_approve(*, report: TaskReport, version: int, reviewer) -> TaskReport:
    report = _lock(report, version)
    _require_reviewable(report, reviewer)
    report.state = TaskReport.State.APPROVED
    report.reviewed_by, report.reviewed_at, report.review_comment = reviewer, timezone.now(), ""
    record_touch(report, reviewer)
    review_step(report, ReviewStep.Action.APPROVED, reviewer, at=report.reviewed_at)
    _notices_clear(f"task_report:{report.pk}:submitted:")  # decided: no other reviewer is waited for
    _tell_lead(report, Notification.Kind.APPROVED, "已审核通过")
    security_event_on_commit("approval", user=reviewer, subject="task_report", subject_id=report.pk)
    return report


@transaction.atomic
def task_report_send_back(*, report: TaskReport, version: int, reviewer, comment: str) -> TaskReport:
    report = _lock(report, version)
    _require_reviewable(report, reviewer)
    if not comment.strip():
        refuse(_("Say what needs fixing: a returned report needs a comment."))
    report.state = TaskReport.State.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = reviewer, timezone.now(), comment.strip()
    record_touch(report, reviewer)
    review_step(report, ReviewStep.Action.RETURNED, reviewer, comment=report.review_comment, at=report.reviewed_at)
    _notices_clear(f"task_report:{report.pk}:submitted:")
    _tell_lead(report, Notification.Kind.RETURNED, "被退回")
    return report


# ---------------------------------------------------------------- corrections after approval


@transaction.atomic
def correction_request(*, county_return: CountyReturn, indicator: Indicator, figures: dict[str, object], reason: str,
                       user) -> Correction:
    """Ask to correct one indicator's approved figures in an approved return. Checked by the same
    rules as a return; nothing changes until the office approves."""
    _require_county_officer(user, county_return.region)
    if county_return.state != CountyReturn.State.APPROVED:
        refuse(_("Only an approved return is corrected; change this one directly."))
    if not reason.strip():
        refuse(_("A correction needs a reason."))
    if Correction.objects.filter(county_return=county_return, indicator=indicator,
                                 state=Correction.State.SUBMITTED).exists():
        refuse(_("A correction of %(name)s is already waiting for review."), name=indicator.name)
    values = figures_validate(indicator=indicator, region=county_return.region, components=figures)
    current = return_values(county_return).get(indicator.code, {})
    if not current:
        refuse(_("%(name)s has no approved figures in this return."), name=indicator.name)
    if all(current[code].value == value for code, value in values.items()):
        refuse(_("The corrected figures are the same as the approved ones."))
    correction = Correction.objects.create(county_return=county_return, indicator=indicator, reason=reason.strip(),
                                           requested_by=user, requested_at=timezone.now())
    for code, value in values.items():
        CorrectionItem.objects.create(correction=correction, value=current[code], old_value=current[code].value,
                                      new_value=value)
    return correction


@transaction.atomic
def corrections_request(*, county_return: CountyReturn, figures: dict[str, dict[str, object]], reason: str,
                        user) -> int:
    """One correction request per indicator whose posted figures differ from the approved ones
    (a blank counts as zero); refused whole, with the messages per indicator, if any is refused.
    Returns how many were requested."""
    current = return_values(county_return)

    def differs(code: str, component: str, value) -> bool:
        approved = current.get(code, {}).get(component)
        try:
            return approved is None or Decimal(value if value != "" else 0) != approved.value
        except (InvalidOperation, TypeError, ValueError):
            return True  # correction_request says what is wrong with it

    changed = [code for code, components in figures.items()
               if any(differs(code, component, value) for component, value in components.items())]
    if not changed:
        refuse(_("No figure was changed: nothing to correct."))
    indicators = {indicator.code: indicator for indicator in reported_indicators(county_return.region)}
    errors = {}
    for code in changed:
        if code not in indicators:
            errors[code] = [not_in_return_message(code, county_return.region)]
            continue
        try:
            correction_request(county_return=county_return, indicator=indicators[code], figures=figures[code],
                               reason=reason, user=user)
        except ValidationError as exc:
            errors[code] = exc.messages
    if errors:
        raise ValidationError(errors)
    return len(changed)


@transaction.atomic
def correction_approve(*, correction: Correction, reviewer) -> Correction:
    """Apply the corrected figures (they stay approved) and roll the figures up again. The
    reported figures remain in the correction's items and in the values' history."""
    if not access.reviews_reporting(reviewer):
        raise PermissionDenied
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.state != Correction.State.SUBMITTED:
        refuse(_("This correction was already %(state)s."), state=correction.get_state_display())
    security_event_on_commit("approval", user=reviewer, subject="correction", subject_id=correction.pk)
    now = timezone.now()
    for item in correction.items.select_related("value"):
        row = item.value
        row.value, row.version = item.new_value, row.version + 1
        row.approved_by, row.approved_at = reviewer, now
        row._change_reason = f"correction {correction.pk}: {correction.reason[:200]}"
        row.save()
    correction.state, correction.reviewed_by, correction.reviewed_at = Correction.State.APPROVED, reviewer, now
    correction.save()
    rollups_enqueue(indicator_codes=[correction.indicator.code], county_ids=[correction.county_return.region_id],
                    trigger="approval")
    return_reviewed.send(sender=CountyReturn, county_return=correction.county_return, event="corrected",
                         detail={"correction": correction.pk, "indicator": correction.indicator.code,
                                 "values": {item.value.component.code: str(item.new_value)
                                            for item in correction.items.select_related("value__component")}})
    return correction


@transaction.atomic
def correction_reject(*, correction: Correction, reviewer, comment: str) -> Correction:
    if not access.reviews_reporting(reviewer):
        raise PermissionDenied
    correction = Correction.objects.select_for_update().get(pk=correction.pk)
    if correction.state != Correction.State.SUBMITTED:
        refuse(_("This correction was already %(state)s."), state=correction.get_state_display())
    if not comment.strip():
        refuse(_("Say why: a rejected correction needs a comment."))
    correction.state, correction.reviewed_by, correction.reviewed_at = Correction.State.REJECTED, reviewer, timezone.now()
    correction.review_comment = comment.strip()
    correction.save()
    return correction


# ---------------------------------------------------------------- leaders' instructions, extensions


def _units_named(units) -> list[dict]:
    """The units as InstructionUnit keyword arguments (a county or a department each), once each."""
    seen, named = set(), []
    for unit in units:
        key = ("region" if isinstance(unit, Region) else "department", unit.pk)
        if key not in seen:
            seen.add(key)
            named.append({key[0]: unit})
    return named


def _officers_of_unit(addressee: InstructionUnit):
    from .notifications import officers_of

    if addressee.region_id:
        return officers_of(region=addressee.region)
    return officers_of(department=addressee.department)


def _instruction_link(instruction: Instruction) -> str:
    return reverse("reports:instruction", args=[instruction.pk])


@transaction.atomic
def instruction_give(*, task, text: str, user, deadline: datetime.date | None, units=None,
                     today: datetime.date | None = None) -> Instruction:
    """A leader's instruction on a task (督办): addressed to the units responsible — departments
    and/or counties; by default the task's departments — with a deadline not in the past. Each
    unit's officers are told; each unit replies on the instruction's page."""
    from .notifications import notify

    if not access.gives_instructions(user):
        raise PermissionDenied
    if not text.strip():
        refuse(_("An instruction needs its text."))
    today = today or timezone.localdate()
    if deadline is None:
        refuse(_("An instruction needs a deadline."))
    if deadline < today:
        refuse(_("The deadline %(day)s is in the past."), day=date_text(deadline))
    if units is None:
        units = [r.department for r in task.responsibilities.select_related("department")]
    named = _units_named(units)
    if not named:
        refuse(_("Name at least one unit responsible for the instruction."))
    instruction = Instruction.objects.create(task=task, author=user, text=text.strip(), deadline=deadline)
    for unit in named:
        addressee = InstructionUnit.objects.create(instruction=instruction, **unit)
        notify(users=_officers_of_unit(addressee), kind=Notification.Kind.INSTRUCTION,
               key=f"instruction:{instruction.pk}", title=f"领导对第{task.number}项任务作出批示",
               body=f"{instruction.text}\n办理时限：{date_text(deadline)}", link=_instruction_link(instruction))
    return instruction


def _require_replying_unit(user, addressee: InstructionUnit) -> None:
    """Only the addressed unit's own officers reply for it."""
    if addressee.region_id:
        allowed = access.fills_in_return(user, addressee.region)
    else:
        allowed = access.writes_for_department(user, addressee.department)
    if not allowed:
        raise PermissionDenied


def _lock_addressee(addressee: InstructionUnit, version: int) -> InstructionUnit:
    fresh = InstructionUnit.objects.select_for_update(of=("self",)).select_related(
        "updated_by", "instruction__task", "region", "department").get(pk=addressee.pk)
    refuse_if_stale(fresh, version)
    return fresh


def _refuse_if_closed(addressee: InstructionUnit) -> None:
    if addressee.is_closed:
        refuse(_("This instruction is closed for %(unit)s; a closed instruction takes no more replies."),
               unit=str(addressee.unit))


@transaction.atomic
def instruction_reply(*, addressee: InstructionUnit, text: str, version: int, user) -> InstructionUnit:
    """The unit's reply (办理情况反馈), sent to the office; a returned reply is replied to again.
    A closed one takes no reply."""
    from .notifications import city_admins, notify

    addressee = _lock_addressee(addressee, version)
    _require_replying_unit(user, addressee)
    _refuse_if_closed(addressee)
    if not text.strip():
        refuse(_("Say what was done: a reply needs its text."))
    addressee.reply, addressee.state = text.strip(), InstructionUnit.State.REPLIED
    addressee.replied_by, addressee.replied_at = user, timezone.now()
    record_touch(addressee, user)
    instruction = addressee.instruction
    notify(users=city_admins(), kind=Notification.Kind.SUPERVISION,
           key=f"supervision:reply:{addressee.pk}:v{addressee.version}",
           title=f"{addressee.unit}反馈了第{instruction.task.number}项任务批示的办理情况", body=addressee.reply,
           link=_instruction_link(instruction))
    return addressee


def _review(addressee: InstructionUnit, version: int, reviewer) -> InstructionUnit:
    if not access.reviews_reporting(reviewer):
        raise PermissionDenied
    addressee = _lock_addressee(addressee, version)
    _refuse_if_closed(addressee)
    if addressee.state != InstructionUnit.State.REPLIED:
        refuse(_("Only a reply can be closed or returned (%(unit)s has not replied)."), unit=str(addressee.unit))
    return addressee


def _decide(addressee: InstructionUnit, state: str, reviewer, comment: str, what: str) -> InstructionUnit:
    """The office's decision on a reply (closed or returned): recorded, versioned, the unit told."""
    addressee.state = state
    addressee.reviewed_by, addressee.reviewed_at, addressee.review_comment = reviewer, timezone.now(), comment.strip()
    record_touch(addressee, reviewer)
    _tell_unit(addressee, what)
    return addressee


def _tell_unit(addressee: InstructionUnit, what: str) -> None:
    from .notifications import notify

    instruction = addressee.instruction
    notify(users=_officers_of_unit(addressee), kind=Notification.Kind.SUPERVISION,
           key=f"supervision:{what}:{addressee.pk}:v{addressee.version}",
           title=f"第{instruction.task.number}项任务批示的办理情况{what}", body=addressee.review_comment,
           link=_instruction_link(instruction))


@transaction.atomic
def instruction_reply_close(*, addressee: InstructionUnit, version: int, reviewer, comment: str = "") -> InstructionUnit:
    """The office accepts the unit's reply: the instruction is closed for that unit (办结)."""
    return _decide(_review(addressee, version, reviewer), InstructionUnit.State.CLOSED, reviewer, comment, "已办结")


@transaction.atomic
def instruction_reply_return(*, addressee: InstructionUnit, version: int, reviewer, comment: str) -> InstructionUnit:
    """The office returns the reply with a comment saying what is missing; the unit replies again."""
    addressee = _review(addressee, version, reviewer)
    if not comment.strip():
        refuse(_("Say what is missing: a returned reply needs a comment."))
    return _decide(addressee, InstructionUnit.State.RETURNED, reviewer, comment, "被退回")


@transaction.atomic
def extension_request(*, period: ReportingPeriod, until: datetime.date, reason: str, user) -> ExtensionRequest:
    """A county or department officer asks for more time on a period, for their own unit."""
    from .notifications import city_admins, notify

    if access.own_reporting_region_id(user):
        unit = {"region": user.region}
    elif access.own_department_id(user):
        unit = {"department": user.department}
    else:
        raise PermissionDenied
    if not reason.strip():
        refuse(_("An extension request needs a reason."))
    if until <= period.locks_after:
        refuse(_("The period is open until %(day)s; ask for a later date."), day=period.locks_after.isoformat())
    request = ExtensionRequest.objects.create(period=period, until=until, reason=reason.strip(), requested_by=user,
                                              **unit)
    notify(users=city_admins(), kind=Notification.Kind.EXTENSION, key=f"extension:{request.pk}",
           title=f"{request.region or request.department}申请延长{quarter_text(period)}填报期限", body=request.reason,
           link=reverse("reports:extensions"))
    return request


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, approve: bool, reviewer, comment: str = "") -> ExtensionRequest:
    """The office approves (opening an exception for that unit only) or refuses with a comment."""
    from .notifications import notify

    if not access.reviews_reporting(reviewer):
        raise PermissionDenied
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ExtensionRequest.State.PENDING:
        refuse(_("This request was already decided."))
    if not approve and not comment.strip():
        refuse(_("Say why: a refused extension needs a comment."))
    if approve:
        request.exception = period_exception_open(
            period=request.period, region=request.region, department=request.department, open_until=request.until,
            reason=f"{EXTENSION_EXCEPTION_PREFIX}{request.reason}", user=reviewer)
    request.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REJECTED
    request.reviewed_by, request.review_comment = reviewer, comment.strip()
    request.save()
    notify(users=[request.requested_by], kind=Notification.Kind.EXTENSION, key=f"extension:{request.pk}:decided",
           title=f"{quarter_text(request.period)}延期申请{'已批准' if approve else '未批准'}", body=request.review_comment)
    return request


# ---------------------------------------------------------------- evidence

@transaction.atomic
def evidence_attach(*, record, upload, user) -> Evidence:
    """Attach a PDF, JPEG or PNG (checked by content, capped in size) to a report or a part the
    user's department is writing, or to the reply of the user's unit to an instruction (while it is
    not closed)."""
    if isinstance(record, InstructionUnit):
        _require_replying_unit(user, record)
        _refuse_if_closed(record)
        owner_field = {"reply": record}
    else:
        is_part = isinstance(record, TaskReportPart)
        owner = record.department if is_part else _lead_of(record.task)
        _require_department_officer(user, owner)
        editable = record.state == TaskReportPart.State.DRAFT if is_part else record.is_editable_state
        if not editable:
            refuse(_("Evidence can be added while the report is being written."))
        owner_field = {"part": record} if is_part else {"report": record}
    content_type = evidence_upload_check(upload)
    evidence = Evidence(file=upload, name=upload.name[:200], content_type=content_type, size=upload.size,
                        uploaded_by=user, **owner_field)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user) -> None:
    """Remove a file attached by mistake while its report or part is still being written (a
    draft, or a returned report); once submitted, the evidence stays as the reviewers saw it. The
    history keeps that it was there and who removed it."""
    record = evidence.part or evidence.report
    is_part = evidence.part_id is not None
    _require_department_officer(user, record.department if is_part else _lead_of(record.task))
    record = type(record).objects.select_for_update().get(pk=record.pk)
    editable = record.state == TaskReportPart.State.DRAFT if is_part else record.is_editable_state
    if not editable:
        refuse(_("Evidence can be removed while the report is being written."))
    evidence._change_reason = f"evidence removed by {user.username}"
    stored = evidence.file
    evidence.delete()
    transaction.on_commit(lambda: stored.delete(save=False))



# ---------------------------------------------------------------- notification channels


@transaction.atomic
def notification_preferences_save(*, user, email: str, mobile: str, email_all: bool, email_kinds: list[str],
                                  sms_all: bool, sms_kinds: list[str]) -> NotificationPreference:
    """A person's own channels (the platform always; e-mail and text messages opt-in) and
    addresses. Both the address change (the user's history) and the choice (the preference's) are
    in the audit trail. A channel chosen without its address, a malformed number or an unknown kind
    is refused."""
    kinds = CHOOSABLE_KINDS
    email, mobile = (email or "").strip(), (mobile or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            refuse(_("Enter a valid e-mail address, such as zhangsan@ankang.gov.cn."))
    if mobile and not MOBILE_RE.fullmatch(mobile):
        refuse(_("Enter a mainland mobile number of 11 digits starting with 13–19."))
    if not set(email_kinds) <= kinds or not set(sms_kinds) <= kinds:
        refuse(_("Unknown kind of notification."))
    if (email_all or email_kinds) and not email:
        refuse(_("E-mail was chosen: give the address to send to."))
    if (sms_all or sms_kinds) and not mobile:
        refuse(_("Text messages were chosen: give the mobile number to send to."))
    if user.email != email:
        user.email = email
        user._change_reason = "notification e-mail address set by its owner"
        user.save(update_fields=["email"])
    chosen = bool(mobile or email_all or email_kinds or sms_all or sms_kinds)
    preference = NotificationPreference.objects.select_for_update().filter(user=user).first()
    if preference is None:
        if not chosen:
            return NotificationPreference(user=user)  # the platform only, as without a row: nothing to write
        preference = NotificationPreference(user=user)
    preference.mobile, preference.email_all, preference.sms_all = mobile, bool(email_all), bool(sms_all)
    preference.email_kinds, preference.sms_kinds = sorted(set(email_kinds)), sorted(set(sms_kinds))
    preference._change_reason = "notification channels set by their owner"
    preference.save()
    return preference

# ---------------------------------------------------------------- 流转记录 (steps), reviewers opening, withdrawal


def _step_owner(record) -> dict:
    if isinstance(record, CountyReturn):
        return {"county_return": record}
    if isinstance(record, TaskReportPart):
        return {"part": record}
    return {"report": record}


def review_step(record, action: str, user, *, comment: str = "", at=None) -> ReviewStep:
    """Write one step of a return's, a report's or a part's history (流转记录): the one place the
    services record who did what, when, with the comment."""
    return ReviewStep.objects.create(action=action, actor=user, at=at or timezone.now(), comment=comment or "",
                                     **_step_owner(record))


def opened_since_sent(record) -> bool:
    """Whether a reviewer (the office; the lead unit for a part) has opened the record since it was
    last sent."""
    for action in ReviewStep.objects.filter(**_step_owner(record)).order_by("-at", "-pk").values_list(
            "action", flat=True):
        if action == ReviewStep.Action.OPENED:
            return True
        if action in ReviewStep.SENT:
            return False
    return False


def _is_sent(record) -> bool:
    if isinstance(record, TaskReportPart):
        return record.state == TaskReportPart.State.SUBMITTED
    return record.state in (ReviewState.SUBMITTED, ReviewState.RESUBMITTED)


def _reviews(user, record) -> bool:
    """Who reviews the record: the office for returns and task reports, the lead unit for parts."""
    if isinstance(record, TaskReportPart):
        return access.writes_for_department(user, _lead_of(record.task))
    return access.reviews_reporting(user)


@transaction.atomic
def review_opened(*, record, user) -> bool:
    """A reviewer opened a sent record: recorded once per sending (from then on it can no longer
    be withdrawn). Returns whether a step was written."""
    if not _is_sent(record) or not _reviews(user, record) or opened_since_sent(record):
        return False
    review_step(record, ReviewStep.Action.OPENED, user)
    return True


def withdrawable(record, user=None) -> bool:
    """Sent, and not yet opened by a reviewer (and, with ``user``, that user may withdraw it)."""
    if record is None or not _is_sent(record) or opened_since_sent(record):
        return False
    if isinstance(record, TaskReportPart) and _compiled_report_sent(record) is not None:
        return False
    if user is None:
        return True
    if isinstance(record, CountyReturn):
        return access.fills_in_return(user, record.region)
    if isinstance(record, TaskReportPart):
        return access.writes_for_department(user, record.department)
    return access.writes_for_department(user, _lead_of(record.task))


def _compiled_report_sent(part: TaskReportPart) -> TaskReport | None:
    """The task's report, if the lead has already sent it on (its parts are then as the office saw them)."""
    report = TaskReport.objects.filter(task=part.task, period=part.period).first()
    return report if report is not None and not report.is_editable_state else None


def _refuse_unless_withdrawable(record) -> None:
    if not _is_sent(record):
        refuse(_("Only a submitted item can be withdrawn (this one is %(state)s)."), state=record.get_state_display())
    if opened_since_sent(record):
        refuse(_("The reviewer has already opened it: it can no longer be withdrawn. Ask them to return it."))
    if isinstance(record, TaskReportPart) and (report := _compiled_report_sent(record)) is not None:
        refuse(_("The task's report is %(state)s: its parts can no longer be withdrawn."),
               state=report.get_state_display())


@transaction.atomic
def county_return_withdraw(*, county_return: CountyReturn, version: int, user, today: datetime.date | None = None,
                           reason: str = "") -> CountyReturn:
    """Withdraw (撤回) a submitted return before the office opens it: a draft again (returned, if it
    had been returned before), its figures drafts again."""
    _require_county_officer(user, county_return.region)
    county_return = _lock(county_return, version)
    _refuse_unless_withdrawable(county_return)
    _require_open(county_return.period, today or timezone.localdate(), region=county_return.region)
    was_resubmitted = county_return.state == CountyReturn.State.RESUBMITTED
    values_withdraw(values=[row for components in return_values(county_return).values() for row in components.values()],
                    reason=f"{county_return.source_ref} withdrawn")
    county_return.state = CountyReturn.State.RETURNED if was_resubmitted else CountyReturn.State.DRAFT
    record_touch(county_return, user)
    review_step(county_return, ReviewStep.Action.WITHDRAWN, user, comment=reason.strip())
    return county_return


@transaction.atomic
def task_report_withdraw(*, report: TaskReport, version: int, user, today: datetime.date | None = None,
                         reason: str = "") -> TaskReport:
    """Withdraw (撤回) a submitted task report before the office opens it."""
    lead = _lead_of(report.task)
    _require_department_officer(user, lead)
    report = _lock(report, version)
    _refuse_unless_withdrawable(report)
    _require_open(report.period, today or timezone.localdate(), department=lead)
    was_resubmitted = report.state == TaskReport.State.RESUBMITTED
    report.state = TaskReport.State.RETURNED if was_resubmitted else TaskReport.State.DRAFT
    record_touch(report, user)
    _notices_clear(f"task_report:{report.pk}:submitted:")
    review_step(report, ReviewStep.Action.WITHDRAWN, user, comment=reason.strip())
    return report


@transaction.atomic
def task_part_withdraw(*, part: TaskReportPart, version: int, user, today: datetime.date | None = None,
                       reason: str = "") -> TaskReportPart:
    """Withdraw (撤回) a part sent to the lead before the lead opens it."""
    _require_department_officer(user, part.department)
    part = _lock(part, version)
    _refuse_unless_withdrawable(part)
    _require_open(part.period, today or timezone.localdate(), department=part.department)
    part.state = TaskReportPart.State.DRAFT
    record_touch(part, user)
    _notices_clear(f"part:{part.pk}:submitted:")
    review_step(part, ReviewStep.Action.WITHDRAWN, user, comment=reason.strip())
    return part


def review_steps_backfill(*, county_return_model=CountyReturn, report_model=TaskReport, part_model=TaskReportPart,
                          step_model=ReviewStep) -> int:
    """The steps of records sent before steps were kept (and of bulk-seeded demo records), read from
    their fields: the first sending, then the last review (approved, or returned with its comment).
    Records that have steps are left alone. Used by the migration that added steps (with its
    historical models) and by the demo seeding. Returns the number of steps written."""
    action = step_model.Action if hasattr(step_model, "Action") else None
    submitted, approved, returned = (action.SUBMITTED, action.APPROVED, action.RETURNED) if action else (
        "submitted", "approved", "returned")
    steps = []
    for model, owner in ((county_return_model, "county_return"), (report_model, "report")):
        for record in model.objects.filter(submitted_by__isnull=False, steps__isnull=True):
            sent_at = record.first_submitted_at or record.submitted_at
            steps.append(step_model(action=submitted, actor_id=record.submitted_by_id, at=sent_at, **{owner: record}))
            if record.state in ("approved", "returned") and record.reviewed_by_id and record.reviewed_at:
                steps.append(step_model(action=approved if record.state == "approved" else returned,
                                        actor_id=record.reviewed_by_id, at=record.reviewed_at,
                                        comment=record.review_comment, **{owner: record}))
    for part in part_model.objects.filter(submitted_by__isnull=False, steps__isnull=True):
        steps.append(step_model(action=submitted, actor_id=part.submitted_by_id,
                                at=part.first_submitted_at or part.submitted_at, part=part))
        if part.returned_by_id and part.returned_at:
            steps.append(step_model(action=returned, actor_id=part.returned_by_id, at=part.returned_at,
                                    comment=part.return_comment, part=part))
    step_model.objects.bulk_create(steps, batch_size=500)
    return len(steps)
