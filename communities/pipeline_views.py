"""Pages of the certification pipeline (task 8): applications, their review, certifications and
their periodic review, and progress against the four tier targets."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import can_read_plan, is_city_admin
from divisions.models import Region
from divisions.selectors import county_geojson
from kernel.exports import respond
from kernel.versioning import Conflict

from . import pipeline
from .exports import applications_table
from .models import Application, Certification, Criterion, Tier
from .selectors import (
    application_state_counts,
    applications_list,
    certification_progress,
    higher_tiers_count_toward_lower,
    review_queue,
)


def _require_reader(user) -> None:
    if not can_read_plan(user):
        raise PermissionDenied


def _can_apply(user) -> bool:
    return is_city_admin(user) or user.has_role(Role.COUNTY_OFFICER)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _day(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        return None


@login_required
def application_list(request):
    _require_reader(request.user)
    params = {k: request.GET.get(k, "") for k in ("county", "state", "tier", "step")}
    rows = applications_list(user=request.user, **params)
    response = respond(request, {"applications": lambda: applications_table(rows)}, "")
    if response is not None:
        return response
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    counties = Region.objects.for_user(request.user).counties().order_by("code")
    if not (is_city_admin(request.user) or request.user.has_role(Role.LEADER)):
        counties = counties.filter(pk=request.user.region.county_id if request.user.region_id else None)
    return render(request, "communities/applications.html", {
        "page": page, "params": params, "query": query, "counties": counties,
        "tiers": Tier.objects.all(), "states": Application.State.choices, "steps": Application.Step.choices,
        "counts": application_state_counts(user=request.user, county=params["county"]),
        "queue": review_queue(user=request.user)[:50], "can_apply": _can_apply(request.user),
    })


@login_required
def application_new(request):
    _require_reader(request.user)
    if not _can_apply(request.user):
        raise PermissionDenied
    code = (request.POST.get("community") or request.GET.get("community") or "").strip()
    tier_code = request.POST.get("tier") or request.GET.get("tier") or ""
    errors, status = [], 200
    if request.method == "POST":
        community = Region.objects.for_user(request.user).filter(code=code, level=Region.Level.VILLAGE).first()
        tier = Tier.objects.filter(code=tier_code).first()
        if community is None:
            errors, status = [_("%(code)s is not the NBS code of a village or community.") % {"code": code}], 400
        elif tier is None:
            errors, status = [_("Choose a tier.")], 400
        else:
            try:
                application = pipeline.application_create(community=community, tier=tier, user=request.user,
                                                          summary=request.POST.get("summary", ""))
            except (ValidationError, PermissionDenied) as exc:
                errors, status = (exc.messages if isinstance(exc, ValidationError) else [str(exc)]), 400
            else:
                messages.success(request, _("Application opened: answer the checklist and attach evidence."))
                return redirect("registry:application", pk=application.pk)
    community = Region.objects.for_user(request.user).filter(code=code, level=Region.Level.VILLAGE).select_related(
        "parent", "county").first() if code else None
    return render(request, "communities/application_new.html", {
        "code": code, "community": community, "tier_code": tier_code, "tiers": Tier.objects.all(),
        "errors": errors, "summary": request.POST.get("summary", ""),
    }, status=status)


@login_required
def application_detail(request, pk: int):
    application = get_object_or_404(Application.objects.for_user(request.user).select_related(
        "community__parent", "county", "tier", "certification", "submitted_by", "created_by"), pk=pk)
    user = request.user
    errors, status = [], 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            application = _act(request, application, action)
        except Conflict as exc:
            errors, status = [str(exc)], 409
        except ValidationError as exc:
            errors, status = exc.messages, 400
        except PermissionDenied as exc:
            errors, status = [str(exc) or _("You may not do this.")], 403
        else:
            return redirect("registry:application", pk=application.pk)
        application.refresh_from_db()
    owner = is_city_admin(user) or (user.has_role(Role.COUNTY_OFFICER) and user.region_id == application.county_id)
    checks = list(application.checks.select_related("criterion"))
    return render(request, "communities/application.html", {
        "a": application, "checks": checks, "evidence": application.evidence.select_related("uploaded_by"),
        "reviews": application.reviews.select_related("reviewer"), "errors": errors,
        "can_edit": owner and application.is_editable, "can_cancel": owner and application.is_open,
        "can_review": pipeline.can_review(application, user),
        "is_city_step": application.step == Application.Step.CITY,
        "problems": pipeline.checklist_problems(application) if application.is_open else [],
        "steps": [(s, Application.Step(s).label) for s in application.step_list],
        "step_index": application.step_list.index(application.step) if application.step else None,
        "today": timezone.localdate(),
        "history": application.history.select_related("history_user")[:30],
    }, status=status)


def _act(request, application: Application, action: str) -> Application:
    post, user, version = request.POST, request.user, _version(request)
    if action == "save":
        answers = {}
        for check in application.checks.select_related("criterion"):
            key = str(check.criterion_id)
            met = post.get(f"met_{key}", "")
            answers[check.criterion_id] = {"met": {"yes": True, "no": False}.get(met), "value": post.get(f"value_{key}"),
                                           "note": post.get(f"note_{key}", "")}
        application = pipeline.application_checklist_save(application=application, answers=answers,
                                                          summary=post.get("summary", ""), version=version, user=user)
        messages.success(request, _("Saved."))
    elif action == "evidence":
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError(_("Choose a file."))
        pipeline.application_evidence_attach(application=application, upload=upload, user=user)
        messages.success(request, _("Evidence attached."))
    elif action == "submit":
        application = pipeline.application_submit(application=application, version=version, user=user,
                                                  comment=post.get("comment", ""))
        messages.success(request, _("Submitted for review."))
    elif action in ("approve", "return"):
        certified_on = _day(post.get("certified_on", "")) if post.get("certified_on") else None
        if post.get("certified_on") and certified_on is None:
            raise ValidationError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": post.get("certified_on")})
        application = pipeline.application_review(
            application=application, approve=action == "approve", comment=post.get("comment", ""), version=version,
            user=user, certificate_number=post.get("certificate_number", ""), certified_on=certified_on)
        messages.success(request, _("Certified.") if application.state == Application.State.CERTIFIED
                         else _("Decision recorded."))
    elif action == "cancel":
        application = pipeline.application_cancel(application=application, reason=post.get("reason", ""),
                                                  version=version, user=user)
        messages.success(request, _("Application cancelled."))
    else:
        raise ValidationError(_("Unknown action."))
    return application


@login_required
def certification_detail(request, pk: int):
    certification = get_object_or_404(Certification.objects.for_user(request.user).select_related(
        "community__parent", "community__county", "tier"), pk=pk)
    errors, status = [], 200
    if request.method == "POST":
        action = request.POST.get("action")
        day = _day(request.POST.get("day", ""))
        try:
            if day is None:
                raise ValidationError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": request.POST.get("day", "")})
            if action == "review":
                pipeline.certification_review_record(certification=certification, reviewed_on=day,
                                                     passed=request.POST.get("passed") == "yes",
                                                     comment=request.POST.get("comment", ""), user=request.user)
                messages.success(request, _("Review recorded."))
            elif action == "withdraw":
                pipeline.certification_withdraw_by(certification=certification, on=day,
                                                   reason=request.POST.get("reason", ""), user=request.user)
                messages.success(request, _("Certification withdrawn."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            errors, status = exc.messages, 400
        except PermissionDenied:
            errors, status = [_("You may not do this.")], 403
        else:
            return redirect("registry:certification", pk=certification.pk)
        certification.refresh_from_db()
    today = timezone.localdate()
    higher = Certification.objects.for_user(request.user).filter(
        community=certification.community, tier__rank__gt=certification.tier.rank).in_force_on(today).select_related(
        "tier")
    application = Application.objects.filter(certification=certification).first()
    return render(request, "communities/certification.html", {
        "c": certification, "reviews": certification.reviews.select_related("reviewer"), "errors": errors,
        "can_manage": is_city_admin(request.user) and certification.withdrawn_on is None, "today": today,
        "in_force": Certification.objects.filter(pk=certification.pk).in_force_on(today).exists(),
        "review_due": certification.valid_until is not None and certification.valid_until <= today + datetime.timedelta(
            days=90),
        "higher": higher, "application": application,
        "history": certification.history.select_related("history_user")[:20],
    }, status=status)


@login_required
def progress(request):
    _require_reader(request.user)
    data = certification_progress(user=request.user)
    base = reverse("registry:list")
    charts = {"map": {"unit": "%", "items": [
        {"name": r["county"].name, "value": r["share"],
         "short": f"{r['share'] if r['share'] is not None else '—'}%",
         "label": f"{r['share'] if r['share'] is not None else '—'}%（{r['by_tier'][0] if r['by_tier'] else 0}/"
                  f"{r['units']}）",
         "url": f"{base}?county={r['county'].code}"} for r in data["counties"]]}}
    return render(request, "communities/progress.html", {**data, "charts": charts,
                                                         "county_geojson": county_geojson()})


@login_required
def criteria(request):
    _require_reader(request.user)
    return render(request, "communities/criteria.html", {
        "tiers": Tier.objects.prefetch_related("criteria"), "can_edit": is_city_admin(request.user),
        "cumulative": higher_tiers_count_toward_lower(), "steps": [Application.Step(s).label
                                                                   for s in pipeline.review_steps()],
        "kinds": Criterion.Kind,
    })


@login_required
def evidence_download(request, pk: int):
    """An application's evidence file, for whoever may see the application."""
    from kernel.exports import file_download

    from .models import ApplicationEvidence

    evidence = get_object_or_404(ApplicationEvidence.objects.filter(
        application__in=Application.objects.for_user(request.user)), pk=pk)
    return file_download(request, evidence.file.open("rb"), filename=evidence.name, content_type=evidence.content_type,
                         what="application_evidence", subject_id=evidence.pk)
