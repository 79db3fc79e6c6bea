"""Celery jobs of the final assessment."""

from celery import shared_task


@shared_task(name="assessments.files", acks_late=True)
def assessment_files_job(*, assessment_id: int) -> str:
    """Write an issued assessment's .xlsx and .docx. Safe to run twice: the second run finds them claimed."""
    from .services import assessment_files_write

    assessment = assessment_files_write(assessment_id=assessment_id)
    return assessment.files_state if assessment is not None else "nothing to do"
