"""The reporting pages. Each page asks reports.access who may see it, reads through the selectors
and the scoped querysets, checks what is posted with a form of reports.forms, and writes through
the services; a write that is refused writes nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts.stash import form_take
from divisions.models import Region
from kernel.exports import file_download, respond
from kernel.form_fields import posted_action
from kernel.refusals import refuse
from kernel.versioning import Conflict
from tasks.models import Responsibility, Task
from tasks.selectors import plan_current_for_user

from . import access
from .exports import (
    county_timeliness_table,
    department_timeliness_table,
    notifications_table,
    return_figures_table,
    returns_table,
    task_reports_table,
)
from .forms import (
    CorrectionDecisionForm,
    CorrectionRequestForm,
    EvidenceForm,
    EvidenceRemoveForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    InstructionForm,
    PartReturnForm,
    QuotePartsForm,
    ReportContentForm,
    ReturnFiguresForm,
    ReviewForm,
    WithdrawForm,
    figure_field_name,
)
from .models import (
    Correction,
    CountyReturn,
    Evidence,
    ExtensionRequest,
    Instruction,
    Notification,
    ReportingPeriod,
    ReviewState,
    ReviewStep,
    SelfStatus,
    TaskReport,
    TaskReportPart,
)
from .selectors import (
    city_timeliness,
    county_timeliness,
    department_timeliness,
    measure_entries,
    measure_rollups,
    measure_values_for_unit,
    part_states,
    period_as_of,
    period_for_label,
    periods_near,
    return_form,
    returns_board,
    returns_waiting,
    task_board,
    timeliness_total,
)
from .services import (
    AUTOSAVE_REASON,
    correction_approve,
    correction_reject,
    corrections_request,
    county_return_approve,
    county_return_open,
    county_return_save,
    county_return_send_back,
    county_return_submit,
    county_return_warnings,
    county_return_withdraw,
    evidence_attach,
    evidence_remove,
    extension_decide,
    extension_request,
    instruction_give,
    measures_entered_by,
    parts_missing,
    period_closed_message,
    period_is_open_for,
    reported_indicators,
    review_opened,
    task_part_open,
    task_part_return,
    task_part_save,
    task_part_submit,
    task_part_withdraw,
    task_report_approve,
    task_report_open,
    task_report_quote_parts,
    task_report_save,
    task_report_send_back,
    task_report_submit,
    task_report_withdraw,
    withdrawable,
)

LEAD, CO = Responsibility.Role.LEAD, Responsibility.Role.CO
UNDER_REVIEW = (ReviewState.SUBMITTED, ReviewState.RESUBMITTED)


def _period(label: str | None, user=None) -> ReportingPeriod:
    """The period a page names (a malformed or unknown label is a 404), or the one pages open on."""
    period = period_for_label(label) if label else period_as_of(user=user, today=timezone.localdate())
    if period is None:
        raise Http404
    return period


def _refusal(exc: ValidationError) -> tuple[list[str], dict[str, list[str]]]:
    """A service's refusal as the return page shows it: the general messages, and the messages
    per indicator code."""
    if not hasattr(exc, "error_dict"):
        return exc.messages, {}
    by_key = {key: [message for error in errors for message in error.messages]
              for key, errors in exc.error_dict.items()}
    return by_key.pop("__all__", []), by_key


@login_required
@require_safe
def inbox(request):
    """My work this quarter: the returns I fill in, or review, or read."""
    user = request.user
    if not access.can_see_returns(user):
        raise Http404
    period = _period(request.GET.get("period"), request.user)
    today = timezone.localdate()
    rows = returns_board(user=user, period=period, today=today)
    response = respond(request, {"returns": lambda: returns_table(rows, period)}, period.label)
    if response is not None:
        return response
    counts = {}
    for row in rows:
        key = row.county_return.state if row.county_return else "missing"
        counts[key] = counts.get(key, 0) + 1
    return render(request, "reports/inbox.html", {
        "period": period, "rows": rows, "counts": counts, "today": today,
        "waiting": returns_waiting(user=user, period=period), "periods": periods_near(period.year, today),
    })


# ---------------------------------------------------------------- county returns


@login_required
def county_return_view(request, region_code: str, period_label: str):
    user = request.user
    period = _period(period_label)
    region = get_object_or_404(CountyReturn.objects.units_for(user), code=region_code)
    county_return = CountyReturn.objects.for_user(user).filter(region=region, period=period).first()
    if request.method == "POST":
        return _county_return_post(request, region, period, county_return)
    shown = county_return or CountyReturn(region=region, period=period)
    response = respond(request, {"figures": lambda: return_figures_table(return_form(county_return=shown), shown)},
                       f"{region.name} {period.label}")
    if response is not None:
        return response
    if county_return is not None:
        review_opened(record=county_return, user=user)  # the office opened it: no longer withdrawn
    restored = form_take(request)  # what was typed when the session idled out, shown back
    return _render_return(request, region, period, county_return, posted=restored, restored=restored is not None)


RETURN_ACTIONS = ("save", "submit", "correct", "correction_approve", "correction_reject", "approve", "send_back",
                  "withdraw")
TASK_REPORT_ACTIONS = ("part_save", "part_submit", "report_save", "report_submit", "part_evidence", "report_evidence",
                       "part_evidence_remove", "report_evidence_remove", "instruct", "approve", "send_back", "part_return",
                       "report_quote", "part_withdraw", "report_withdraw")
SENT_TO_OFFICE = gettext_lazy("Sent to the office of the municipal employment leading group; waiting for review.")
EXTENSION_ACTIONS = ("request", "approve", "reject")


def _county_return_form(action: str, data, *, user, region: Region, county_return):
    """The form of one action of the return page (an unknown action is a 404)."""
    if action in ("save", "submit"):
        return ReturnFiguresForm(data, indicators=reported_indicators(region))
    if action == "correct":
        return CorrectionRequestForm(data, indicators=reported_indicators(region))
    if action in ("correction_approve", "correction_reject"):
        corrections = (Correction.objects.for_user(user).filter(county_return=county_return)
                       if county_return is not None else Correction.objects.none())
        return CorrectionDecisionForm(data, corrections=corrections)
    if action in ("approve", "send_back"):
        return ReviewForm(data)
    if action == "withdraw" and county_return is not None:
        return WithdrawForm(data)
    raise Http404


def _county_return_post(request, region: Region, period: ReportingPeriod, county_return):
    user = request.user
    action = posted_action(request.POST, RETURN_ACTIONS)
    form = _county_return_form(action, request.POST, user=user, region=region, county_return=county_return)
    page = {"request": request, "region": region, "period": period, "county_return": county_return,
            "posted": request.POST}
    if not form.is_valid():
        figure_errors = form.figure_errors() if hasattr(form, "figure_errors") else {}
        return _render_return(**page, errors=form.error_lines(), figure_errors=figure_errors, status=400)
    try:
        with transaction.atomic():
            done = _county_return_act(action, form, user=user, region=region, period=period,
                                      county_return=county_return)
    except Conflict as exc:
        return _render_return(**page, conflict=exc.messages, status=409)
    except ValidationError as exc:
        errors, figure_errors = _refusal(exc)
        return _render_return(**page, errors=errors, figure_errors=figure_errors, status=400)
    messages.success(request, done)
    return redirect("reports:county-return", region_code=region.code, period_label=period.label)


def _county_return_act(action: str, form, *, user, region: Region, period: ReportingPeriod, county_return) -> str:
    """Do one valid action of the return page; returns the message saying what was done."""
    data = form.cleaned_data
    version = data.get("version")
    if county_return is None:  # the county's officer starts the return with their first save
        county_return = county_return_open(region=region, period=period, user=user)
        version = county_return.version
    if action in ("save", "submit"):
        county_return = county_return_save(county_return=county_return, figures=form.figures(), version=version,
                                           user=user)
        if action == "save":
            return _("Saved as a draft.")
        county_return_submit(county_return=county_return, version=county_return.version, user=user,
                             explanation=data["explanation"])
        return str(SENT_TO_OFFICE)
    if action == "withdraw":
        county_return_withdraw(county_return=county_return, version=version, user=user, reason=data["reason"])
        return _("Withdrawn: change it and submit it again.")
    if action == "correct":
        count = corrections_request(county_return=county_return, figures=form.figures(), reason=data["reason"],
                                    user=user)
        return _("%(n)d correction requests sent for review.") % {"n": count}
    if action == "correction_approve":
        correction_approve(correction=data["correction"], reviewer=user)
        return _("Saved.")
    if action == "correction_reject":
        correction_reject(correction=data["correction"], reviewer=user, comment=data["comment"])
        return _("Saved.")
    if action == "approve":
        county_return_approve(county_return=county_return, version=version, reviewer=user)
        return _("Approved; the figures are being rolled up.")
    county_return_send_back(county_return=county_return, version=version, reviewer=user, comment=data["comment"])
    return _("Returned to the county with your comment.")


def _render_return(request, region: Region, period: ReportingPeriod, county_return, *, errors=(),
                   figure_errors=None, conflict=None, status=200, posted=None, restored=False):
    user = request.user
    figure_errors = figure_errors or {}
    is_owner = access.fills_in_return(user, region)
    is_open = period_is_open_for(period=period, region=region, today=timezone.localdate())
    editable = is_owner and is_open and (county_return is None or county_return.is_editable_state)
    correctable = is_owner and county_return is not None and county_return.state == CountyReturn.State.APPROVED
    can_review = access.reviews_reporting(user)
    lines = []
    for line in return_form(county_return=county_return or CountyReturn(region=region, period=period)):
        components = []
        for component, row, previous in line.components:
            name = figure_field_name(line.indicator.code, component.code)
            if posted is not None:
                value = posted.get(name, "")
            else:
                value = "" if row is None else f"{row.value.normalize():f}"
            components.append({"component": component, "name": name, "value": value, "previous": previous,
                               "status": row.get_status_display() if row else ""})
        lines.append({"indicator": line.indicator, "components": components, "cumulative": line.cumulative,
                      "errors": figure_errors.get(line.indicator.code, [])})
    corrections = (Correction.objects.for_user(user).filter(county_return=county_return)
                   .select_related("indicator", "requested_by", "reviewed_by")
                   .prefetch_related("items__value__component") if county_return else [])
    return render(request, "reports/county_return.html", {
        "region": region, "period": period, "county_return": county_return, "lines": lines, "editable": editable,
        "correctable": correctable, "corrections": corrections, "can_review": can_review,
        "reviewable": can_review and county_return is not None and county_return.state in UNDER_REVIEW,
        "is_open": is_open, "is_owner": is_owner, "posted": posted,
        "closed_message": "" if is_open else period_closed_message(period, timezone.localdate()),
        "warnings": county_return_warnings(county_return) if county_return else [],
        "errors": list(errors), "has_field_errors": bool(figure_errors), "conflict": conflict,
        "restored": restored, "steps": _steps(county_return),
        "withdrawable": withdrawable(county_return, user) if county_return else False,
    }, status=status)


def _steps(record):
    """The record's 流转记录, oldest first (templates/_steps.html)."""
    if record is None:
        return []
    return list(ReviewStep.objects.filter(**{
        "county_return" if isinstance(record, CountyReturn) else "part" if isinstance(record, TaskReportPart)
        else "report": record}).select_related("actor"))


# ---------------------------------------------------------------- department task reports


@login_required
@require_safe
def task_board_view(request):
    user = request.user
    if not access.can_see_task_reports(user):
        raise Http404
    plan = plan_current_for_user(user)
    if plan is None:
        raise Http404
    period = _period(request.GET.get("period"), request.user)
    today = timezone.localdate()
    rows = task_board(user=user, plan=plan, period=period)
    response = respond(request, {"tasks": lambda: task_reports_table(rows, period, today)}, period.label)
    if response is not None:
        return response
    return render(request, "reports/task_board.html", {
        "plan": plan, "period": period, "rows": rows, "today": today, "periods": periods_near(period.year, today),
    })


def _task_report_form(request, *, my_role: str, report, part, measures, parts):
    """The form of one action of the task report page (an unknown action is a 404)."""
    action = posted_action(request.POST, TASK_REPORT_ACTIONS)
    if action in ("part_save", "part_submit") and my_role != CO:
        raise PermissionDenied  # only a co-responsible department writes a part
    if action in ("part_return", "report_quote") and my_role != LEAD:
        raise PermissionDenied  # only the lead returns and quotes parts
    if action in ("part_save", "part_submit", "report_save", "report_submit"):
        return ReportContentForm(request.POST, files=request.FILES, measures=measures)
    if action == "part_withdraw" and part is not None:
        return WithdrawForm(request.POST)
    if action == "report_withdraw" and report is not None and my_role == LEAD:
        return WithdrawForm(request.POST)
    if action == "part_return":
        return PartReturnForm(request.POST, parts=parts)
    if action == "report_quote":
        return QuotePartsForm(request.POST, parts=parts.filter(state=TaskReportPart.State.SUBMITTED))
    if action in ("part_evidence", "report_evidence"):
        return EvidenceForm(request.POST, request.FILES)
    if action in ("part_evidence_remove", "report_evidence_remove"):
        return EvidenceRemoveForm(request.POST, record=part if action == "part_evidence_remove" else report)
    if action == "instruct":
        return InstructionForm(request.POST)
    if action in ("approve", "send_back") and report is not None:
        return ReviewForm(request.POST)
    raise Http404


def _task_report_act(action: str, form, *, user, task: Task, period: ReportingPeriod, report, part,
                     acting_department, lead=None) -> str:
    """Do one valid action of the task report page; returns the message saying what was done."""
    data = form.cleaned_data
    if action in ("part_save", "part_submit"):
        version = data["version"]
        if part is None:
            part = task_part_open(task=task, department=acting_department, period=period, user=user)
            version = part.version
        part = task_part_save(part=part, fields=form.report_fields(), version=version, user=user,
                              figures=form.figures())
        if data.get("file"):  # evidence attached with the text: both saved, or neither
            evidence_attach(record=part, upload=data["file"], user=user)
        if action == "part_submit":
            task_part_submit(part=part, version=part.version, user=user)
            return _("Sent to the lead unit %(lead)s; waiting for it to be compiled into the task's report.") % {
                "lead": lead.name if lead else ""}
    elif action in ("report_save", "report_submit"):
        version = data["version"]
        if report is None:
            report = task_report_open(task=task, period=period, user=user)
            version = report.version
        report = task_report_save(report=report, fields=form.report_fields(), version=version, user=user,
                                  figures=form.figures())
        if data.get("file"):
            evidence_attach(record=report, upload=data["file"], user=user)
        if action == "report_submit":
            task_report_submit(report=report, version=report.version, user=user,
                               missing_parts_reason=data["missing_parts_reason"])
            return str(SENT_TO_OFFICE)
    elif action == "part_withdraw":
        task_part_withdraw(part=part, version=data["version"], user=user, reason=data["reason"])
        return _("Withdrawn: change it and submit it again.")
    elif action == "report_withdraw":
        task_report_withdraw(report=report, version=data["version"], user=user, reason=data["reason"])
        return _("Withdrawn: change it and submit it again.")
    elif action == "part_return":
        task_part_return(part=data["part"], version=data["version"], user=user, comment=data["return_comment"])
    elif action == "report_quote":
        if report is None:
            report = task_report_open(task=task, period=period, user=user)
        task_report_quote_parts(report=report, parts=list(data["quoted"]), version=data["version"] or report.version,
                                user=user)
    elif action in ("part_evidence", "report_evidence"):
        record = part if action == "part_evidence" else report
        if record is None:
            refuse(_("Choose a file, and save the report first."))
        evidence_attach(record=record, upload=data["file"], user=user)
    elif action in ("part_evidence_remove", "report_evidence_remove"):
        evidence_remove(evidence=data["evidence"], user=user)
    elif action == "instruct":
        instruction_give(task=task, text=data["instruction"], user=user, deadline=data["deadline"],
                         units=form.units())
    elif action == "approve":
        task_report_approve(report=report, version=data["version"], reviewer=user)
    else:
        task_report_send_back(report=report, version=data["version"], reviewer=user, comment=data["comment"])
    return _("Saved.")


def _task_page(request, number: int, period_label: str) -> dict:
    """What the task report page and its autosave both need: the task, the user's duty on it, the
    report and the user's part (a 404 for a task the user has no business with)."""
    user = request.user
    plan = plan_current_for_user(user)
    if plan is None or not access.can_see_task_reports(user):
        raise Http404
    period = _period(period_label)
    task = get_object_or_404(Task.objects.for_user(user), plan=plan, number=number, kind=Task.Kind.TASK)
    responsibilities = list(task.responsibilities.select_related("department").order_by("order"))
    lead = responsibilities[0].department
    my_duty = access.acting_duty(user, responsibilities)
    my_role = my_duty.role if my_duty else ""
    if not access.can_open_task_report(user, my_role):
        raise Http404  # another department's task: the same answer as a missing one
    # the unit the user writes for here: their own, or a group's (市重点产业链牵头单位) they are a member of
    my_department = my_duty.department if my_duty else None
    report = TaskReport.objects.for_user(user).filter(task=task, period=period).first()
    part = (TaskReportPart.objects.filter(task=task, period=period, department=my_department).first()
            if my_role == CO else None)
    my_measures = measures_entered_by(task=task, department=my_department, period=period) if my_duty else []
    return {"plan": plan, "period": period, "task": task, "responsibilities": responsibilities, "lead": lead,
            "my_role": my_role, "my_department": my_department, "report": report, "part": part,
            "my_measures": my_measures}


@login_required
def task_report_view(request, number: int, period_label: str):
    user = request.user
    page = _task_page(request, number, period_label)
    plan, period, task, lead = page["plan"], page["period"], page["task"], page["lead"]
    my_role, my_department, report, part = page["my_role"], page["my_department"], page["report"], page["part"]
    responsibilities, my_measures = page["responsibilities"], page["my_measures"]
    lead_parts = TaskReportPart.objects.filter(task=task, period=period) if my_role == LEAD else TaskReportPart.objects.none()
    errors, conflict, status, posted = [], [], 200, None
    if request.method == "POST":
        form = _task_report_form(request, my_role=my_role, report=report, part=part, measures=my_measures,
                                 parts=lead_parts)
        if form.is_valid():
            try:
                with transaction.atomic():
                    done = _task_report_act(posted_action(request.POST, TASK_REPORT_ACTIONS), form, user=user, task=task,
                                            period=period, report=report, part=part, acting_department=my_department,
                                            lead=lead)
                messages.success(request, done)
                return redirect("reports:task-report", number=task.number, period_label=period.label)
            except Conflict as exc:
                conflict, status = exc.messages, 409
            except ValidationError as exc:
                errors, status = exc.messages, 400
        else:
            errors, status = form.error_lines(), 400
        posted = request.POST
    else:
        _reviewer_opens(user, report=report, parts=lead_parts)
        posted = form_take(request)  # what was typed when the session idled out, shown back
    parts = TaskReportPart.objects.for_user(user).filter(task=task, period=period).select_related(
        "department", "submitted_by").order_by("department__order")
    today = timezone.localdate()
    is_open = (period_is_open_for(period=period, today=today, department=my_department) if my_department
               else period.is_open_on(today))
    return render(request, "reports/task_report.html", {
        "closed_message": "" if is_open else period_closed_message(period, today),
        "plan": plan, "period": period, "task": task, "lead": lead, "responsibilities": responsibilities,
        "report": report, "part": part, "parts": parts, "my_role": my_role, "is_open": is_open,
        "report_editable": my_role == LEAD and is_open and (report is None or report.is_editable_state),
        "part_editable": my_role == CO and is_open and (part is None or part.state == TaskReportPart.State.DRAFT),
        "reviewable": access.reviews_reporting(user) and report is not None and report.state in UNDER_REVIEW,
        "errors": errors, "conflict": conflict, "posted": posted,
        "restored": request.method != "POST" and posted is not None,
        "report_steps": _steps(report), "part_steps": _steps(part),
        "report_withdrawable": my_role == LEAD and withdrawable(report, user),
        "part_withdrawable": my_role == CO and withdrawable(part, user),
        "statuses": SelfStatus.choices, "can_instruct": access.gives_instructions(user),
        "instructions": Instruction.objects.for_user(user).filter(task=task).select_related("author"),
        "my_department": my_department, "my_measures": [
            (m, posted.get(f"m__{m.code}", "") if posted is not None else _shown(value))
            for m, value in measure_values_for_unit(measures=my_measures, department=my_department, period=period)],
        "part_states": part_states(task=task, period=period) if my_role != CO else [],
        "measure_entries": measure_entries(task=task, period=period) if my_role != CO else [],
        "missing_parts": parts_missing(report) if report is not None and my_role == LEAD else [],
        "rollups": measure_rollups(plan=plan, task=task, quarter=period.as_quarter, approved_only=False),
        "rollup_years": range(plan.first_quarter.year, plan.last_quarter.year + 1), "approved_only": False,
        "instruction_form": InstructionForm() if access.gives_instructions(user) else None,
    }, status=status)


def _reviewer_opens(user, *, report, parts) -> None:
    """Opening the page is opening what waits there for the user's review: the office a sent
    report, the lead its sent parts (from then on they can no longer be withdrawn)."""
    if report is not None:
        review_opened(record=report, user=user)
    for part in parts.filter(state=TaskReportPart.State.SUBMITTED):
        review_opened(record=part, user=user)


# ---------------------------------------------------------------- autosave


def _autosaved(version: int) -> JsonResponse:
    return JsonResponse({"version": version, "message": _("Saved automatically at %(time)s.") % {
        "time": timezone.localtime().strftime("%H:%M:%S")}})


def _autosave_refused(exc: ValidationError) -> JsonResponse:
    status = 409 if isinstance(exc, Conflict) else 400
    return JsonResponse({"error": "；".join(exc.messages), "conflict": status == 409}, status=status)


@login_required
@require_POST
def task_report_autosave(request, number: int, period_label: str):
    """Autosave while typing (static/js/keep_work.js): the user's part or the lead's report saved as
    a draft through the same form and services as "Save draft", versioned: a stale version is a
    409 with who changed it (the page shows it and stops saving), never an overwrite. Answers JSON
    with the new version."""
    user = request.user
    page = _task_page(request, number, period_label)
    my_role = page["my_role"]
    if my_role not in (LEAD, CO):
        raise Http404
    form = ReportContentForm(request.POST, measures=page["my_measures"])
    if not form.is_valid():
        return JsonResponse({"error": "；".join(form.error_lines()), "conflict": False}, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if my_role == CO:
                part, version = page["part"], data["version"]
                if part is None:
                    part = task_part_open(task=page["task"], department=page["my_department"], period=page["period"],
                                          user=user)
                    version = part.version
                saved = task_part_save(part=part, fields=form.report_fields(), version=version, user=user,
                                       figures=form.figures(), reason=AUTOSAVE_REASON)
            else:
                report, version = page["report"], data["version"]
                if report is None:
                    report = task_report_open(task=page["task"], period=page["period"], user=user)
                    version = report.version
                saved = task_report_save(report=report, fields=form.report_fields(), version=version, user=user,
                                         figures=form.figures(), reason=AUTOSAVE_REASON)
    except PermissionDenied:
        return JsonResponse({"error": _("You cannot change this."), "conflict": False}, status=403)
    except ValidationError as exc:
        return _autosave_refused(exc)
    return _autosaved(saved.version)


@login_required
@require_POST
def county_return_autosave(request, region_code: str, period_label: str):
    """Autosave of a return's figures while typing, through the return's form and county_return_save
    (versioned like every save). An indicator filled in part is not saved yet (the answer says so;
    the page keeps what was typed and saves it once the indicator is complete)."""
    user = request.user
    period = _period(period_label)
    region = get_object_or_404(CountyReturn.objects.units_for(user), code=region_code)
    if not access.fills_in_return(user, region):
        raise Http404
    county_return = CountyReturn.objects.for_user(user).filter(region=region, period=period).first()
    form = ReturnFiguresForm(request.POST, indicators=reported_indicators(region))
    if not form.is_valid():
        return JsonResponse({"error": "；".join(form.error_lines()), "conflict": False}, status=400)
    try:
        with transaction.atomic():
            version = form.cleaned_data.get("version")
            if county_return is None:
                county_return = county_return_open(region=region, period=period, user=user)
                version = county_return.version
            saved = county_return_save(county_return=county_return, figures=form.figures(), version=version, user=user,
                                       reason=AUTOSAVE_REASON)
    except PermissionDenied:
        return JsonResponse({"error": _("You cannot change this."), "conflict": False}, status=403)
    except ValidationError as exc:
        return _autosave_refused(exc)
    return _autosaved(saved.version)


# ---------------------------------------------------------------- timeliness, notifications, extensions


def task_measures_panel(*, request, plan, task) -> str:
    """The task page's panel (registered in apps.py): the task's measures rolled up by year and
    over the plan, approved quarters only."""
    if task.kind != Task.Kind.TASK:
        return ""
    return render_to_string("reports/_measure_rollups.html", {
        "rollups": measure_rollups(plan=plan, task=task), "approved_only": True,
        "rollup_years": range(plan.first_quarter.year, plan.last_quarter.year + 1)}, request=request)


def _shown(value) -> str:
    """A stored figure as the form shows it: 12 rather than 12.00, 3.50 as 3.5."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


@login_required
@require_safe
def timeliness_view(request):
    """Completeness and timeliness of one period, per department and per county."""
    user = request.user
    if not access.can_see_timeliness(user):
        raise Http404
    plan = plan_current_for_user(user)
    period = _period(request.GET.get("period"), request.user)
    departments = department_timeliness(user=user, plan=plan, period=period) if plan else []
    counties = city_timeliness(user=user, period=period) + county_timeliness(user=user, period=period)
    response = respond(request, {"departments": lambda: department_timeliness_table(departments, period),
                                 "counties": lambda: county_timeliness_table(counties, period)},
                       f"{_('Completeness and timeliness')} {period.label}")
    if response is not None:
        return response
    return render(request, "reports/timeliness.html", {
        "period": period, "departments": departments, "counties": counties,
        "department_total": timeliness_total(departments), "county_total": timeliness_total(counties),
        "periods": periods_near(period.year, timezone.localdate()),
    })


@login_required
@require_safe
def notifications_view(request):
    """My messages; opening the page marks them read (downloading them does not)."""
    mine = Notification.objects.for_user(request.user)
    response = respond(request, {"notifications": lambda: notifications_table(mine)}, "")
    if response is not None:
        return response
    notes = list(mine[:100])
    mine.unread().update(read_at=timezone.now())
    return render(request, "reports/notifications.html", {
        "notes": notes, "reads_delivery_log": access.reads_delivery_log(request.user)})


def _extension_form(request):
    """The form of one action of the extensions page (an unknown action is a 404)."""
    action = posted_action(request.POST, EXTENSION_ACTIONS)
    if action == "request":
        return ExtensionRequestForm(request.POST)
    if action in ("approve", "reject"):
        if not access.reviews_reporting(request.user):
            raise PermissionDenied
        return ExtensionDecisionForm(request.POST, requests=ExtensionRequest.objects.editable_by(request.user))
    raise Http404


@login_required
def extensions_view(request):
    """Extension requests: the office decides; an officer asks for their own unit."""
    user = request.user
    if not access.can_see_extensions(user):
        raise Http404
    errors = []
    if request.method == "POST":
        form = _extension_form(request)
        if form.is_valid():
            data, action = form.cleaned_data, posted_action(request.POST, EXTENSION_ACTIONS)
            try:
                with transaction.atomic():
                    if action == "request":
                        extension_request(period=data["period"], until=data["until"], reason=data["reason"],
                                          user=user)
                    else:
                        extension_decide(request=data["request"], approve=action == "approve", reviewer=user,
                                         comment=data["comment"])
                messages.success(request, _("Saved."))
                return redirect("reports:extensions")
            except ValidationError as exc:
                errors = exc.messages
        else:
            errors = form.error_lines()
    requests = ExtensionRequest.objects.for_user(user).select_related(
        "period", "region", "department", "requested_by", "reviewed_by")
    return render(request, "reports/extensions.html", {
        "requests": requests[:100], "errors": errors, "is_office": access.reviews_reporting(user),
        "periods": periods_near(timezone.localdate().year, timezone.localdate()),
        "default_period": request.GET.get("period") or getattr(period_as_of(user=user, today=timezone.localdate()),
                                                               "label", ""),
    }, status=400 if errors else 200)


@login_required
@require_safe
def evidence_download(request, pk: int):
    """A file of evidence, for whoever may see the report or part it belongs to."""
    evidence = get_object_or_404(Evidence.objects.for_user(request.user), pk=pk)
    return file_download(request, evidence.file.open("rb"), filename=evidence.name, content_type=evidence.content_type,
                         what="task_report_evidence", subject_id=evidence.pk)
