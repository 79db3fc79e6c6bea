"""Writes of the final assessment: draft (freeze the figures: a new version), check, issue, and
the Celery job that writes the issued files. An issued assessment is refused every change."""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kernel.issuing import check_step, files_claim, issue_step
from kernel.refusals import Locked, refuse
from outbox.services import job_enqueue
from tasks.models import Plan

from .documents import assessment_docx, assessment_xlsx
from .models import FinalAssessment, can_write_assessments
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


ISSUED = _lazy("This final assessment has been issued; an issued assessment does not change.")


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
