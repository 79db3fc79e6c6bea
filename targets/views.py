from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from divisions.models import Region
from kernel.exports import respond
from kernel.quarters import Quarter
from tasks.models import Plan
from tasks.selectors import plan_chosen_for_user

from .derived import derived_counting_note, derived_records, derived_records_kind
from .exports import target_counties_table, target_quarters_table, targets_table
from .models import Indicator, Snapshot, Target
from .selectors import snapshot_sources, target_detail, targets_overview


def _plan(request, code: str | None) -> Plan:
    if code:
        return get_object_or_404(Plan.objects.for_user(request.user), code=code)
    plan = plan_chosen_for_user(request.user, request.GET.get("plan"))  # the current plan, or the switcher's
    if plan is None:
        raise Http404
    return plan


@login_required
@require_safe
def target_list(request, plan_code: str | None = None):
    plan = _plan(request, plan_code)
    rows = targets_overview(plan=plan, user=request.user)
    response = respond(request, {"targets": lambda: targets_table(rows)}, plan.doc_number or plan.code)
    if response is not None:
        return response
    return render(request, "targets/target_list.html", {
        "plan": plan, "rows": rows,
        "counting_note": derived_counting_note(),
    })


def _quarter(request) -> Quarter | None:
    try:
        return Quarter.parse(request.GET["quarter"]) if request.GET.get("quarter") else None
    except ValueError as exc:
        raise Http404 from exc


@login_required
@require_safe
def target_detail_view(request, plan_code: str, code: str):
    plan = _plan(request, plan_code)
    target = get_object_or_404(Target.objects.for_user(request.user).select_related("plan", "indicator", "task"),
                               plan=plan, code=code, indicator__isnull=False)
    detail = target_detail(target=target, user=request.user, quarter=_quarter(request),
                           include_unapproved=request.GET.get("basis") == "all")
    response = respond(request, {"counties": lambda: target_counties_table(detail),
                                 "quarters": lambda: target_quarters_table(detail)},
                       f"{target.name} {detail.quarter.label if detail.quarter else ''}".strip())
    if response is not None:
        return response
    return render(request, "targets/target_detail.html", {"plan": plan, "detail": detail, "target": target})


@login_required
@require_safe
def snapshot_sources_view(request, plan_code: str, code: str, region_code: str, quarter: str):
    plan = _plan(request, plan_code)
    target = get_object_or_404(Target.objects.for_user(request.user), plan=plan, code=code, indicator__isnull=False)
    region = get_object_or_404(Region.objects.for_user(request.user), code=region_code)
    try:
        shown = Quarter.parse(quarter)
    except ValueError as exc:
        raise Http404 from exc
    snapshot = get_object_or_404(
        Snapshot.objects.for_user(request.user).select_related("plan", "indicator", "region", "target"),
        plan=plan, indicator=target.indicator, region=region, year=shown.year, quarter=shown.number)
    context = {"plan": plan, "target": target, "snapshot": snapshot}
    if target.indicator.kind == Indicator.Kind.DERIVED:
        context[derived_records_kind(target.indicator.code)] = derived_records(
            indicator_code=target.indicator.code, region=region, day=shown.end, user=request.user)
        context["counting_note"] = derived_counting_note(target.indicator.code)
    else:
        context["values"] = snapshot_sources(snapshot=snapshot, user=request.user)
    return render(request, "targets/snapshot_sources.html", context)
