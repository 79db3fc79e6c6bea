"""Pages of the quarterly report pack: the list (and, for the office, the request form), the
download and the printable summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dashboards.selectors import board_periods
from kernel.exports import XLSX_TYPE, content_disposition
from kernel.form_fields import form_errors
from kernel.security_log import security_event
from tasks.selectors import plan_as_of, plan_current_for_user

from .forms import PackRequestForm
from .models import ReportPack, can_read_packs, can_request_packs
from .services import report_pack_request


def _plan(request):
    if not can_read_packs(request.user):
        raise Http404
    plan = plan_current_for_user(request.user)
    if plan is None:
        raise Http404
    return plan


@login_required
def pack_list(request):
    plan = _plan(request)
    can_request = can_request_packs(request.user)
    today = timezone.localdate()
    periods = board_periods(plan, today)[::-1]
    errors, status = [], 200
    if request.method == "POST":
        if not can_request:
            raise Http404
        form = PackRequestForm(request.POST)
        if not form.is_valid():
            errors, status = form_errors(form), 400
        else:
            try:
                pack = report_pack_request(plan=plan, quarter=form.cleaned_data["quarter"], user=request.user)
            except ValidationError as exc:
                errors, status = exc.messages, 400
            else:
                messages.success(request, _("Pack %(quarter)s version %(version)d requested; it is generated in "
                                            "the background.") % {"quarter": pack.quarter_label,
                                                                  "version": pack.version})
                return redirect("packs:list")
    as_of = plan_as_of(plan, today)
    return render(request, "packs/list.html", {
        "plan": plan, "packs": ReportPack.objects.for_user(request.user).filter(plan=plan).select_related(
            "requested_by"), "periods": periods, "default": as_of.label, "as_of": as_of,
        "can_request": can_request, "errors": errors,
    }, status=status)


def _pack(request, pk: int) -> ReportPack:
    _plan(request)
    return get_object_or_404(ReportPack.objects.for_user(request.user).select_related("plan", "requested_by"), pk=pk)


@login_required
@require_safe
def pack_download(request, pk: int):
    pack = _pack(request, pk)
    if pack.state != ReportPack.State.DONE or not pack.file:
        raise Http404

    security_event("export", request=request, what="report_pack", subject_id=pack.pk)
    response = FileResponse(pack.file.open("rb"), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(pack.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def pack_summary(request, pk: int):
    pack = _pack(request, pk)
    if pack.state != ReportPack.State.DONE:
        raise Http404
    return render(request, "packs/summary.html", {"pack": pack, "tables": pack.summary.get("tables", [])})
