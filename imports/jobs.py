"""Celery jobs of imports."""

from celery import shared_task
from django.db import transaction

from .models import ImportBatch
from .services import import_apply


@shared_task(name="imports.apply", acks_late=True)
def import_apply_job(*, batch_id: int) -> str:
    """Apply a confirmed import. The batch is claimed by a row lock held for the whole apply: a
    second delivery of the message while the first runs skips it (SKIP LOCKED) and finds nothing
    to do, one after it finds the batch no longer QUEUED; a worker killed mid-apply rolls the
    claim back with everything else, so the redelivered job (reject on worker loss) applies it."""
    with transaction.atomic():
        batch = (ImportBatch.objects.select_for_update(skip_locked=True).select_related("created_by")
                 .filter(pk=batch_id, state=ImportBatch.State.QUEUED).first())
        if batch is None:
            return "nothing to do"
        batch.state = ImportBatch.State.RUNNING
        batch.save(update_fields=["state"])
        batch = import_apply(batch=batch)
        return batch.state
