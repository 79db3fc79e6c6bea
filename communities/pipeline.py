"""Task 8's certification pipeline: a county applies for one of its villages or communities to a
tier, answers the tier's criteria and attaches evidence; the application passes the review steps
(town → county → city by default); the city's approval issues the certification. Certifications
have a validity and a periodic review (复核), and can be withdrawn (摘牌).

Every function checks who may act, refuses with a reason in Chinese (ValidationError, or
PermissionDenied for a unit outside the user's scope) and writes nothing when it refuses.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.scoping import is_city_admin, officer_county_id
from divisions.models import CommunityProfile, Region
from kernel.loading import LoadSummary, upsert
from kernel.refusals import refuse
from kernel.security_log import security_event_on_commit
from kernel.uploads import evidence_upload_check
from kernel.versioning import refuse_if_stale
from reports.models import Notification
from reports.notifications import notify
from targets.models import COUNT_UNITS

from .models import (
    Application,
    ApplicationCheck,
    ApplicationEvidence,
    ApplicationReview,
    Certification,
    CertificationReview,
    Criterion,
    Tier,
)
from .services import (
    certification_counts_recompute,
    certification_issue,
    certification_tier_check,
    certification_withdraw,
)

# The plan's four conditions (task 8) and the measured conditions a county records; every tier
# starts with the same list, which the city administrator then edits per tier.
CRITERIA = [
    # code, name, kind, rule, threshold, unit, description
    ("services", "社区就业服务规范", "statement", "record", None, "",
     "有公共就业服务窗口和专（兼）职工作人员，服务流程、台账规范。"),
    ("policies", "就业政策落实到位", "statement", "record", None, "",
     "各项就业创业扶持政策宣传到户、应享尽享。"),
    ("assistance", "就业援助全面", "statement", "record", None, "",
     "就业困难人员实名登记、动态管理、援助到人。"),
    ("evaluation", "群众评价好", "statement", "record", None, "",
     "群众满意度测评结果良好。"),
    ("registered_unemployed", "登记失业人员", "measure", "record", None, "人", "申请时登记在册的失业人员数。"),
    ("zero_employment_households", "零就业家庭", "measure", "eq", Decimal("0"), "户",
     "零就业家庭须动态清零。"),
    ("assistance_rate", "就业困难人员援助率", "measure", "ge", Decimal("100"), "%",
     "得到就业援助的就业困难人员占登记就业困难人员的比例。"),
]


@transaction.atomic
def criteria_ensure(summary: LoadSummary | None = None) -> LoadSummary:
    """Seed each tier's criteria with the plan's four conditions and three measures, once: a
    criterion the city administrator has since edited is left as it is."""
    summary = summary if summary is not None else LoadSummary()
    for tier in Tier.objects.all():
        for order, (code, name, kind, rule, threshold, unit, description) in enumerate(CRITERIA, start=1):
            if Criterion.objects.filter(tier=tier, code=code).exists():
                summary.add(Criterion, "unchanged")
                continue
            upsert(Criterion, summary, {"tier": tier, "code": code}, {
                "name": name, "kind": kind, "rule": rule, "threshold": threshold, "unit": unit,
                "description": description, "order": order}, "criteria_ensure")
    return summary


def review_steps() -> list[str]:
    """The configured review steps, checked: known steps, no repeats, the city's last."""
    steps = [s.strip() for s in settings.CERTIFICATION_REVIEW_STEPS if s.strip()]
    known = set(Application.Step.values)
    if not steps or steps[-1] != Application.Step.CITY or len(set(steps)) != len(steps) or set(steps) - known:
        raise ValueError(f"CERTIFICATION_REVIEW_STEPS must be distinct steps of {sorted(known)} ending with "
                         f"'city', not {steps}")
    return steps


def _stale(application: Application, version: int) -> None:

    refuse_if_stale(application, version)


def _touch(application: Application, user) -> None:
    application.version += 1
    application.updated_by, application.updated_at = user, timezone.now()


def _require_county(user, community: Region) -> None:
    """The community's own county officer, or the city administrator."""
    if is_city_admin(user):
        return
    county_id = officer_county_id(user)
    if county_id is None or county_id != community.county_id:
        raise PermissionDenied(_("%(name)s is not in your county: only its own county applies for it.")
                               % {"name": community.name})


@transaction.atomic
def application_create(*, community: Region, tier: Tier, user, summary: str = "", is_demo: bool = False) -> Application:
    """Open a draft application with an empty checklist of the tier's criteria."""
    _require_county(user, community)
    community = Region.objects.select_for_update().get(pk=community.pk)  # one open application at a time
    certification_tier_check(community=community, tier=tier, day=timezone.localdate())
    if Application.objects.open().filter(community=community, tier=tier).exists():
        refuse(_("%(name)s already has an open application for %(tier)s."), name=community.name, tier=tier.name)
    application = Application.objects.create(
        community=community, county_id=community.county_id, tier=tier, summary=summary.strip(), created_by=user,
        updated_by=user, updated_at=timezone.now(), steps=",".join(review_steps()), is_demo=is_demo)
    ApplicationCheck.objects.bulk_create([ApplicationCheck(application=application, criterion=c)
                                          for c in tier.criteria.filter(is_active=True)])
    for check in application.checks.all():  # bulk_create keeps no history: record each answer row
        check.save()
    return application


def checklist_figure(raw, criterion: Criterion, community: Region) -> Decimal | None:
    """A checklist answer's figure (a measured condition), by the platform's rules for counts: a
    number, not negative; a count of people, households or posts (``targets.models.COUNT_UNITS``)
    a whole number and, where the registry records the community's size, not above it (people ≤
    its population, households ≤ its households); a percentage at most 100. The form, the import of
    applications and any other channel come here; each refusal names the community, the figure and
    the reason."""
    raw = ("" if raw is None else str(raw)).strip()
    if raw == "":
        return None
    if not raw.isascii():
        refuse(_("%(name)s: write the figure with ASCII digits (%(value)s)."), name=criterion.name, value=raw)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        refuse(_("%(name)s: %(value)s is not a number."), name=criterion.name, value=raw)
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        refuse(_("%(name)s: %(value)s is not a figure that can be recorded."), name=criterion.name, value=raw)
    shown = f"{value.normalize():f}"
    if criterion.unit in COUNT_UNITS and value != value.to_integral_value():
        refuse(_("%(community)s, %(name)s: %(value)s is a count (%(unit)s) and must be a whole number."),
               community=community.name, name=criterion.name, value=shown, unit=criterion.unit)
    if criterion.unit == "%" and value > 100:
        refuse(_("%(community)s, %(name)s: %(value)s%% is more than 100%%."), community=community.name,
               name=criterion.name, value=shown)
    profile = CommunityProfile.objects.filter(region_id=community.pk).first()
    size = {"人": getattr(profile, "population", None), "户": getattr(profile, "households", None)}.get(criterion.unit)
    if size is not None and value > size:
        refuse(_("%(community)s, %(name)s: %(value)s %(unit)s is more than the %(size)s %(unit)s the registry "
                 "records for it."), community=community.name, name=criterion.name, value=shown,
               unit=criterion.unit, size=size)
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def application_checklist_save(*, application: Application, answers: dict[int, dict], summary: str, version: int,
                               user) -> Application:
    """Save the checklist (``answers``: criterion id → {met, value, note}) and the summary of a
    draft or returned application; a stale form is refused naming who changed it."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_county(user, application.community)
    if not application.is_editable:
        refuse(_("The application is %(state)s and cannot be changed."), state=application.get_state_display())
    _stale(application, version)
    checks = {c.criterion_id: c for c in application.checks.select_related("criterion")}
    unknown = set(answers) - set(checks)
    if unknown:
        refuse(_("The checklist names a criterion this application does not have."))
    for criterion_id, answer in answers.items():
        check = checks[criterion_id]
        met, value, note = answer.get("met"), answer.get("value"), (answer.get("note") or "").strip()[:300]
        if check.criterion.kind == Criterion.Kind.MEASURE:
            met, value = None, checklist_figure(value, check.criterion, application.community)
        else:
            value = None
        if (check.met, check.value, check.note) != (met, value, note):
            check.met, check.value, check.note = met, value, note
            check.save()
    application.summary = summary.strip()
    _touch(application, user)
    application.save()
    return application


def checklist_problems(application: Application) -> list[str]:
    """What stands between the checklist and certification: unanswered or unmet criteria, and
    criteria of the tier added since the application was opened."""
    problems = []
    answered = {c.criterion_id: c for c in application.checks.select_related("criterion")}
    for criterion in application.tier.criteria.filter(is_active=True):
        check = answered.get(criterion.pk)
        if check is None:
            problems.append(_("%(name)s: added to the criteria after the application was opened; answer it.")
                            % {"name": criterion.name})
        elif criterion.kind == Criterion.Kind.STATEMENT and check.met is None:
            problems.append(_("%(name)s: not answered.") % {"name": criterion.name})
        elif criterion.kind == Criterion.Kind.MEASURE and check.value is None:
            problems.append(_("%(name)s: no figure recorded.") % {"name": criterion.name})
        elif not check.is_satisfied:
            problems.append(_("%(name)s: not met (%(rule)s).") % {
                "name": criterion.name, "rule": criterion.rule_text or _("marked as not met")})
    return problems


@transaction.atomic
def application_evidence_attach(*, application: Application, upload, user) -> ApplicationEvidence:

    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_county(user, application.community)
    if not application.is_editable:
        refuse(_("Evidence can be added while the application is a draft or returned."))
    content_type = evidence_upload_check(upload)
    evidence = ApplicationEvidence(application=application, file=upload, name=upload.name[:200],
                                   content_type=content_type, size=upload.size, uploaded_by=user)
    evidence.save()
    return evidence


@transaction.atomic
def application_evidence_remove(*, application: Application, evidence: ApplicationEvidence, user) -> None:
    """Remove a file attached by mistake, while the application is still the county's to change
    (a draft or returned); once submitted, its evidence stays as the reviewers saw it. The
    record's history keeps that it was there and who removed it."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_county(user, application.community)
    if not application.is_editable:
        refuse(_("Evidence can be removed while the application is a draft or returned."))
    if evidence.application_id != application.pk:
        raise PermissionDenied
    evidence._change_reason = f"evidence removed by {user.username}"
    stored = evidence.file
    evidence.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


def certification_date_check(*, application: Application, certified_on: datetime.date) -> None:
    """A certification's date is neither in the future nor before the application was submitted
    (local dates)."""
    today = timezone.localdate()
    if certified_on > today:
        refuse(_("The certification date %(day)s is in the future (today is %(today)s)."),
               day=certified_on.isoformat(), today=today.isoformat())
    if application.submitted_at is not None:
        submitted = timezone.localdate(application.submitted_at)
        if certified_on < submitted:
            refuse(_("The certification date %(day)s is before the application was submitted (%(submitted)s)."),
                   day=certified_on.isoformat(), submitted=submitted.isoformat())


@transaction.atomic
def application_submit(*, application: Application, version: int, user, comment: str = "") -> Application:
    """Send a complete application into review at its first step (again from the first step
    after a return)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_county(user, application.community)
    if not application.is_editable:
        refuse(_("The application is %(state)s and cannot be submitted."), state=application.get_state_display())
    _stale(application, version)
    certification_tier_check(community=application.community, tier=application.tier, day=timezone.localdate())
    problems = checklist_problems(application)
    if problems:
        raise ValidationError([_("The checklist is not complete:")] + problems)
    if not application.evidence.exists():
        refuse(_("Attach at least one piece of evidence before submitting."))
    steps = review_steps()
    now = timezone.now()
    application.state, application.steps, application.step = Application.State.IN_REVIEW, ",".join(steps), steps[0]
    application.submitted_by, application.submitted_at = user, now
    _touch(application, user)
    application.save()
    ApplicationReview.objects.create(application=application, decision=ApplicationReview.Decision.SUBMITTED,
                                     comment=comment.strip(), reviewer=user, at=now)
    _notify_step(application)
    return application


def can_review(application: Application, user) -> bool:
    """Whether ``user`` acts at the application's current step (Application.objects.awaiting_review_by)."""
    if application.state != Application.State.IN_REVIEW or not (user.is_authenticated and user.is_active):
        return False
    return Application.objects.awaiting_review_by(user).filter(pk=application.pk).exists()


@transaction.atomic
def application_review(*, application: Application, approve: bool, comment: str, version: int, user,
                       certificate_number: str = "", certified_on: datetime.date | None = None) -> Application:
    """Approve the current step (moving to the next, or — at the city's step — certifying with a
    certificate number and date) or return the application to the county with a comment."""
    application = Application.objects.select_for_update().select_related("community", "tier").get(pk=application.pk)
    if application.state != Application.State.IN_REVIEW:
        refuse(_("The application is %(state)s, not in review."), state=application.get_state_display())
    if not can_review(application, user):
        if application.step == Application.Step.COUNTY and user.pk == application.submitted_by_id:
            refuse(_("The officer who submitted the application cannot also review it."))
        raise PermissionDenied(_("This step (%(step)s) is not yours to decide.")
                               % {"step": application.get_step_display()})
    _stale(application, version)
    comment = comment.strip()
    now = timezone.now()
    step = application.step
    if not approve:
        if not comment:
            refuse(_("Say why the application is returned."))
        application.state, application.step = Application.State.RETURNED, ""
        decision = ApplicationReview.Decision.RETURNED
    else:
        decision = ApplicationReview.Decision.APPROVED
        security_event_on_commit("approval", user=user, subject="certification_application", subject_id=application.pk,
                                 step=step)
        steps = application.step_list
        if step != steps[-1]:
            application.step = steps[steps.index(step) + 1]
        else:
            problems = checklist_problems(application)
            if problems:
                raise ValidationError([_("The checklist is not complete:")] + problems)
            if not certificate_number.strip() or certified_on is None:
                refuse(_("Certifying needs the certificate number and the date."))
            certification_date_check(application=application, certified_on=certified_on)
            application.certification = certification_issue(
                community=application.community, tier=application.tier, certificate_number=certificate_number.strip(),
                certified_on=certified_on, issuer=_("Ankang Municipal Bureau of Human Resources and Social Security"),
                valid_until=validity_end(certified_on), is_demo=application.is_demo)
            application.state, application.step = Application.State.CERTIFIED, ""
    _touch(application, user)
    application.save()
    ApplicationReview.objects.create(application=application, step=step, decision=decision, comment=comment,
                                     reviewer=user, at=now)
    _notify_step(application)
    return application


@transaction.atomic
def application_cancel(*, application: Application, reason: str, version: int, user) -> Application:
    """The county withdraws its own open application, with a reason."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_county(user, application.community)
    if not application.is_open:
        refuse(_("The application is %(state)s and cannot be cancelled."), state=application.get_state_display())
    if not reason.strip():
        refuse(_("Say why the application is cancelled."))
    _stale(application, version)
    application.state, application.step = Application.State.CANCELLED, ""
    _touch(application, user)
    application.save()
    ApplicationReview.objects.create(application=application, decision=ApplicationReview.Decision.CANCELLED,
                                     comment=reason.strip(), reviewer=user, at=timezone.now())
    return application


def validity_end(start: datetime.date) -> datetime.date:
    """The last day a certification holds without a review: CERTIFICATION_VALIDITY_YEARS on."""
    years = settings.CERTIFICATION_VALIDITY_YEARS
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - datetime.timedelta(days=1)


@transaction.atomic
def certification_review_record(*, certification: Certification, reviewed_on: datetime.date, passed: bool,
                                comment: str, user) -> CertificationReview:
    """The city's periodic review (复核): passed, the certification holds for another validity
    period from the review; failed, it is withdrawn from the review's date with the comment as
    the reason."""
    if not is_city_admin(user):
        raise PermissionDenied
    certification = Certification.objects.select_for_update().get(pk=certification.pk)
    if certification.withdrawn_on is not None:
        refuse(_("This certification was already withdrawn on %(day)s."), day=certification.withdrawn_on)
    if reviewed_on < certification.certified_on:
        refuse(_("The review date is before the certification date."))
    if reviewed_on > timezone.localdate():
        refuse(_("The review date cannot be in the future."))
    if not passed and not comment.strip():
        refuse(_("Say why the review failed."))
    valid_until = None
    if passed:
        valid_until = validity_end(reviewed_on)
        certification.valid_until = valid_until
        certification._change_reason = _("Periodic review passed")
        certification.full_clean()
        certification.save()
        certification_counts_recompute(certification.tier)
    else:
        certification_withdraw(certification=certification, on=reviewed_on,
                               reason=_("Periodic review failed: %(comment)s") % {"comment": comment.strip()})
    return CertificationReview.objects.create(certification=certification, reviewed_on=reviewed_on, passed=passed,
                                              comment=comment.strip(), valid_until=valid_until, reviewer=user)


@transaction.atomic
def certification_withdraw_by(*, certification: Certification, on: datetime.date, reason: str, user) -> Certification:
    """Withdrawal (摘牌) by the city administrator. A higher tier held on the strength of this one
    is left to the administrator to withdraw in turn (it is listed on the certification's page)."""
    if not is_city_admin(user):
        raise PermissionDenied
    if on > timezone.localdate():
        refuse(_("The withdrawal date cannot be in the future."))
    if on < certification.certified_on:
        refuse(_("The withdrawal date is before the certification date."))
    return certification_withdraw(certification=Certification.objects.select_for_update().get(pk=certification.pk),
                                  on=on, reason=reason)


def _notify_step(application: Application) -> None:
    """Tell whoever acts next (reviewers of the new step, or the county on a return or a
    certification) through the platform's notifications (and e-mail where they have one)."""

    people = User.objects.filter(is_active=True)
    if application.state == Application.State.IN_REVIEW:
        if application.step == Application.Step.TOWN:
            users = people.filter(region_id=application.community.parent_id, role_assignments__role=Role.TOWN_OFFICER)
        elif application.step == Application.Step.COUNTY:
            users = people.filter(region_id=application.county_id, role_assignments__role=Role.COUNTY_OFFICER).exclude(
                pk=application.submitted_by_id)
        else:
            users = people.filter(role_assignments__role=Role.CITY_ADMIN)
        text = _("%(community)s's application for %(tier)s waits for your review (%(step)s).")
    else:
        users = people.filter(region_id=application.county_id, role_assignments__role=Role.COUNTY_OFFICER)
        text = _("%(community)s's application for %(tier)s: %(state)s.")
    title = text % {"community": application.community.name, "tier": application.tier.name,
                    "step": application.get_step_display(), "state": application.get_state_display()}
    kind = Notification.Kind.RETURNED if application.state == Application.State.RETURNED else (
        Notification.Kind.APPROVED if application.state == Application.State.CERTIFIED else Notification.Kind.REVIEW)
    notify(users=users.distinct(), kind=kind, key=f"application:{application.pk}:v{application.version}",
           title=title, link=reverse("registry:application", args=[application.pk]))


def application_can_open(*, community: Region, tier: Tier, user, day: datetime.date | None = None) -> None:
    """Would ``application_create`` open this application? Raises its refusal (ValidationError or
    PermissionDenied) without writing anything: the import's preview asks before the write does."""
    _require_county(user, community)
    certification_tier_check(community=community, tier=tier, day=day or timezone.localdate())
    if Application.objects.open().filter(community=community, tier=tier).exists():
        refuse(_("%(name)s already has an open application for %(tier)s."), name=community.name, tier=tier.name)
