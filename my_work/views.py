from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.scoping import can_read_audit, can_read_plan, is_security_admin
from reports import access

from .selectors import work_summary
from .todo import todo_sections


@login_required
@require_safe
def home(request):
    """Each person's landing page: their to-do list (待办: direct links, days left; a leader's watch
    list), then their work this quarter with counts per state."""
    user = request.user
    if not can_read_plan(user):
        if can_read_audit(user):
            return redirect("audit:event-list")
        if is_security_admin(user):
            return redirect("admin:index")  # the security administrator's duties: lockouts, second factors
        return render(request, "accounts/no_role.html", status=403)
    today = timezone.localdate()
    context = work_summary(user=user, today=today)
    context["can_see_timeliness"] = access.can_see_timeliness(user)  # only links the role can open
    context["todo"] = todo_sections(user=user, today=today, period=context["period"])  # 待办, with days left
    return render(request, "my_work/home.html", context)
