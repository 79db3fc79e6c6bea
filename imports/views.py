"""Pages of imports: upload, preview, confirm, progress and result."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.scoping import officer_county_id
from communities.models import Tier
from divisions.models import Region
from kernel.exports import XLSX_TYPE, file_download
from kernel.form_fields import form_errors
from kernel.security_log import security_event
from reports.models import ReportingPeriod
from tasks.models import Task
from tasks.selectors import plan_current_for_user

from .forms import UploadForm
from .models import ImportBatch
from .reading import where
from .services import import_allowed, import_confirm, import_upload, progress_get

SAMPLES = Path(__file__).resolve().parent / "samples"


def _period(label: str) -> ReportingPeriod:
    try:
        return ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))
    except (ValueError, ReportingPeriod.DoesNotExist) as exc:
        raise Http404 from exc


def _upload(request, *, kind: str, region=None, period=None, tier=None, template: str, context: dict):
    if not import_allowed(user=request.user, kind=kind, region=region):
        raise Http404
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, template, {**context, "error": " ".join(form_errors(form))}, status=400)
        batch = import_upload(user=request.user, kind=kind, upload=form.cleaned_data["file"], period=period,
                              region=region, tier=tier)
        security_event("import_upload", request=request, kind=kind, batch=batch.pk, state=batch.state,
                       file_sha256=batch.file_sha256, size=batch.file_size)
        return redirect("imports:batch", pk=batch.pk)
    return render(request, template, context)


@login_required
def community_upload(request):
    return _upload(request, kind=ImportBatch.Kind.COMMUNITY_PROFILES, template="imports/upload_communities.html",
                   context={"recent": ImportBatch.objects.for_user(request.user).filter(
                       kind=ImportBatch.Kind.COMMUNITY_PROFILES).select_related("created_by")[:10]})


@login_required
def brands_upload(request):
    """A county officer's labour brands (task 11), one row per brand."""
    return _upload(request, kind=ImportBatch.Kind.LABOUR_BRANDS, template="imports/upload_brands.html",
                   context={"recent": ImportBatch.objects.for_user(request.user).filter(
                       kind=ImportBatch.Kind.LABOUR_BRANDS).select_related("created_by")[:10]})


@login_required
def return_upload(request, region_code: str, period_label: str):
    period = _period(period_label)
    region = get_object_or_404(Region.objects.for_user(request.user), code=region_code,
                               level__in=[Region.Level.COUNTY, Region.Level.CITY])
    return _upload(request, kind=ImportBatch.Kind.COUNTY_RETURN, region=region, period=period,
                   template="imports/upload_return.html",
                   context={"region": region, "period": period,
                            "recent": ImportBatch.objects.for_user(request.user).filter(
                                kind=ImportBatch.Kind.COUNTY_RETURN, scope_region=region, period=period)
                            .select_related("created_by")[:10]})


@login_required
def applications_upload(request, tier_code: str):
    """A county's villages and communities applying for one tier, with their checklist answers."""

    tier = get_object_or_404(Tier.objects.for_user(request.user), code=tier_code)
    region = Region.objects.for_user(request.user).counties().filter(pk=officer_county_id(request.user)).first()
    criteria = list(tier.criteria.filter(is_active=True).order_by("order", "code"))
    return _upload(request, kind=ImportBatch.Kind.APPLICATIONS, region=region, tier=tier,
                   template="imports/upload_applications.html",
                   context={"tier": tier, "criteria": criteria, "region": region,
                            "tiers": Tier.objects.for_user(request.user),
                            "recent": ImportBatch.objects.for_user(request.user).filter(
                                kind=ImportBatch.Kind.APPLICATIONS, options__tier=tier.code)
                            .select_related("created_by")[:10]})


@login_required
def task_reports_upload(request, period_label: str):
    """A department's part or report on each of its tasks for a quarter."""
    period = _period(period_label)
    return _upload(request, kind=ImportBatch.Kind.TASK_REPORTS, period=period,
                   template="imports/upload_task_reports.html",
                   context={"period": period, "department": request.user.department,
                            "recent": ImportBatch.objects.for_user(request.user).filter(
                                kind=ImportBatch.Kind.TASK_REPORTS, period=period).select_related("created_by")[:10]})


@login_required
def plan_upload(request):
    """A whole plan from its workbook (the office's successor plan): the city administrator's."""
    return _upload(request, kind=ImportBatch.Kind.PLAN, template="imports/upload_plan.html",
                   context={"recent": ImportBatch.objects.for_user(request.user).filter(
                       kind=ImportBatch.Kind.PLAN).select_related("created_by")[:10]})


@login_required
@require_safe
def plan_template_download(request):
    from .plan_workbook import plan_workbook

    if not import_allowed(user=request.user, kind=ImportBatch.Kind.PLAN):
        raise Http404
    return _xlsx(request, plan_workbook(), "规划导入模板.xlsx", "plan_template")


def _xlsx(request, data: bytes, name: str, what: str):
    import io

    return file_download(request, io.BytesIO(data), filename=name, content_type=XLSX_TYPE, what=what)


@login_required
@require_safe
def return_template_download(request, region_code: str, period_label: str):
    """The county's return template for the quarter: only for the county's own officer."""
    from .templates import return_template

    period = _period(period_label)
    region = get_object_or_404(Region.objects.for_user(request.user), code=region_code,
                               level__in=[Region.Level.COUNTY, Region.Level.CITY])
    if not import_allowed(user=request.user, kind=ImportBatch.Kind.COUNTY_RETURN, region=region):
        raise Http404
    return _xlsx(request, return_template(county=region, period=period), f"{region.name}{period.label}季报模板.xlsx",
                 "return_template")


@login_required
@require_safe
def task_report_template_download(request, period_label: str, number: int | None = None):
    """A department's task report template for the quarter: all its tasks, or one."""

    from .templates import task_report_template

    period = _period(period_label)
    user = request.user
    if not import_allowed(user=user, kind=ImportBatch.Kind.TASK_REPORTS):
        raise Http404
    task = None
    if number is not None:
        task = get_object_or_404(Task.objects.for_user(user), plan=plan_current_for_user(user), number=number,
                                 kind=Task.Kind.TASK, responsibilities__department=user.department)
    data = task_report_template(department=user.department, period=period, user=user, task=task)
    name = f"{user.department.name}{period.label}" + (f"任务{number}" if number else "") + "任务报告模板.xlsx"
    return _xlsx(request, data, name, "task_report_template")


def _located(errors: list[dict]) -> list[dict]:
    return [{**error, "where": where(error.get("sheet", ""), error.get("row", 0), error.get("column", ""))}
            for error in errors]


@login_required
@require_safe
def batch_detail(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.for_user(request.user).select_related(
        "created_by", "scope_region", "period"), pk=pk)
    changes = batch.preview.get("changes", []) if batch.state in (ImportBatch.State.READY,) else []
    if batch.state == ImportBatch.State.APPLIED:
        changes = batch.preview.get("changes", [])
    back = {ImportBatch.Kind.COUNTY_RETURN: lambda: reverse("reports:county-return", args=[
                batch.scope_region.code, batch.period.label]),
            ImportBatch.Kind.APPLICATIONS: lambda: reverse("imports:applications", args=[batch.options.get("tier")]),
            ImportBatch.Kind.TASK_REPORTS: lambda: reverse("imports:task-reports", args=[batch.period.label]),
            ImportBatch.Kind.LABOUR_BRANDS: lambda: reverse("brands:list"),
            ImportBatch.Kind.PLAN: lambda: (reverse("plan:plan-detail", args=[batch.summary["plan"]])
                                            if batch.summary.get("plan") else reverse("imports:plan")),
            }.get(batch.kind, lambda: reverse("registry:list"))()
    return render(request, "imports/batch.html", {
        "batch": batch, "errors": _located(batch.errors), "changes": changes[:500], "more": max(len(changes) - 500, 0),
        "notes": batch.preview.get("notes", []), "back": back,
        "can_confirm": batch.state == ImportBatch.State.READY and batch.created_by_id == request.user.pk,
        "progress": progress_get(batch) if not batch.is_finished else None,
    })


@login_required
@require_POST
def batch_confirm(request, pk: int):
    batch = get_object_or_404(ImportBatch.objects.for_user(request.user), pk=pk)
    try:
        batch = import_confirm(batch=batch, user=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("imports:batch", pk=batch.pk)
    security_event("import", request=request, kind=batch.kind, batch=batch.pk, state=batch.state,
                   outcome="ok" if batch.state in (ImportBatch.State.APPLIED, ImportBatch.State.RUNNING,
                                                   ImportBatch.State.QUEUED) else "refused")
    if batch.state == ImportBatch.State.APPLIED:
        messages.success(request, _("Imported: %(created)s created, %(updated)s updated.") % {
            "created": batch.summary.get("created", 0), "updated": batch.summary.get("updated", 0)})
    elif batch.state == ImportBatch.State.READY:
        messages.warning(request, _("The platform's data changed since your preview; check the new preview and "
                                    "confirm again. Nothing was imported."))
    elif batch.state == ImportBatch.State.FAILED:
        messages.error(request, _("The import failed; nothing was written. See the reasons below."))
    return redirect("imports:batch", pk=batch.pk)


@login_required
@require_safe
def batch_progress(request, pk: int):
    """The progress bar's small JSON: state, rows done of total, and the result page when finished."""
    batch = get_object_or_404(ImportBatch.objects.for_user(request.user), pk=pk)
    progress = progress_get(batch)
    return JsonResponse({"state": batch.state, "state_label": batch.get_state_display(), "finished": batch.is_finished,
                         "done": progress["done"], "total": progress["total"],
                         "result_url": reverse("imports:batch", args=[batch.pk])})


@login_required
@require_safe
def batch_file(request, pk: int):
    """The kept file, for whoever may see the batch (the audit traces figures to it)."""
    batch = get_object_or_404(ImportBatch.objects.for_user(request.user), pk=pk)
    if not batch.file:
        raise Http404
    return file_download(request, batch.file.open("rb"), filename=batch.file_name, content_type=None,
                         what="import_file", subject_id=batch.pk)


SAMPLE_FILES = {"communities": "hanbin_communities.csv", "return": "county_return_2026Q4.csv",
                "applications": "hanbin_applications_municipal.csv", "task-reports": "task_reports_co.csv",
                "plan": "successor_plan_2026.xlsx", "brands": "hanbin_labour_brands.csv"}


@login_required
@require_safe
def sample(request, name: str):
    if name not in SAMPLE_FILES:
        raise Http404
    path = SAMPLES / SAMPLE_FILES[name]
    return file_download(request, path.open("rb"), filename=path.name,
                         content_type=XLSX_TYPE if path.suffix == ".xlsx" else "text/csv", what=None)
