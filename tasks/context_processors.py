"""The plan switcher in the navigation (templates/_plan_switcher.html): every plan the user can
read, each with the link that shows the same page for that plan, the current plan marked.

Pages that show "the plan" without naming it in their address (the plan's home, the list of
targets, the dashboards) take ``?plan=<code>``; pages whose address names a plan
(/plans/<code>/…, /targets/<code>/…) switch to the other plan's page of the same kind; any other
page links to the plan's own page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.scoping import can_read_plan

from .models import Plan
from .querysets import current_among

TAKES_QUERY = {"plan:plan-current", "targets:target-list"}  # and every dashboards page
NAMED = {"targets:plan-target-list": "targets:plan-target-list", "targets:target-detail": "targets:plan-target-list",
         "targets:snapshot-sources": "targets:plan-target-list"}


def plan_switcher(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not can_read_plan(user):
        return {}
    plans = list(Plan.objects.for_user(user).only("pk", "code", "title", "doc_number", "period_start", "period_end")
                 .order_by("-period_start"))
    if not plans:
        return {}
    today = timezone.localdate()
    current = current_among(plans, today)  # the one rule (PlanQuerySet.current), on the plans read
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match is not None else ""
    items = []
    for plan in plans:
        if view in TAKES_QUERY or view.startswith("dashboards:"):
            url = f"{request.path}?plan={plan.code}" if plan != current else request.path
        elif view in NAMED:
            url = reverse(NAMED[view], args=[plan.code])
        else:
            url = reverse("plan:plan-detail", args=[plan.code])
        items.append({"plan": plan, "url": url, "current": plan == current, "closed": plan.period_end < today,
                      "future": plan.period_start > today})
    return {"switcher_plans": items, "switcher_current": current}
