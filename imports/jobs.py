"""Celery jobs of imports."""

from celery import shared_task

from .models import ImportBatch
from .services import import_apply


@shared_task(name="imports.apply", acks_late=True)
def import_apply_job(*, batch_id: int) -> str:
    """Apply a confirmed import. Claimed once (QUEUED → RUNNING by a conditional UPDATE), so a
    second delivery of the same message finds nothing to do."""
    claimed = ImportBatch.objects.filter(pk=batch_id, state=ImportBatch.State.QUEUED).update(
        state=ImportBatch.State.RUNNING)
    if not claimed:
        return "nothing to do"
    batch = import_apply(batch=ImportBatch.objects.select_related("created_by").get(pk=batch_id))
    return batch.state
