"""What is waiting for one person, gathered from every app that gives them work."""

from __future__ import annotations

import datetime

from django.urls import reverse

from communities.selectors import review_queue
from reports.access import can_see_task_reports
from reports.models import Correction, CountyReturn, ExtensionRequest, Instruction, Notification, TaskReport
from reports.selectors import period_current, returns_board, task_board
from tasks.selectors import plan_current_for_user

STATE_ORDER = ["missing", "draft", "submitted", "returned", "resubmitted", "approved"]


def _state_counts(states: list[str]) -> list[tuple[str, int]]:
    return [(s, states.count(s)) for s in STATE_ORDER if states.count(s)]


def work_summary(*, user, today: datetime.date) -> dict:
    """The landing page's content: this quarter's returns and task reports with counts per state,
    what waits for the city office's review, earlier work still open, certification applications
    waiting at a step the user decides, and the latest unread notifications."""
    period = period_current(today)
    plan = plan_current_for_user(user)
    context = {"period": period, "today": today, "sections": []}
    if period is not None and CountyReturn.objects.counties_for(user).exists():
        rows = returns_board(user=user, period=period, today=today)
        context["returns"] = _state_counts([r.county_return.state if r.county_return else "missing" for r in rows])
        context["return_rows"] = rows if len(rows) == 1 else []
        context["overdue_returns"] = sum(r.overdue for r in rows)
    if period is not None and plan is not None and can_see_task_reports(user):
        rows = task_board(user=user, plan=plan, period=period)
        mine_lead = [r for r in rows if r.my_role == "lead"] if user.has_role("dept_officer") else rows
        context["task_reports"] = _state_counts([r.report.state if r.report else "missing" for r in mine_lead])
        if user.has_role("dept_officer"):
            context["my_parts"] = _state_counts([r.my_part_state or "missing" for r in rows if r.my_role == "co"])
            context["instructions"] = Instruction.objects.filter(
                task__responsibilities__department_id=user.department_id).select_related("task", "author")[:5]
    if user.has_role("city_admin"):
        context["awaiting"] = {
            "returns": CountyReturn.objects.filter(state__in=["submitted", "resubmitted"]).count(),
            "task_reports": TaskReport.objects.filter(state__in=["submitted", "resubmitted"]).count(),
            "corrections": Correction.objects.filter(state="submitted").count(),
            "extensions": ExtensionRequest.objects.filter(state="pending").count(),
        }
    # returned or unfinished work of earlier periods that is still the user's to do
    waiting = []
    if user.has_role("county_officer"):
        waiting += [(f"{r.region.name} {r.period.label} · {r.get_state_display()}",
                     reverse("reports:county-return", args=[r.region.code, r.period.label]))
                    for r in CountyReturn.objects.for_user(user).filter(state__in=["returned", "draft"])
                    .exclude(period=period).select_related("region", "period")]
    if user.has_role("dept_officer") and user.department_id:
        waiting += [(f"{r.task.number}. {r.task.title} {r.period.label} · {r.get_state_display()}",
                     reverse("reports:task-report", args=[r.task.number, r.period.label]))
                    for r in TaskReport.objects.editable_by(user).filter(state__in=["returned", "draft"])
                    .exclude(period=period).select_related("task", "period")]
    # certification applications waiting at a step this user decides
    context["applications_waiting"] = [
        (f"{a.county.name} · {a.community.name} · {a.tier.name} · {a.get_step_display()}",
         reverse("registry:application", args=[a.pk])) for a in review_queue(user=user)[:20]]
    context["waiting"] = waiting
    context["unread"] = Notification.objects.for_user(user).filter(read_at__isnull=True)[:5]
    return context
