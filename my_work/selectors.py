"""What is waiting for one person, gathered from every app that gives them work."""

from __future__ import annotations

import datetime

from reports import access
from reports.models import (
    Correction,
    CountyReturn,
    ExtensionRequest,
    Instruction,
    InstructionUnit,
    Notification,
    NotificationDelivery,
    ReviewState,
    TaskReport,
)
from reports.selectors import period_as_of, returns_board, task_board
from tasks.models import Responsibility
from tasks.selectors import plan_current_for_user

MISSING = "missing"  # no return or report yet
STATE_ORDER = [MISSING, ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED, ReviewState.RESUBMITTED,
               ReviewState.APPROVED]
UNDER_REVIEW = [ReviewState.SUBMITTED, ReviewState.RESUBMITTED]
UNFINISHED = [ReviewState.RETURNED, ReviewState.DRAFT]


def _state_counts(states: list[str]) -> list[tuple[str, int]]:
    return [(state, states.count(state)) for state in STATE_ORDER if states.count(state)]


def work_summary(*, user, today: datetime.date) -> dict:
    """The landing page's counts: this quarter's returns and task reports per state, what waits for
    the city office's review, and the latest unread notifications (the items themselves, with their
    deadlines, are the to-do list: my_work.todo)."""
    period = period_as_of(user=user, today=today)
    plan = plan_current_for_user(user)
    department_id = access.own_department_id(user)
    context = {"period": period, "today": today, "sections": []}
    if period is not None and access.can_see_returns(user):
        rows = returns_board(user=user, period=period, today=today)
        context["returns"] = _state_counts([row.county_return.state if row.county_return else MISSING
                                            for row in rows])
        context["return_rows"] = rows if len(rows) == 1 else []
        context["overdue_returns"] = sum(row.overdue for row in rows)
    if period is not None and plan is not None and access.can_see_task_reports(user):
        rows = task_board(user=user, plan=plan, period=period)
        led = [row for row in rows if row.my_role == Responsibility.Role.LEAD] if department_id else rows
        context["task_reports"] = _state_counts([row.report.state if row.report else MISSING for row in led])
        if department_id:
            context["my_parts"] = _state_counts([row.my_part_state or MISSING for row in rows
                                                 if row.my_role == Responsibility.Role.CO])
            context["instructions"] = Instruction.objects.for_user(user).select_related("task", "author")[:5]
    if access.reviews_reporting(user):
        context["awaiting"] = {
            "returns": CountyReturn.objects.filter(state__in=UNDER_REVIEW).count(),
            "task_reports": TaskReport.objects.filter(state__in=UNDER_REVIEW).count(),
            "corrections": Correction.objects.filter(state=Correction.State.SUBMITTED).count(),
            "extensions": ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).count(),
            "instruction_replies": InstructionUnit.objects.filter(state=InstructionUnit.State.REPLIED).count(),
        }
    if access.reads_delivery_log(user):  # e-mails and text messages that could not be sent: tell them otherwise
        context["failed_deliveries"] = NotificationDelivery.objects.for_user(user).filter(
            state=NotificationDelivery.State.FAILED).count()
    context["unread"] = Notification.objects.for_user(user).unread()[:5]
    return context
