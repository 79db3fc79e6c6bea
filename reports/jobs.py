"""Celery jobs of quarterly reporting."""

from celery import shared_task

from .notifications import instruction_reminders_send, reminders_send


@shared_task(name="reports.reminders", acks_late=True)
def reminders_job() -> int:
    """Daily: due-soon and overdue reminders (each goes once, so running twice sends nothing new)."""
    return reminders_send()


@shared_task(name="reports.instruction_reminders", acks_late=True)
def instruction_reminders_job() -> int:
    """Daily (督办): reminders before an instruction's deadline, and overdue notices (each once)."""
    return instruction_reminders_send()
