from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from accounts.scoping import can_read_audit, can_read_plan, is_security_admin
from kernel.exports import respond
from tasks.models import Plan, Responsibility, Task
from tasks.selectors import plan_chosen_for_user

from .models import Target
from .plan_exports import targets_table, tasks_table
from .selectors import plan_overview
from .task_panels import task_panels_render


@login_required
@require_safe
def home(request):
    """The plan for those who work with it (the current plan, or the one ``?plan=`` names: the plan
    switcher); the audit trail for auditors; else a clear refusal."""
    if can_read_plan(request.user):
        code = request.GET.get("plan")
        plan = plan_chosen_for_user(request.user, code)
        if plan is None:
            if code:
                raise Http404
            return render(request, "plan/no_plan.html", status=404)
        return _plan_page(request, plan)
    if can_read_audit(request.user):
        return redirect("audit:event-list")
    if is_security_admin(request.user):
        return redirect("admin:index")  # the security administrator's duties: lockouts, second factors
    return render(request, "accounts/no_role.html", status=403)


@login_required
@require_safe
def plan_detail(request, code: str):
    return _plan_page(request, get_object_or_404(Plan.objects.for_user(request.user), code=code))


def _plan_page(request, plan: Plan):
    overview = plan_overview(plan=plan)
    response = respond(request, {"tasks": lambda: tasks_table(overview), "targets": lambda: targets_table(overview)},
                       plan.code)
    if response is not None:
        return response
    plans = Plan.objects.for_user(request.user).order_by("-period_start")
    return render(request, "plan/plan_detail.html", {"overview": overview, "plan": plan, "plans": plans})


@login_required
@require_safe
def task_detail(request, code: str, number: int):
    plan = get_object_or_404(Plan.objects.for_user(request.user), code=code)
    task = Task.objects.for_user(request.user).filter(plan=plan, number=number).select_related("section").first()
    if task is None:
        raise Http404
    responsibilities = (Responsibility.objects.for_user(request.user).filter(task=task).select_related("department")
                        .order_by("order"))
    targets = Target.objects.for_user(request.user).filter(task=task).order_by("order")
    return render(request, "plan/task_detail.html", {
        "plan": plan, "task": task, "responsibilities": responsibilities, "targets": targets,
        "panels": task_panels_render(request=request, plan=plan, task=task),
    })
