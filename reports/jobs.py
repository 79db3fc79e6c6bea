"""Celery jobs of quarterly reporting."""

from celery import shared_task

from .notifications import reminders_send


@shared_task(name="reports.reminders", acks_late=True)
def reminders_job() -> int:
    """Daily: due-soon and overdue reminders (each goes once, so running twice sends nothing new)."""
    return reminders_send()
