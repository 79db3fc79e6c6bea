"""Celery jobs of quarterly reporting."""

from celery import shared_task

from .deliveries import notification_deliver, notification_deliveries_retry
from .notifications import instruction_reminders_send, reminders_send


@shared_task(name="reports.reminders", acks_late=True)
def reminders_job() -> int:
    """Daily: due-soon and overdue reminders (each goes once, so running twice sends nothing new)."""
    return reminders_send()


@shared_task(name="reports.instruction_reminders", acks_late=True)
def instruction_reminders_job() -> int:
    """Daily (督办): reminders before an instruction's deadline, and overdue notices (each once)."""
    return instruction_reminders_send()


@shared_task(name="reports.notification_deliver", ignore_result=True)
def notification_deliver_job(delivery_id: int) -> str:
    """One attempt at one e-mail or text message (written by the outbox; a failure schedules the next)."""
    return notification_deliver(delivery_id=delivery_id)


@shared_task(name="reports.notification_deliveries_retry", ignore_result=True)
def notification_deliveries_retry_job() -> int:
    """Beat runs this each minute: failed e-mails and text messages whose back-off has passed go again."""
    return notification_deliveries_retry()
