from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from divisions.models import Region
from kernel.exports import respond
from kernel.quarters import Quarter
from kernel.versioning import Conflict
from tasks.models import Task
from tasks.selectors import plan_current_for_user

from .exports import (
    county_timeliness_table,
    department_timeliness_table,
    notifications_table,
    return_figures_table,
    returns_table,
    task_reports_table,
)
from .models import (
    Correction,
    CountyReturn,
    Evidence,
    ExtensionRequest,
    Instruction,
    Notification,
    ReportingPeriod,
    SelfStatus,
    TaskReport,
    TaskReportPart,
)
from .selectors import (
    county_timeliness,
    department_timeliness,
    period_current,
    return_form,
    returns_board,
    task_board,
)
from .services import (
    correction_approve,
    correction_reject,
    correction_request,
    county_return_approve,
    county_return_open,
    county_return_save,
    county_return_send_back,
    county_return_submit,
    county_return_warnings,
    evidence_attach,
    extension_decide,
    extension_request,
    instruction_give,
    period_is_open_for,
    return_values,
    task_part_open,
    task_part_save,
    task_part_submit,
    task_report_approve,
    task_report_open,
    task_report_save,
    task_report_send_back,
    task_report_submit,
)


def _period(label: str | None) -> ReportingPeriod:
    if label:
        try:
            q = Quarter.parse(label)
        except ValueError as exc:
            raise Http404 from exc
        return get_object_or_404(ReportingPeriod, year=q.year, quarter=q.number)
    period = period_current(timezone.localdate())
    if period is None:
        raise Http404
    return period


@login_required
def inbox(request):
    """My work this quarter: the returns I fill in, or review, or read."""
    if not CountyReturn.objects.counties_for(request.user).exists():
        raise Http404
    period = _period(request.GET.get("period"))
    rows = returns_board(user=request.user, period=period, today=timezone.localdate())
    response = respond(request, {"returns": lambda: returns_table(rows, period)}, period.label)
    if response is not None:
        return response
    counts = {}
    for row in rows:
        key = row.county_return.state if row.county_return else "missing"
        counts[key] = counts.get(key, 0) + 1
    user = request.user
    waiting_states = ([CountyReturn.State.SUBMITTED, CountyReturn.State.RESUBMITTED]
                      if user.has_role("city_admin", "leader") else [CountyReturn.State.RETURNED, CountyReturn.State.DRAFT])
    waiting = (CountyReturn.objects.for_user(user).filter(state__in=waiting_states).exclude(period=period)
               .select_related("region", "period").order_by("-period__year", "-period__quarter", "region__code"))
    return render(request, "reports/inbox.html", {
        "period": period, "rows": rows, "counts": counts, "today": timezone.localdate(), "waiting": waiting,
        "periods": ReportingPeriod.objects.filter(year__gte=period.year - 1).order_by("-year", "-quarter")[:8],
    })


@login_required
def county_return_view(request, region_code: str, period_label: str):
    period = _period(period_label)
    region = get_object_or_404(CountyReturn.objects.counties_for(request.user), code=region_code)
    county_return = CountyReturn.objects.for_user(request.user).filter(region=region, period=period).first()
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        version = int(request.POST.get("version") or 0)
        try:
            if county_return is None:
                county_return = county_return_open(region=region, period=period, user=user)
                version = county_return.version
            if action in ("save", "submit"):
                county_return = county_return_save(county_return=county_return, figures=_figures(request.POST),
                                                   version=version, user=user)
                if action == "submit":
                    county_return = county_return_submit(county_return=county_return, version=county_return.version,
                                                         user=user, explanation=request.POST.get("explanation", ""))
                    messages.success(request, _("Submitted for review."))
                else:
                    messages.success(request, _("Saved as a draft."))
            elif action == "correct":
                n = _request_corrections(county_return, _figures(request.POST), request.POST.get("reason", ""), user)
                messages.success(request, _("%(n)d correction requests sent for review.") % {"n": n})
            elif action in ("correction_approve", "correction_reject"):
                correction = get_object_or_404(Correction.objects.for_user(user), pk=request.POST.get("correction"),
                                               county_return=county_return)
                if action == "correction_approve":
                    correction_approve(correction=correction, reviewer=user)
                else:
                    correction_reject(correction=correction, reviewer=user, comment=request.POST.get("comment", ""))
                messages.success(request, _("Saved."))
            elif action == "approve":
                county_return_approve(county_return=county_return, version=version, reviewer=user)
                messages.success(request, _("Approved; the figures are being rolled up."))
            elif action == "send_back":
                county_return_send_back(county_return=county_return, version=version, reviewer=user,
                                        comment=request.POST.get("comment", ""))
                messages.success(request, _("Returned to the county with your comment."))
            else:
                raise Http404
        except PermissionDenied:
            raise
        except Conflict as exc:
            return _render(request, region, period, county_return, conflict=exc.messages, status=409,
                           posted=request.POST)
        except ValidationError as exc:
            return _render(request, region, period, county_return, errors=exc, status=400, posted=request.POST)
        return redirect("reports:county-return", region_code=region.code, period_label=period.label)
    shown = county_return or CountyReturn(region=region, period=period)
    response = respond(request, {"figures": lambda: return_figures_table(return_form(county_return=shown), shown)},
                       f"{region.name} {period.label}")
    if response is not None:
        return response
    return _render(request, region, period, county_return)


def _request_corrections(county_return, figures, reason: str, user) -> int:
    """One correction request per indicator whose posted figures differ from the approved ones."""
    from decimal import Decimal, InvalidOperation

    from targets.models import Indicator

    current = return_values(county_return)
    changed = []
    for code, components in figures.items():
        approved = current.get(code, {})
        try:
            differs = any(approved.get(c) is None or Decimal(v or "0") != approved[c].value for c, v in components.items())
        except InvalidOperation:
            differs = True  # let the rules say what is wrong with it
        if differs:
            changed.append(code)
    if not changed:
        raise ValidationError(_("No figure was changed: nothing to correct."))
    errors = {}
    for code in changed:
        try:
            correction_request(county_return=county_return, indicator=Indicator.objects.get(code=code),
                               figures=figures[code], reason=reason, user=user)
        except ValidationError as exc:
            errors[code] = exc.messages
    if errors:
        raise ValidationError(errors)
    return len(changed)


def _figures(post) -> dict[str, dict[str, str]]:
    """Form fields are named v__<indicator code>__<component code>."""
    figures: dict[str, dict[str, str]] = {}
    for key, value in post.items():
        if key.startswith("v__"):
            _, code, component = key.split("__", 2)
            figures.setdefault(code, {})[component] = value.strip().replace(",", "")
    return figures


def _render(request, region: Region, period: ReportingPeriod, county_return, errors=None, conflict=None, status=200,
            posted=None):
    user = request.user
    is_owner = user.has_role("county_officer") and user.region_id == region.pk
    today = timezone.localdate()
    is_open = period_is_open_for(period=period, region=region, today=today)
    editable = is_owner and is_open and (county_return is None or county_return.is_editable_state)
    correctable = is_owner and county_return is not None and county_return.state == CountyReturn.State.APPROVED
    reviewable = (user.has_role("city_admin") and county_return is not None
                  and county_return.state in (CountyReturn.State.SUBMITTED, CountyReturn.State.RESUBMITTED))
    field_errors = getattr(errors, "error_dict", {}) if errors else {}
    field_errors = {k: [m for e in v for m in e.messages] for k, v in field_errors.items()}
    lines = []
    for line in return_form(county_return=county_return or CountyReturn(region=region, period=period)):
        components = []
        for component, row, previous in line.components:
            name = f"v__{line.indicator.code}__{component.code}"
            value = posted.get(name, "") if posted is not None else ("" if row is None else f"{row.value.normalize():f}")
            if posted is None and row is not None:
                value = f"{row.value.normalize():f}"
            components.append({"component": component, "name": name, "value": value, "previous": previous,
                               "status": row.get_status_display() if row else ""})
        lines.append({"indicator": line.indicator, "components": components, "cumulative": line.cumulative,
                      "errors": field_errors.get(line.indicator.code, [])})
    return render(request, "reports/county_return.html", {
        "region": region, "period": period, "county_return": county_return, "lines": lines, "editable": editable,
        "correctable": correctable,
        "corrections": (Correction.objects.for_user(user).filter(county_return=county_return)
                        .select_related("indicator", "requested_by", "reviewed_by").prefetch_related("items__value__component")
                        if county_return else []),
        "reviewable": reviewable, "is_open": is_open, "posted": posted,
        "warnings": county_return_warnings(county_return) if county_return else [],
        "errors": (field_errors.get("__all__", []) if field_errors else (errors.messages if errors else [])),
        "has_field_errors": bool(field_errors), "conflict": conflict,
    }, status=status)


# ---------------------------------------------------------------- department task reports

REPORT_FIELDS = ("measures", "progress", "problems", "next_steps", "self_status")


def _can_see_task_reports(user) -> bool:
    return user.is_superuser or user.has_role("city_admin", "leader", "dept_officer")


@login_required
def task_board_view(request):
    if not _can_see_task_reports(request.user):
        raise Http404
    plan = plan_current_for_user(request.user)
    if plan is None:
        raise Http404
    period = _period(request.GET.get("period"))
    rows = task_board(user=request.user, plan=plan, period=period)
    response = respond(request, {"tasks": lambda: task_reports_table(rows, period, timezone.localdate())},
                       period.label)
    if response is not None:
        return response
    return render(request, "reports/task_board.html", {
        "plan": plan, "period": period, "rows": rows, "today": timezone.localdate(),
        "periods": ReportingPeriod.objects.filter(year__gte=period.year - 1).order_by("-year", "-quarter")[:8],
    })


@login_required
def task_report_view(request, number: int, period_label: str):
    user = request.user
    plan = plan_current_for_user(user)
    if plan is None or not _can_see_task_reports(user):
        raise Http404
    period = _period(period_label)
    task = get_object_or_404(Task.objects.for_user(user), plan=plan, number=number, kind=Task.Kind.TASK)
    responsibilities = list(task.responsibilities.select_related("department").order_by("order"))
    lead = responsibilities[0].department
    my_dept = user.department if user.has_role("dept_officer") else None
    my_role = next((r.role for r in responsibilities if my_dept and r.department_id == my_dept.pk), "")
    if not (user.is_superuser or user.has_role("city_admin", "leader") or my_role):
        raise Http404  # another department's task: the same answer as a missing one
    report = TaskReport.objects.for_user(user).filter(task=task, period=period).first()
    part = TaskReportPart.objects.filter(task=task, period=period, department=my_dept).first() if my_role == "co" else None
    errors, conflict, status = [], [], 200
    if request.method == "POST":
        action, version = request.POST.get("action", ""), int(request.POST.get("version") or 0)
        fields = {f: request.POST.get(f, "") for f in REPORT_FIELDS}
        try:
            if action in ("part_save", "part_submit"):
                if my_role != "co":
                    raise PermissionDenied
                if part is None:
                    part = task_part_open(task=task, department=my_dept, period=period, user=user)
                    version = part.version
                part = task_part_save(part=part, fields=fields, version=version, user=user)
                if action == "part_submit":
                    task_part_submit(part=part, version=part.version, user=user)
            elif action in ("report_save", "report_submit"):
                if report is None:
                    report = task_report_open(task=task, period=period, user=user)
                    version = report.version
                report = task_report_save(report=report, fields=fields, version=version, user=user)
                if action == "report_submit":
                    task_report_submit(report=report, version=report.version, user=user)
            elif action in ("part_evidence", "report_evidence"):
                target = part if action == "part_evidence" else report
                if target is None or "file" not in request.FILES:
                    raise ValidationError(_("Choose a file, and save the report first."))
                evidence_attach(record=target, upload=request.FILES["file"], user=user)
            elif action == "instruct":
                instruction_give(task=task, text=request.POST.get("instruction", ""), user=user)
            elif action == "approve" and report is not None:
                task_report_approve(report=report, version=version, reviewer=user)
            elif action == "send_back" and report is not None:
                task_report_send_back(report=report, version=version, reviewer=user,
                                      comment=request.POST.get("comment", ""))
            else:
                raise Http404
            messages.success(request, _("Saved."))
            return redirect("reports:task-report", number=task.number, period_label=period.label)
        except Conflict as exc:
            conflict, status = exc.messages, 409
        except ValidationError as exc:
            errors, status = exc.messages, 400
    parts = TaskReportPart.objects.for_user(user).filter(task=task, period=period).select_related(
        "department", "submitted_by").order_by("department__order")
    today = timezone.localdate()
    is_open = period_is_open_for(period=period, today=today, department=my_dept) if my_dept else period.is_open_on(today)
    return render(request, "reports/task_report.html", {
        "plan": plan, "period": period, "task": task, "lead": lead, "responsibilities": responsibilities,
        "report": report, "part": part, "parts": parts, "my_role": my_role, "is_open": is_open,
        "report_editable": my_role == "lead" and is_open and (report is None or report.is_editable_state),
        "part_editable": my_role == "co" and is_open and (part is None or part.state == "draft"),
        "reviewable": user.has_role("city_admin") and report is not None and report.state in ("submitted", "resubmitted"),
        "errors": errors, "conflict": conflict, "posted": request.POST if request.method == "POST" else None,
        "statuses": SelfStatus.choices, "can_instruct": user.has_role("leader"),
        "instructions": Instruction.objects.filter(task=task).select_related("author"),
    }, status=status)


@login_required
def timeliness_view(request):
    """Completeness and timeliness of one period, per department and per county."""
    user = request.user
    if not (user.is_superuser or user.has_role("city_admin", "leader", "dept_officer", "county_officer")):
        raise Http404
    plan = plan_current_for_user(user)
    period = _period(request.GET.get("period"))
    departments = department_timeliness(user=user, plan=plan, period=period) if plan else []
    counties = county_timeliness(user=user, period=period)
    response = respond(request, {"departments": lambda: department_timeliness_table(departments, period),
                                 "counties": lambda: county_timeliness_table(counties, period)},
                       f"{_('Completeness and timeliness')} {period.label}")
    if response is not None:
        return response
    return render(request, "reports/timeliness.html", {
        "period": period, "departments": departments, "counties": counties,
        "department_total": _total(departments), "county_total": _total(counties),
        "periods": ReportingPeriod.objects.filter(year__gte=period.year - 1).order_by("-year", "-quarter")[:8],
    })


def _total(rows):
    from .selectors import Timeliness

    total = Timeliness(None)
    for r in rows:
        total.expected, total.on_time, total.late = total.expected + r.expected, total.on_time + r.on_time, total.late + r.late
    return total


@login_required
def notifications_view(request):
    """My messages; opening the page marks them read (downloading them does not)."""
    response = respond(request, {"notifications": lambda: notifications_table(
        Notification.objects.for_user(request.user))}, "")
    if response is not None:
        return response
    notes = list(Notification.objects.for_user(request.user)[:100])
    Notification.objects.for_user(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "reports/notifications.html", {"notes": notes})


@login_required
def extensions_view(request):
    """Extension requests: the office decides; an officer asks for their own unit."""
    user = request.user
    if not (user.has_role("city_admin", "county_officer", "dept_officer")):
        raise Http404
    errors = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "request":
                import datetime

                period = _period(request.POST.get("period"))
                try:
                    until = datetime.date.fromisoformat(request.POST.get("until", ""))
                except ValueError as exc:
                    raise ValidationError(_("Give the date as YYYY-MM-DD.")) from exc
                extension_request(period=period, until=until, reason=request.POST.get("reason", ""), user=user)
            else:
                ext = get_object_or_404(ExtensionRequest, pk=request.POST.get("request"))
                extension_decide(request=ext, approve=request.POST.get("action") == "approve", reviewer=user,
                                 comment=request.POST.get("comment", ""))
            messages.success(request, _("Saved."))
            return redirect("reports:extensions")
        except ValidationError as exc:
            errors = exc.messages
    requests = ExtensionRequest.objects.select_related("period", "region", "department", "requested_by", "reviewed_by")
    if not user.has_role("city_admin"):
        requests = requests.filter(requested_by=user)
    return render(request, "reports/extensions.html", {
        "requests": requests[:100], "errors": errors, "is_office": user.has_role("city_admin"),
        "periods": ReportingPeriod.objects.filter(year__gte=timezone.localdate().year - 1).order_by("-year", "-quarter")[:8],
    }, status=400 if errors else 200)


@login_required
def evidence_download(request, pk: int):
    """A file of evidence, for whoever may see the report or part it belongs to."""
    evidence = get_object_or_404(Evidence.objects.select_related("report", "part"), pk=pk)
    visible = (TaskReport.objects.for_user(request.user).filter(pk=evidence.report_id).exists() if evidence.report_id
               else TaskReportPart.objects.for_user(request.user).filter(pk=evidence.part_id).exists())
    if not visible:
        raise Http404
    from kernel.exports import file_download

    return file_download(request, evidence.file.open("rb"), filename=evidence.name, content_type=evidence.content_type,
                         what="task_report_evidence", subject_id=evidence.pk)
