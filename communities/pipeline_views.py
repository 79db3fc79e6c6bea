"""Pages of the certification pipeline: applications, their review, certifications and their
periodic review, and progress against the four tier targets."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.scoping import can_read_plan
from divisions.selectors import county_geojson
from kernel.exports import file_download, respond
from kernel.form_fields import form_errors
from kernel.versioning import Conflict

from . import pipeline
from .access import can_apply, can_edit_criteria
from .exports import applications_table
from .forms import (
    ApplicationActionForm,
    ApplicationNewForm,
    CancelForm,
    CertificationActionForm,
    CertificationReviewForm,
    CertificationWithdrawForm,
    ChecklistForm,
    EvidenceForm,
    EvidenceRemoveForm,
    ReviewForm,
    SubmitForm,
)
from .models import Application, ApplicationEvidence, Certification, Criterion, Tier
from .selectors import (
    application_state_counts,
    applications_list,
    certification_progress,
    higher_tiers_count_toward_lower,
    review_queue,
    village_picker,
)


def _require_reader(user) -> None:
    if not can_read_plan(user):
        raise PermissionDenied


@login_required
@require_safe
def application_list(request):
    _require_reader(request.user)
    params = {name: request.GET.get(name, "") for name in ("county", "state", "tier", "step")}
    rows = applications_list(user=request.user, **params)
    response = respond(request, {"applications": lambda: applications_table(rows)}, "")
    if response is not None:
        return response
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "communities/applications.html", {
        "page": page, "params": params, "query": urlencode({name: value for name, value in params.items() if value}),
        "counties": Application.objects.counties_for(request.user),
        "tiers": Tier.objects.for_user(request.user), "states": Application.State.choices,
        "steps": Application.Step.choices,
        "counts": application_state_counts(user=request.user, county=params["county"]),
        "queue": review_queue(user=request.user)[:50], "can_apply": can_apply(request.user),
    })


@login_required
def application_new(request):
    _require_reader(request.user)
    if not can_apply(request.user):
        raise PermissionDenied
    errors, status = [], 200
    if request.method == "POST":
        form = ApplicationNewForm(request.POST, user=request.user)
        if not form.is_valid():
            errors, status = form_errors(form), 400
        else:
            try:
                application = pipeline.application_create(
                    community=form.cleaned_data["community"], tier=form.cleaned_data["tier"], user=request.user,
                    summary=form.cleaned_data["summary"])
            except (ValidationError, PermissionDenied) as exc:
                errors, status = (exc.messages if isinstance(exc, ValidationError) else [str(exc)]), 400
            else:
                messages.success(request, _("Application opened: answer the checklist and attach evidence."))
                return redirect("registry:application", pk=application.pk)
    else:  # the community's page links here with the community and the next tier filled in
        form = ApplicationNewForm(initial={"community": request.GET.get("community", ""),
                                           "tier": request.GET.get("tier", "")}, user=request.user)
    code = str(form["community"].value() or "").strip()
    picker = village_picker(user=request.user, county=request.GET.get("county", ""), town=request.GET.get("town", ""),
                            name=request.GET.get("name", ""), code=code)
    return render(request, "communities/application_new.html", {
        "code": code, "community": picker["chosen"], "picker": picker, "tier_code": form["tier"].value() or "",
        "tiers": form.fields["tier"].queryset, "errors": errors, "summary": form["summary"].value() or "",
    }, status=status)


@login_required
def application_detail(request, pk: int):
    user = request.user
    application = get_object_or_404(Application.objects.for_user(user).select_related(
        "community__parent", "county", "tier", "certification", "submitted_by", "created_by"), pk=pk)
    errors, status = [], 200
    if request.method == "POST":
        try:
            application = _act(request, application)
        except Conflict as exc:
            errors, status = [str(exc)], 409
        except ValidationError as exc:
            errors, status = exc.messages, 400
        except PermissionDenied as exc:
            errors, status = [str(exc) or _("You may not do this.")], 403
        else:
            return redirect("registry:application", pk=application.pk)
        application.refresh_from_db()
    owner = Application.objects.editable_by(user).filter(pk=application.pk).exists()
    checks = list(application.checks.select_related("criterion"))
    return render(request, "communities/application.html", {
        "application": application, "checks": checks, "evidence": application.evidence.select_related("uploaded_by"),
        "reviews": application.reviews.select_related("reviewer"), "errors": errors,
        "can_edit": owner and application.is_editable, "can_cancel": owner and application.is_open,
        "can_review": pipeline.can_review(application, user),
        "is_city_step": application.step == Application.Step.CITY,
        "problems": pipeline.checklist_problems(application) if application.is_open else [],
        "steps": [(step, Application.Step(step).label) for step in application.step_list],
        "step_index": application.step_list.index(application.step) if application.step else None,
        "today": timezone.localdate(),
        "history": application.history.select_related("history_user")[:30],
    }, status=status)


def _valid(form):
    """The form's cleaned data, or its errors raised as the refusal the page shows (400)."""
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return form.cleaned_data


def _act(request, application: Application) -> Application:
    """One of the application page's forms: the checklist, evidence, submission, a review
    decision or cancellation."""
    post, user = request.POST, request.user
    action = _valid(ApplicationActionForm(post))["action"]
    if action == "save":
        form = ChecklistForm(post, application=application)
        data = _valid(form)
        application = pipeline.application_checklist_save(application=application, answers=form.answers(),
                                                          summary=data["summary"], version=data["version"], user=user)
        messages.success(request, _("Saved."))
    elif action == "evidence":
        data = _valid(EvidenceForm(post, request.FILES))
        pipeline.application_evidence_attach(application=application, upload=data["file"], user=user)
        messages.success(request, _("Evidence attached."))
    elif action == "evidence_remove":
        data = _valid(EvidenceRemoveForm(post, application=application))
        pipeline.application_evidence_remove(application=application, evidence=data["evidence"], user=user)
        messages.success(request, _("Evidence removed."))
    elif action == "submit":
        data = _valid(SubmitForm(post))
        application = pipeline.application_submit(application=application, version=data["version"], user=user,
                                                  comment=data["comment"])
        messages.success(request, _("Submitted for review."))
    elif action in ("approve", "return"):
        data = _valid(ReviewForm(post))
        application = pipeline.application_review(
            application=application, approve=action == "approve", comment=data["comment"], version=data["version"],
            user=user, certificate_number=data["certificate_number"], certified_on=data["certified_on"])
        messages.success(request, _("Certified.") if application.state == Application.State.CERTIFIED
                         else _("Decision recorded."))
    else:
        data = _valid(CancelForm(post))
        application = pipeline.application_cancel(application=application, reason=data["reason"],
                                                  version=data["version"], user=user)
        messages.success(request, _("Application cancelled."))
    return application


@login_required
def certification_detail(request, pk: int):
    user = request.user
    certification = get_object_or_404(Certification.objects.for_user(user).select_related(
        "community__parent", "community__county", "tier"), pk=pk)
    errors, status = [], 200
    if request.method == "POST":
        try:
            _certification_act(request, certification)
        except ValidationError as exc:
            errors, status = exc.messages, 400
        except PermissionDenied:
            errors, status = [_("You may not do this.")], 403
        else:
            return redirect("registry:certification", pk=certification.pk)
        certification.refresh_from_db()
    today = timezone.localdate()
    higher = Certification.objects.for_user(user).filter(
        community=certification.community, tier__in=certification.tier.above()).in_force_on(today).select_related(
        "tier")
    manager = Certification.objects.editable_by(user).filter(pk=certification.pk).exists()
    return render(request, "communities/certification.html", {
        "certification": certification, "reviews": certification.reviews.select_related("reviewer"),
        "errors": errors, "can_manage": manager and certification.withdrawn_on is None, "today": today,
        "in_force": Certification.objects.filter(pk=certification.pk).in_force_on(today).exists(),
        "review_due": certification.valid_until is not None and certification.valid_until <= today + datetime.timedelta(
            days=90),
        "higher": higher, "application": Application.objects.for_user(user).filter(certification=certification).first(),
        "history": certification.history.select_related("history_user")[:20],
    }, status=status)


def _certification_act(request, certification: Certification) -> None:
    """The certification page's forms: a periodic review (复核) or a withdrawal (摘牌)."""
    post, user = request.POST, request.user
    if _valid(CertificationActionForm(post))["action"] == "review":
        data = _valid(CertificationReviewForm(post))
        pipeline.certification_review_record(certification=certification, reviewed_on=data["day"],
                                             passed=data["passed"] == "yes", comment=data["comment"], user=user)
        messages.success(request, _("Review recorded."))
    else:
        data = _valid(CertificationWithdrawForm(post))
        pipeline.certification_withdraw_by(certification=certification, on=data["day"], reason=data["reason"],
                                           user=user)
        messages.success(request, _("Certification withdrawn."))


@login_required
@require_safe
def progress(request):
    _require_reader(request.user)
    data = certification_progress(user=request.user)
    base = reverse("registry:list")

    def share(row) -> str:
        return f"{row['share'] if row['share'] is not None else '—'}%"

    charts = {"map": {"unit": "%", "items": [
        {"name": row["county"].name, "value": row["share"], "short": share(row),
         "label": f"{share(row)}（{row['by_tier'][0] if row['by_tier'] else 0}/{row['units']}）",
         "url": f"{base}?{urlencode({'county': row['county'].code})}"} for row in data["counties"]]}}
    return render(request, "communities/progress.html", {**data, "charts": charts,
                                                         "county_geojson": county_geojson()})


@login_required
@require_safe
def criteria(request):
    _require_reader(request.user)
    return render(request, "communities/criteria.html", {
        "tiers": Tier.objects.for_user(request.user).prefetch_related("criteria"),
        "can_edit": can_edit_criteria(request.user),
        "cumulative": higher_tiers_count_toward_lower(),
        "steps": [Application.Step(step).label for step in pipeline.review_steps()],
        "kinds": Criterion.Kind,
    })


@login_required
@require_safe
def evidence_download(request, pk: int):
    """An application's evidence file, for whoever may see the application."""
    evidence = get_object_or_404(ApplicationEvidence.objects.filter(
        application__in=Application.objects.for_user(request.user)), pk=pk)
    return file_download(request, evidence.file.open("rb"), filename=evidence.name, content_type=evidence.content_type,
                         what="application_evidence", subject_id=evidence.pk)
