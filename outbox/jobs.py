"""Celery jobs of the outbox (``jobs.py``, not ``tasks.py``: see ankang_jobs/celery.py)."""

from celery import shared_task

from .services import outbox_relay


@shared_task(name="outbox.relay", ignore_result=True)
def outbox_relay_job() -> int:
    """Beat runs this each minute: jobs written while the broker was down go out once it is back."""
    return outbox_relay()


@shared_task(name="outbox.prune", ignore_result=True)
def outbox_prune_job() -> int:
    """Beat runs this nightly: sent jobs older than OUTBOX_KEEP_DAYS are deleted."""
    from .services import outbox_prune

    return outbox_prune()
