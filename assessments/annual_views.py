"""The annual assessment's pages (`/assessments/annual/`): the years with their schemes and
assessments; a year's scheme for departments or counties (the office edits: every save a new
version); a year's assessment with every score, its rule and the records behind it, ties 并列,
last year beside; the office's steps (compute, check, issue); the 通报 (.docx) and its template."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kernel.exports import file_download
from kernel.form_fields import form_errors, posted_action
from targets.models import Indicator, Target
from tasks.models import Plan

from .annual import DEFAULT_RULES, TOTAL_RULE, method_text
from .documents import RED_HEAD, annual_docx, cutoff_text, previous_text, rank_text
from .forms import AnnualDraftForm, SchemeForm, SchemeItemFormSet, StepForm, TemplateForm
from .models import (
    AnnualAssessment,
    AssessmentScheme,
    Audience,
    DocumentTemplate,
    can_read_assessments,
    can_write_assessments,
)
from .selectors import corrections_after
from .services import (
    ItemInput,
    annual_check,
    annual_default_title,
    annual_issue,
    annual_request,
    scheme_in_force,
    scheme_save,
    template_upload,
)
from .views import DOCX_TYPE

YEARS = range(2021, 2031)
ANNUAL_ACTIONS = ("compute", "check", "issue")


def _reader(request) -> None:
    if not can_read_assessments(request.user):
        raise Http404


def _year(year: int) -> int:
    if year not in YEARS:
        raise Http404
    return year


def _default_plan(year: int) -> Plan | None:
    return Plan.objects.filter(period_start__year__lte=year, period_end__year__gte=year).order_by("-period_start").first()


@login_required
@require_GET
def annual_list(request):
    _reader(request)
    return _list_page(request)


def _list_page(request, errors: list[str] | None = None, status: int = 200):
    rows = []
    for year in sorted({*AssessmentScheme.objects.values_list("year", flat=True),
                        *AnnualAssessment.objects.values_list("year", flat=True)}, reverse=True):
        versions = list(AnnualAssessment.objects.filter(year=year).select_related("drafted_by", "checked_by",
                                                                                    "issued_by"))
        rows.append({"year": year, "counties": scheme_in_force(year, Audience.COUNTIES),
                     "departments": scheme_in_force(year, Audience.DEPARTMENTS),
                     "issued": next((a for a in versions if a.is_issued), None),
                     "latest": versions[0] if versions else None})
    return render(request, "assessments/annual_list.html", {
        "rows": rows, "can_write": can_write_assessments(request.user), "years": YEARS,
        "audiences": Audience.choices, "template": DocumentTemplate.objects.first(), "errors": errors or []},
        status=status)


def _formset_initial(scheme: AssessmentScheme | None, audience: str, plan: Plan | None) -> list[dict]:
    if scheme is not None:
        return [{"kind": i.kind, "indicator": i.indicator_id, "name": i.name, "weight": i.weight, "rule": i.rule}
                for i in scheme.items.all().order_by("order", "pk")]
    rows = [{"kind": "timeliness", "name": "报送及时", "weight": 30, "rule": DEFAULT_RULES["timeliness"]},
            {"kind": "completeness", "name": "报送完整", "weight": 20, "rule": DEFAULT_RULES["completeness"]},
            {"kind": "sent_back", "name": "材料退回", "weight": 10, "rule": DEFAULT_RULES["sent_back"]},
            {"kind": "instructions", "name": "批示办理", "weight": 20, "rule": DEFAULT_RULES["instructions"]}]
    rows.append({"kind": "measures", "name": "任务指标", "weight": 20, "rule": DEFAULT_RULES["measures"]}
                if audience == Audience.DEPARTMENTS else
                {"kind": "target", "name": "城镇新增就业", "weight": 20, "rule": DEFAULT_RULES["target"],
                 "indicator": Indicator.objects.filter(code="urban_new_jobs").values_list("pk", flat=True).first()})
    return rows


@login_required
def scheme_view(request, year: int, audience: str):
    _reader(request)
    year = _year(year)
    if audience not in Audience.values:
        raise Http404
    scheme = scheme_in_force(year, audience)
    versions = list(AssessmentScheme.objects.filter(year=year, audience=audience).select_related("created_by"))
    can_write = can_write_assessments(request.user)
    indicators = Indicator.objects.filter(pk__in=Target.objects.values("indicator")).order_by("code")
    errors, status = [], 200
    plan = scheme.plan if scheme else _default_plan(year)
    fixed = AnnualAssessment.objects.filter(year=year, state=AnnualAssessment.State.ISSUED).exists()
    if request.method == "POST":
        if not can_write:
            raise Http404
        form = SchemeForm(request.POST)
        formset = SchemeItemFormSet(request.POST, prefix="items", form_kwargs={"indicators": indicators})
        if form.is_valid() and formset.is_valid():
            items = [ItemInput(kind=f.cleaned_data["kind"], name=f.cleaned_data["name"],
                               weight=f.cleaned_data["weight"], rule=f.cleaned_data["rule"],
                               indicator=f.cleaned_data.get("indicator"))
                     for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                saved = scheme_save(year=year, audience=audience, plan=form.cleaned_data["plan"], items=items,
                                    user=request.user, note=form.cleaned_data["note"],
                                    based_on=form.cleaned_data.get("based_on"))
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("Scheme version %(version)d saved.") % {"version": saved.version})
                return redirect("annual:scheme", year=year, audience=audience)
        else:
            errors = form_errors(form) + [m for f in formset.forms for m in form_errors(f)] + list(
                formset.non_form_errors())
        status = 400
    else:
        form = SchemeForm(initial={"plan": plan.pk if plan else None, "note": scheme.note if scheme else "",
                                   "based_on": scheme.version if scheme else 0})
        formset = SchemeItemFormSet(prefix="items", initial=_formset_initial(scheme, audience, plan),
                                    form_kwargs={"indicators": indicators})
    items = list(scheme.items.all().select_related("indicator").order_by("order", "pk")) if scheme else []
    return render(request, "assessments/annual_scheme.html", {
        "year": year, "audience": audience, "audience_label": Audience(audience).label, "scheme": scheme,
        "items": [{"item": i, "method": method_text(i, scheme.plan)} for i in items], "versions": versions,
        "can_write": can_write and not fixed, "fixed": fixed, "form": form, "formset": formset, "errors": errors,
        "total_rule": TOTAL_RULE}, status=status)


def _annual_post(request, year: int):
    if not can_write_assessments(request.user):
        raise Http404
    action = posted_action(request.POST, ANNUAL_ACTIONS)
    form = AnnualDraftForm(request.POST) if action == "compute" else StepForm(request.POST)
    if not form.is_valid():
        return form_errors(form)
    data = form.cleaned_data
    try:
        if action == "compute":
            annual_request(year=year, user=request.user, doc_number=data["doc_number"], title=data["title"],
                           issuer=data["issuer"])
            messages.success(request, _("The assessment is being computed from the records; the new draft version "
                                        "appears here when the job has run."))
        else:
            assessment = get_object_or_404(AnnualAssessment.objects.for_user(request.user), year=year,
                                           version=data["version"])
            step = annual_check if action == "check" else annual_issue
            done = step(assessment=assessment, user=request.user)
            messages.success(request, _("Version %(version)d: %(state)s.") % {
                "version": done.version, "state": done.get_state_display()})
    except ValidationError as exc:
        return exc.messages
    return None


def _groups(content: dict) -> list[dict]:
    groups = []
    for group in content.get("groups", []):
        rows = [{**row, "rank_text": rank_text(row), "previous_text": previous_text(row),
                 "cells": [{**cell, "item": item} for cell, item in zip(row["cells"], group["items"], strict=True)]}
                for row in group["rows"]]
        groups.append({**group, "heading": Audience(group["audience"]).label, "rows": rows})
    return groups


@login_required
def annual_view(request, year: int, version: int | None = None):
    _reader(request)
    year = _year(year)
    errors, status = [], 200
    if request.method == "POST":
        errors = _annual_post(request, year)
        if errors is None:
            return redirect("annual:assessment", year=year)
        status = 400
    versions = list(AnnualAssessment.objects.for_user(request.user).filter(year=year)
                    .select_related("drafted_by", "checked_by", "issued_by"))
    if version is not None:
        assessment = next((a for a in versions if a.version == version), None)
        if assessment is None:
            raise Http404
    else:
        assessment = next((a for a in versions if a.is_issued), versions[0] if versions else None)
    issued = next((a for a in versions if a.is_issued), None)
    context = {"year": year, "assessment": assessment, "versions": versions, "errors": errors,
               "can_write": can_write_assessments(request.user), "issued": issued,
               "default_title": annual_default_title(year), "latest": versions[0] if versions else None,
               "schemes": {a: scheme_in_force(year, a) for a in Audience.values}}
    if assessment is not None:
        corrections = [c for rows in corrections_after(plan=assessment.plan, cutoff=assessment.data_cutoff,
                                                       user=request.user).values()
                       for c in rows if c.quarter.startswith(str(year))]
        context.update(content=assessment.content, groups=_groups(assessment.content), cutoff=cutoff_text(assessment),
                       corrections=corrections, corrected={c.county for c in corrections}, red_head=RED_HEAD)
    return render(request, "assessments/annual_page.html", context, status=status)


@login_required
def annual_download(request, year: int, version: int):
    _reader(request)
    assessment = get_object_or_404(AnnualAssessment.objects.for_user(request.user), year=_year(year), version=version)
    if assessment.is_issued and assessment.document:
        file = assessment.document.open("rb")  # the 通报 as issued, byte for byte
    else:
        file = io.BytesIO(annual_docx(assessment))
    return file_download(request, file, filename=assessment.filename("docx"), content_type=DOCX_TYPE,
                         what="annual_assessment_docx", subject_id=assessment.pk)


@login_required
def template_view(request):
    """The office replaces the 通报's template (.docx); GET downloads the one in force."""
    if not can_write_assessments(request.user):
        raise Http404
    if request.method == "POST":
        form = TemplateForm(request.POST, request.FILES)
        if not form.is_valid():
            return _list_page(request, form_errors(form), 400)
        upload = form.cleaned_data["file"]
        try:
            template_upload(name=upload.name, content=upload.read(), user=request.user)
        except ValidationError as exc:
            return _list_page(request, exc.messages, 400)
        messages.success(request, _("The template is replaced; the next 通报 is written into it."))
        return redirect("annual:list")
    template = DocumentTemplate.objects.first()
    if template is None:
        raise Http404
    return file_download(request, template.file.open("rb"), filename=template.name, content_type=DOCX_TYPE,
                         what="annual_template", subject_id=template.pk)
