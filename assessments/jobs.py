"""Celery jobs of the assessments: the final assessment's files, the annual assessment's
computation and its 通报."""

from celery import shared_task


@shared_task(name="assessments.files", acks_late=True)
def assessment_files_job(*, assessment_id: int) -> str:
    """Write an issued assessment's .xlsx and .docx. Safe to run twice: the second run finds them claimed."""
    from .services import assessment_files_write

    assessment = assessment_files_write(assessment_id=assessment_id)
    return assessment.files_state if assessment is not None else "nothing to do"


@shared_task(name="assessments.annual_compute", acks_late=True)
def annual_compute_job(*, year: int, user_id: int, doc_number: str, title: str = "", issuer: str = "") -> str:
    """Compute the year's assessment from the records: a new draft version drafted by ``user_id``.
    A refusal (the year issued meanwhile, no scheme) is the answer, not a failure to retry."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError

    from .services import annual_compute

    user = get_user_model().objects.get(pk=user_id)
    try:
        assessment = annual_compute(year=year, user=user, doc_number=doc_number, title=title, issuer=issuer)
    except (ValidationError, PermissionDenied) as exc:
        return f"refused: {exc}"
    return f"v{assessment.version}"


@shared_task(name="assessments.annual_files", acks_late=True)
def annual_files_job(*, assessment_id: int) -> str:
    """Write an issued annual assessment's 通报 (.docx). Safe to run twice."""
    from .services import annual_files_write

    assessment = annual_files_write(assessment_id=assessment_id)
    return assessment.files_state if assessment is not None else "nothing to do"
