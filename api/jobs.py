"""Celery jobs of the API: callbacks (``jobs.py``, not ``tasks.py``: see ankang_jobs/celery.py)."""

from celery import shared_task

from .webhooks import period_events_emit, webhook_deliver, webhook_deliveries_retry


@shared_task(name="api.webhook_deliver", ignore_result=True)
def webhook_deliver_job(delivery_id: int) -> str:
    """One attempt at one delivery (written by the outbox; a failure schedules the next attempt)."""
    return webhook_deliver(delivery_id=delivery_id)


@shared_task(name="api.webhooks_retry", ignore_result=True)
def webhooks_retry_job() -> int:
    """Beat runs this each minute: failed deliveries whose backoff has passed are tried again."""
    return webhook_deliveries_retry()


@shared_task(name="api.period_events", ignore_result=True)
def period_events_job() -> int:
    """Beat runs this each morning: period.opened and period.closing events."""
    return period_events_emit()
