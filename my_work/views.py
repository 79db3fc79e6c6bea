from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.roles import Role
from accounts.scoping import can_read_audit, can_read_plan, is_security_admin

from .selectors import work_summary


@login_required
@require_safe
def home(request):
    """Each person's landing page: their work this quarter, with counts per state."""
    user = request.user
    if not can_read_plan(user):
        if can_read_audit(user):
            return redirect("audit:event-list")
        if is_security_admin(user):
            return redirect("admin:index")  # the security administrator's duties: lockouts, second factors
        return render(request, "accounts/no_role.html", status=403)
    if user.has_role(Role.LEADER) and not (user.is_superuser or user.has_role(
            Role.CITY_ADMIN, Role.DEPT_OFFICER, Role.COUNTY_OFFICER, Role.TOWN_OFFICER)):
        return redirect("dashboards:overview")  # a leader's work is the overview
    return render(request, "my_work/home.html", work_summary(user=user, today=timezone.localdate()))
