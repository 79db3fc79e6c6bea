"""Writes of the final assessment: draft (freeze the figures: a new version), check, issue, and
the Celery job that writes the issued files. An issued assessment is refused every change."""

from __future__ import annotations

import decimal
import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kernel.issuing import check_step, files_claim, issue_step
from kernel.official_document import template_check
from kernel.refusals import Locked, refuse
from kernel.versioning import Conflict
from outbox.models import OutboxMessage
from outbox.services import job_enqueue
from targets.models import Target
from tasks.models import Plan

from .annual import annual_content
from .documents import annual_docx, assessment_docx, assessment_xlsx
from .models import (
    AnnualAssessment,
    AssessmentScheme,
    Audience,
    DocumentTemplate,
    FinalAssessment,
    ItemKind,
    SchemeItem,
    can_write_assessments,
)
from .selectors import assessment_content, plan_has_ended

log = logging.getLogger(__name__)
DEFAULT_ISSUER = "安康市就业工作领导小组办公室"


def _require_writer(user) -> None:
    if not can_write_assessments(user):
        raise PermissionDenied(_("Only the city administrator drafts, checks and issues the final assessment."))


def default_title(plan: Plan) -> str:
    return _("Final assessment of %(title)s (%(period)s)") % {"title": plan.title, "period": plan.period_text}


@transaction.atomic
def assessment_draft(*, plan: Plan, user, doc_number: str, title: str = "", issuer: str = "") -> FinalAssessment:
    """Freeze the plan's account as of now (the data cut-off) as a new draft version; earlier
    versions are kept. Only after the plan's period has ended, and only while none is issued."""
    _require_writer(user)
    if not plan_has_ended(plan):
        refuse(_("The plan's period has not ended (it ends on %(end)s): its final assessment cannot be drafted yet."),
               end=plan.period_end.isoformat())
    doc_number = doc_number.strip()
    if not doc_number:
        refuse(_("The final assessment needs its own document number (文号)."))
    Plan.objects.select_for_update().get(pk=plan.pk)  # one version number per draft, even when two arrive at once
    if FinalAssessment.objects.filter(plan=plan, state=FinalAssessment.State.ISSUED).exists():
        refuse(_("This plan's final assessment has been issued; an issued assessment does not change."),
               error=Locked)
    if FinalAssessment.objects.filter(doc_number=doc_number).exclude(plan=plan).exists():
        refuse(_("The document number %(number)s is already used by another plan's assessment."), number=doc_number)
    last = FinalAssessment.objects.filter(plan=plan).aggregate(v=Max("version"))["v"] or 0
    now = timezone.now()
    final = plan.last_quarter
    assessment = FinalAssessment(
        plan=plan, version=last + 1, title=(title.strip() or default_title(plan))[:200], doc_number=doc_number,
        issuer=(issuer.strip() or DEFAULT_ISSUER)[:100], data_cutoff=now, final_year=final.year,
        final_quarter=final.number, content=assessment_content(plan=plan, user=user, cutoff=now),
        drafted_by=user, drafted_at=now)
    assessment._change_reason = f"draft v{assessment.version}"
    assessment.save()
    return assessment


def _locked(assessment: FinalAssessment) -> FinalAssessment:
    return FinalAssessment.objects.select_for_update().select_related("drafted_by").get(pk=assessment.pk)


ISSUED = gettext_lazy("This final assessment has been issued; an issued assessment does not change.")


def _newer(assessment: FinalAssessment) -> bool:
    return FinalAssessment.objects.filter(plan=assessment.plan_id, version__gt=assessment.version).exists()


@transaction.atomic
def assessment_check(*, assessment: FinalAssessment, user) -> FinalAssessment:
    """A second member of the office checks the draft (核稿): not the person who drafted it."""
    _require_writer(user)
    assessment = _locked(assessment)
    return check_step(assessment, user=user, newer=_newer(assessment), issued_message=str(ISSUED))


@transaction.atomic
def assessment_issue(*, assessment: FinalAssessment, user) -> FinalAssessment:
    """Issue a checked assessment (签发): dated today, then immutable. Not by the person who drafted
    it. Its files (.xlsx, .docx) are written by a Celery job after the commit."""
    _require_writer(user)
    assessment = _locked(assessment)
    assessment = issue_step(assessment, user=user, newer=_newer(assessment), issued_message=str(ISSUED))

    from .jobs import assessment_files_job

    # through the outbox: with the broker down the issue still stands and the files are written later
    job_enqueue(job=assessment_files_job, kwargs={"assessment_id": assessment.pk})
    return assessment


def assessment_files_write(*, assessment_id: int) -> FinalAssessment | None:
    """Write an issued assessment's files once: claimed by a conditional UPDATE (queued → running),
    so a second delivery writes nothing (unless the first worker died: running for STALE_AFTER).
    A failure is kept (state failed, the error); the assessment itself stays issued as it was."""
    if not files_claim(FinalAssessment, assessment_id):
        return None
    assessment = FinalAssessment.objects.select_related("plan").get(pk=assessment_id)
    try:
        with transaction.atomic():
            workbook, document = assessment_xlsx(assessment), assessment_docx(assessment)
            stem = f"assessment-{assessment.plan.code}-v{assessment.version}"
            assessment.workbook.save(f"{stem}.xlsx", ContentFile(workbook), save=False)
            assessment.document.save(f"{stem}.docx", ContentFile(document), save=False)
            assessment.workbook_sha256 = hashlib.sha256(workbook).hexdigest()
            assessment.document_sha256 = hashlib.sha256(document).hexdigest()
            assessment.files_state, assessment.error = FinalAssessment.Files.DONE, ""
            assessment._change_reason = "files written"
            assessment.save()
    except Exception as exc:  # kept on the assessment; a retry would fail the same way
        log.exception("final assessment %s: files failed", assessment_id)
        FinalAssessment.objects.filter(pk=assessment_id).update(
            files_state=FinalAssessment.Files.FAILED, error=f"{type(exc).__name__}: {exc}")
        assessment.refresh_from_db()
    return assessment


# ---------------------------------------------------------------- the annual assessment (年度考核)

ANNUAL_ISSUED = gettext_lazy("This annual assessment has been issued; an issued assessment does not change.")
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def _require_office(user) -> None:
    if not can_write_assessments(user):
        raise PermissionDenied(_("Only the city office configures schemes and drafts, checks and issues the annual "
                                 "assessment."))


def _refuse_if_year_issued(year: int) -> None:
    if AnnualAssessment.objects.filter(year=year, state=AnnualAssessment.State.ISSUED).exists():
        refuse(_("The %(year)s assessment has been issued: its schemes are fixed."), error=Locked, year=year)


def scheme_in_force(year: int, audience: str) -> AssessmentScheme | None:
    return AssessmentScheme.objects.filter(year=year, audience=audience).order_by("-version").first()


@dataclass(frozen=True)
class ItemInput:
    kind: str
    name: str
    weight: decimal.Decimal
    rule: str
    indicator: object = None


@transaction.atomic
def scheme_save(*, year: int, audience: str, plan: Plan, items: list[ItemInput], user, note: str = "",
                based_on: int | None = None) -> AssessmentScheme:
    """A new version of the year's scheme for departments or counties. Refused: weights not summing
    to 100, an item without its rule, a target item without an indicator of the plan (or a county
    item the counties are not scored on), the year's assessment issued, a stale edit."""
    _require_office(user)
    if audience not in Audience.values:
        refuse(_("Unknown group of assessed units."))
    if not items:
        refuse(_("A scheme needs at least one item."))
    for n, item in enumerate(items, start=1):
        if item.kind not in ItemKind.values:
            refuse(_("Item %(n)d: unknown kind."), n=n)
        if not item.name.strip():
            refuse(_("Item %(n)d has no name."), n=n)
        if not item.rule.strip():
            refuse(_("Item %(n)d (%(name)s) has no rule: write how it is scored, in Chinese."), n=n, name=item.name)
        if item.weight is None or item.weight <= 0 or item.weight > 100:
            refuse(_("Item %(n)d (%(name)s): the weight must be more than 0 and at most 100."), n=n, name=item.name)
        if item.kind == ItemKind.TARGET:
            if item.indicator is None:
                refuse(_("Item %(n)d (%(name)s): a target item names its indicator."), n=n, name=item.name)
            if not Target.objects.filter(plan=plan, indicator=item.indicator).exists():
                refuse(_("Item %(n)d (%(name)s): the indicator is not a target of %(plan)s."), n=n, name=item.name,
                       plan=plan.title)
        elif item.indicator is not None:
            refuse(_("Item %(n)d (%(name)s): only a target item names an indicator."), n=n, name=item.name)
        if audience == Audience.COUNTIES and item.kind == ItemKind.MEASURES:
            refuse(_("Item %(n)d (%(name)s): task measures are the departments' item, not the counties'."), n=n,
                   name=item.name)
    total = sum((i.weight for i in items), decimal.Decimal(0))
    if total != 100:
        refuse(_("The weights add up to %(total)s; they must add up to 100."), total=f"{total.normalize():f}")
    if not (plan.period_start.year <= year <= plan.period_end.year):
        refuse(_("%(year)s is outside the plan's period (%(period)s)."), year=year, period=plan.period_text)
    AssessmentScheme.objects.select_for_update().filter(year=year, audience=audience).exists()
    _refuse_if_year_issued(year)
    last = scheme_in_force(year, audience)
    if based_on is not None and (last.version if last else 0) != based_on:
        refuse(_("Someone saved a newer version of this scheme meanwhile; open it again and redo your change."),
               error=Conflict)
    scheme = AssessmentScheme(year=year, audience=audience, version=(last.version if last else 0) + 1, plan=plan,
                              note=note.strip(), created_by=user, created_at=timezone.now())
    scheme._change_reason, scheme._history_user = f"scheme v{scheme.version}", user  # the office member, also from a job
    scheme.save()
    for order, item in enumerate(items, start=1):
        row = SchemeItem(scheme=scheme, order=order, kind=item.kind, name=item.name.strip()[:100],
                         weight=item.weight, rule=item.rule.strip(), indicator=item.indicator)
        row._history_user = user
        row.save()
    return scheme


@transaction.atomic
def annual_request(*, year: int, user, doc_number: str, title: str = "", issuer: str = "") -> OutboxMessage:
    """The office asks for the year's assessment to be computed now (a new draft version, drafted
    by ``user``), by the job through the outbox."""
    _require_office(user)
    doc_number = doc_number.strip()
    if not doc_number:
        refuse(_("The 通报 needs its own document number (文号)."))
    _annual_refusals(year=year, doc_number=doc_number)
    from .jobs import annual_compute_job

    return job_enqueue(job=annual_compute_job, kwargs={"year": year, "user_id": user.pk, "doc_number": doc_number,
                                                       "title": title.strip(), "issuer": issuer.strip()})


def _annual_refusals(*, year: int, doc_number: str) -> tuple[AssessmentScheme | None, AssessmentScheme | None]:
    _refuse_if_year_issued(year)
    county, dept = scheme_in_force(year, Audience.COUNTIES), scheme_in_force(year, Audience.DEPARTMENTS)
    if county is None and dept is None:
        refuse(_("No scheme for %(year)s yet: the office configures one first."), year=year)
    if AnnualAssessment.objects.filter(doc_number=doc_number).exclude(year=year).exists() or \
            FinalAssessment.objects.filter(doc_number=doc_number).exists():
        refuse(_("The document number %(number)s is already used by another document."), number=doc_number)
    return county, dept


def annual_default_title(year: int) -> str:
    return _("Notice of the %(year)s annual assessment of full-employment work") % {"year": year}


@transaction.atomic
def annual_compute(*, year: int, user, doc_number: str, title: str = "", issuer: str = "") -> AnnualAssessment:
    """Compute the year's assessment from the records as of now: a new draft version. Run by the job."""
    _require_office(user)
    county, dept = _annual_refusals(year=year, doc_number=doc_number)
    plan = (county or dept).plan
    AssessmentScheme.objects.select_for_update().filter(year=year).exists()  # one version number at a time
    last = AnnualAssessment.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0
    now = timezone.now()
    assessment = AnnualAssessment(
        year=year, version=last + 1, plan=plan, county_scheme=county, department_scheme=dept,
        title=(title or annual_default_title(year))[:200], doc_number=doc_number[:100],
        issuer=(issuer or DEFAULT_ISSUER)[:100], data_cutoff=now, drafted_by=user, drafted_at=now,
        content=annual_content(year=year, plan=plan, county_scheme=county, department_scheme=dept, cutoff=now))
    assessment._change_reason, assessment._history_user = f"computed v{assessment.version}", user  # run by the job
    assessment.save()
    return assessment


def _annual_locked(assessment: AnnualAssessment) -> AnnualAssessment:
    return AnnualAssessment.objects.select_for_update().get(pk=assessment.pk)


def _annual_newer(assessment: AnnualAssessment) -> bool:
    return AnnualAssessment.objects.filter(year=assessment.year, version__gt=assessment.version).exists()


@transaction.atomic
def annual_check(*, assessment: AnnualAssessment, user) -> AnnualAssessment:
    _require_office(user)
    assessment = _annual_locked(assessment)
    return check_step(assessment, user=user, newer=_annual_newer(assessment), issued_message=str(ANNUAL_ISSUED))


@transaction.atomic
def annual_issue(*, assessment: AnnualAssessment, user) -> AnnualAssessment:
    """签发: the assessment and its schemes are fixed; the 通报 (.docx) is written by a job."""
    _require_office(user)
    assessment = _annual_locked(assessment)
    assessment = issue_step(assessment, user=user, newer=_annual_newer(assessment),
                            issued_message=str(ANNUAL_ISSUED))
    from .jobs import annual_files_job

    job_enqueue(job=annual_files_job, kwargs={"assessment_id": assessment.pk})
    return assessment


def annual_files_write(*, assessment_id: int) -> AnnualAssessment | None:
    """Write an issued assessment's 通报 once (see kernel.issuing.files_claim); a failure is kept."""
    if not files_claim(AnnualAssessment, assessment_id):
        return None
    assessment = AnnualAssessment.objects.get(pk=assessment_id)
    try:
        with transaction.atomic():
            document = annual_docx(assessment)
            assessment.document.save(f"annual-{assessment.year}-v{assessment.version}.docx", ContentFile(document),
                                     save=False)
            assessment.document_sha256 = hashlib.sha256(document).hexdigest()
            assessment.files_state, assessment.error = AnnualAssessment.Files.DONE, ""
            assessment._change_reason = "files written"
            assessment.save()
    except Exception as exc:  # kept on the assessment; a retry would fail the same way
        log.exception("annual assessment %s: files failed", assessment_id)
        AnnualAssessment.objects.filter(pk=assessment_id).update(
            files_state=AnnualAssessment.Files.FAILED, error=f"{type(exc).__name__}: {exc}")
        assessment.refresh_from_db()
    return assessment


@transaction.atomic
def template_upload(*, name: str, content: bytes, user) -> DocumentTemplate:
    """Replace the 通报's template: a .docx python-docx opens, at most 5 MB; earlier ones are kept."""
    _require_office(user)
    if not name.lower().endswith(".docx"):
        refuse(_("The template must be a Word document (.docx)."))
    if len(content) > MAX_TEMPLATE_BYTES:
        refuse(_("The template is larger than 5 MB."))
    if template_check(content) is not None:
        refuse(_("%(name)s cannot be opened as a Word document (.docx)."), name=name)
    template = DocumentTemplate(name=name[:200], sha256=hashlib.sha256(content).hexdigest(), uploaded_by=user)
    template.file.save(f"template-{template.sha256[:12]}.docx", ContentFile(content), save=False)
    template._change_reason = "template uploaded"
    template.save()
    return template


def approval_completes_year(county_return) -> bool:
    """Whether approving ``county_return`` leaves every county's return of its year's last quarter approved."""
    period = county_return.period
    if period.quarter != 4:
        return False
    from divisions.models import Region
    from reports.models import CountyReturn, ReviewState

    counties = Region.objects.filter(level=Region.Level.COUNTY).count()
    approved = CountyReturn.objects.filter(period=period, region__level=Region.Level.COUNTY,
                                           state=ReviewState.APPROVED).count()
    return counties > 0 and approved >= counties


def annual_after_approval(*, county_return, reviewer) -> None:
    """The year's last quarter is approved (every county's Q4 return): compute the year's assessment
    as a draft, drafted by the reviewer whose approval completed it, if the year has a scheme, no
    issued assessment, and a 文号 to carry over from an earlier draft."""
    if not approval_completes_year(county_return):
        return
    year = county_return.period.year
    last = AnnualAssessment.objects.filter(year=year).order_by("-version").first()
    if AnnualAssessment.objects.filter(year=year, state=AnnualAssessment.State.ISSUED).exists():
        return
    if scheme_in_force(year, Audience.COUNTIES) is None and scheme_in_force(year, Audience.DEPARTMENTS) is None:
        return
    if not can_write_assessments(reviewer):
        return
    from .jobs import annual_compute_job

    job_enqueue(job=annual_compute_job, kwargs={
        "year": year, "user_id": reviewer.pk,
        "doc_number": last.doc_number if last else f"安就业办发〔{year + 1}〕（待定）",
        "title": last.title if last else "", "issuer": last.issuer if last else ""})
