"""The final assessment's page (`/plans/<plan code>/assessment/`): the latest version (or one
asked for), its frozen figures with later corrections beside them, the office's steps (draft,
check, issue) and the downloads (.xlsx, .docx)."""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kernel.exports import XLSX_TYPE, file_download
from kernel.form_fields import form_errors, posted_action
from tasks.models import Plan

from .documents import assessment_docx, assessment_xlsx, cutoff_text, met_text, self_status_text, shown, status_text
from .forms import DraftForm, StepForm
from .models import FinalAssessment, can_read_assessments, can_write_assessments
from .selectors import corrections_after, current_figures, plan_has_ended
from .services import assessment_check, assessment_draft, assessment_issue, default_title

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan(request, code: str) -> Plan:
    if not can_read_assessments(request.user):
        raise Http404
    return get_object_or_404(Plan.objects.for_user(request.user), code=code)


def _post(request, plan: Plan):
    """One of the office's steps; returns the errors (the page is shown again with them)."""
    if not can_write_assessments(request.user):
        raise Http404
    action = posted_action(request.POST, ["draft", "check", "issue"])
    form = DraftForm(request.POST) if action == "draft" else StepForm(request.POST)
    if not form.is_valid():
        return form_errors(form)
    data = form.cleaned_data
    try:
        if action == "draft":
            done = assessment_draft(plan=plan, user=request.user, doc_number=data["doc_number"],
                                    title=data["title"], issuer=data["issuer"])
            messages.success(request, _("Version %(version)d drafted: the figures are frozen as of now.")
                             % {"version": done.version})
        else:
            assessment = get_object_or_404(FinalAssessment.objects.for_user(request.user), plan=plan,
                                           version=data["version"])
            step = assessment_check if action == "check" else assessment_issue
            done = step(assessment=assessment, user=request.user)
            messages.success(request, _("Version %(version)d: %(state)s.") % {
                "version": done.version, "state": done.get_state_display()})
    except ValidationError as exc:
        return exc.messages
    return None


def _rows(assessment: FinalAssessment, user) -> tuple[list, list]:
    """The targets as the page shows them: frozen figure, and beside it any correction approved
    after the cut-off with the figure as the snapshots stand now."""
    later = corrections_after(plan=assessment.plan, cutoff=assessment.data_cutoff, user=user)
    now = current_figures(plan=assessment.plan, user=user) if later else {}
    main, task_level = [], []
    for t in assessment.content.get("targets", []):
        row = {**t, "final_shown": shown(t["final"]["value"], t["unit"], suffix=True), "met_text": met_text(t["final"]["met"]),
               "status_text": status_text(t["final"]["status"]),
               "path_shown": [shown(p["value"], t["unit"]) for p in t["path"]],
               "later": later.get(t["indicator"], []),
               "now_shown": shown(str(now[t["indicator"]]), t["unit"], suffix=True) if now.get(t["indicator"]) is not None else "—",
               "counties_shown": [{**r, "quota_shown": shown(r["quota"], t["unit"]), "value_shown": shown(r["value"], t["unit"]),
                                   "met_text": met_text(r["met"]), "path_shown": [shown(v, t["unit"]) for v in r["path"]]}
                                  for r in t["counties"]]}
        (main if t["category"] == "main" else task_level).append(row)
    return main, task_level


@login_required
def assessment_page(request, code: str, version: int | None = None):
    plan = _plan(request, code)
    errors, status = [], 200
    if request.method == "POST":
        errors = _post(request, plan)
        if errors is None:
            return redirect("assessments:page", code=plan.code)
        status = 400
    versions = list(FinalAssessment.objects.for_user(request.user).filter(plan=plan)
                    .select_related("drafted_by", "checked_by", "issued_by"))
    if version is not None:
        assessment = next((a for a in versions if a.version == version), None)
        if assessment is None:
            raise Http404
    else:  # the issued one, else the latest
        assessment = next((a for a in versions if a.is_issued), versions[0] if versions else None)
    context = {"plan": plan, "assessment": assessment, "versions": versions, "errors": errors,
               "can_write": can_write_assessments(request.user), "ended": plan_has_ended(plan),
               "issued": any(a.is_issued for a in versions), "default_title": default_title(plan),
               "latest": versions[0] if versions else None}
    if assessment is not None:
        c = assessment.content
        main, task_level = _rows(assessment, request.user)
        tasks = [{**t, "statuses_shown": [{**s, "text": self_status_text(s["status"])} for s in t["statuses"]],
                  "instructions": [{**i, "given_on": datetime.datetime.fromisoformat(i["given_at"])}
                                   for i in t["instructions"]]} for t in c.get("tasks", [])]
        context.update(certification_on=datetime.date.fromisoformat(c["certification"]["on"]), main=main, task_level=task_level, tasks=tasks, content=c, cutoff=cutoff_text(assessment),
                       met_count=sum(1 for t in main if t["final"]["met"] is True))
    return render(request, "assessments/page.html", context, status=status)


@login_required
def assessment_download(request, code: str, version: int, kind: str):
    plan = _plan(request, code)
    assessment = get_object_or_404(FinalAssessment.objects.for_user(request.user), plan=plan, version=version)
    if kind not in ("xlsx", "docx"):
        raise Http404
    stored = assessment.workbook if kind == "xlsx" else assessment.document
    if assessment.is_issued and stored:
        file = stored.open("rb")  # the files as issued, byte for byte
    else:  # a draft (or an issued one whose files are still being written): built from the frozen content
        file = io.BytesIO(assessment_xlsx(assessment) if kind == "xlsx" else assessment_docx(assessment))
    return file_download(request, file, filename=assessment.filename(kind),
                         content_type=XLSX_TYPE if kind == "xlsx" else DOCX_TYPE, what=f"final_assessment_{kind}",
                         subject_id=assessment.pk)
