from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import (
    PlanDataQuerySet,
    can_read_plan,
    is_city_admin,
    officer_county_id,
    officer_town_id,
    sees_whole_city,
)
from divisions.models import Region


def higher_tiers_count_toward_lower() -> bool:
    """Setting CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER: whether a community holding a higher
    tier also counts toward every lower tier's target (a provincial community is also one of the
    city's 1,500)."""
    return settings.CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER


class TierQuerySet(PlanDataQuerySet):
    def next_above(self, rank: int | None) -> Tier | None:
        """The tier a community may apply for next when the highest tier it holds in force has
        ``rank`` (None or 0: it holds none): the one directly above (the tier order's rule)."""
        return self.filter(rank=(rank or 0) + 1).first()

    def counted_from(self, tier: Tier) -> list[Tier]:
        """The tiers whose count a certification at ``tier`` enters (``Tier.counts_toward``): its
        own and, with the setting on, every lower one."""
        return [t for t in self.order_by("rank") if Tier.counts_toward(tier.rank, t.rank)]


class Tier(models.Model):
    """A level of full-employment certification (task 8): 市级充分就业村（社区） → 省级充分就业社区
    → 省级充分就业星级社区 → 国家级充分就业社区.

    The tier order is one rule, read here by everything that depends on a tier's place: tiers
    rank 1 (lowest) upwards; each requires the one directly below it, held and in force
    (``below``); a community may apply next for the one directly above its highest
    (``TierQuerySet.next_above``); and a community counts toward its own tier and — with
    CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER — toward every lower one (``counts_toward``,
    ``counting_toward_q``)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True, help_text=_("1 is the lowest tier."))
    indicator_code = models.SlugField(_("indicator"), max_length=60, help_text=_("The derived indicator it feeds."))
    communities_only = models.BooleanField(
        _("communities only"), default=False,
        help_text=_("Provincial and national tiers certify communities (社区); the municipal tier villages too."))

    objects = TierQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification tier")
        verbose_name_plural = _("certification tiers")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name

    @property
    def below(self) -> Tier | None:
        """The tier this one requires, held and in force on the day it is granted: the one
        directly below (none for the lowest)."""
        return Tier.objects.filter(rank=self.rank - 1).first() if self.rank > 1 else None

    def above(self):
        """The tiers resting on this one (directly, or through the ones between)."""
        return Tier.objects.filter(rank__gt=self.rank)

    @staticmethod
    def counts_toward(held_rank: int, rank: int) -> bool:
        """Whether a community holding the tier of ``held_rank`` counts toward the tier of
        ``rank``: its own tier always; a lower tier too with the setting on (the default)."""
        return held_rank == rank or (higher_tiers_count_toward_lower() and held_rank > rank)

    @staticmethod
    def counting_toward_q(rank: int, field: str = "tier__rank") -> models.Q:
        """``counts_toward`` as a filter on a field holding the held tier's rank (a certification's
        ``tier__rank``, or a community's annotated highest rank)."""
        return models.Q(**{f"{field}__gte" if higher_tiers_count_toward_lower() else field: rank})


def in_force_q(day: datetime.date, prefix: str = "") -> models.Q:
    """The one rule for a certification "in force on a day": certified on or before it, not
    expired (``valid_until`` empty or on or after it) and not withdrawn on or before it.
    ``prefix``: the path to the certification from the model filtered (e.g. ``certifications__``),
    or empty on Certification itself; also usable as an aggregate's ``filter``."""
    return (models.Q(**{f"{prefix}certified_on__lte": day})
            & (models.Q(**{f"{prefix}valid_until__isnull": True}) | models.Q(**{f"{prefix}valid_until__gte": day}))
            & (models.Q(**{f"{prefix}withdrawn_on__isnull": True}) | models.Q(**{f"{prefix}withdrawn_on__gt": day})))


class CertificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self if can_read_plan(user) else self.none()

    def editable_by(self, user):
        return self if is_city_admin(user) else self.none()  # the city certifies

    def in_force_on(self, day):
        """Certifications that hold on ``day`` (``in_force_q``: granted by then, not expired, not
        withdrawn)."""
        return self.filter(in_force_q(day))

    def counting_toward(self, tier: Tier):
        """Certifications whose holder counts toward ``tier`` (``Tier.counts_toward``)."""
        return self.filter(Tier.counting_toward_q(tier.rank))


class Certification(models.Model):
    """A village or community certified at a tier: the record the tier counts come from."""

    community = models.ForeignKey(Region, verbose_name=_("village or community"), on_delete=models.PROTECT,
                                  related_name="certifications", limit_choices_to={"level": "village"})
    tier = models.ForeignKey(Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="certifications")
    certificate_number = models.CharField(_("certificate number"), max_length=60, unique=True)
    certified_on = models.DateField(_("certified on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("withdrawal reason"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    objects = CertificationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["tier__rank", "community__code", "certified_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__isnull=True)
                                   | models.Q(valid_until__gte=models.F("certified_on")),
                                   name="certification_validity_after_grant"),
            models.CheckConstraint(condition=models.Q(withdrawn_on__isnull=True)
                                   | ~models.Q(withdrawal_reason=""), name="certification_withdrawal_has_reason"),
        ]
        indexes = [
            # tier counts: certifications of one tier by date
            models.Index(fields=["tier", "certified_on"], name="certification_tier_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.tier} · {self.certificate_number}"


class Criterion(models.Model):
    """One condition of a tier (task 8: standard employment services, policies carried out, full
    employment assistance, good public evaluation) or a measured condition the county records for
    the community (registered unemployed, zero-employment households, assistance rate). Edited by
    the city administrator; an application's checklist answers every active criterion of its tier."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement (met or not)")
        MEASURE = "measure", _("Measured condition")

    class Rule(models.TextChoices):
        RECORD = "record", _("Recorded only")
        EQ = "eq", _("must equal")
        LE = "le", _("at most")
        GE = "ge", _("at least")

    tier = models.ForeignKey(Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="criteria")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STATEMENT)
    rule = models.CharField(_("rule"), max_length=8, choices=Rule.choices, default=Rule.RECORD)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification criterion")
        verbose_name_plural = _("certification criteria")
        ordering = ["tier__rank", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "code"], name="criterion_unique_code_per_tier"),
            models.CheckConstraint(condition=models.Q(kind="measure") | models.Q(rule="record"),
                                   name="criterion_rule_only_for_measures"),
            models.CheckConstraint(condition=models.Q(rule="record") | models.Q(threshold__isnull=False),
                                   name="criterion_rule_has_threshold"),
        ]

    def __str__(self) -> str:
        return f"{self.tier} · {self.name}"

    def satisfied_by(self, value) -> bool:
        """Whether a measured ``value`` meets the rule (always, for a recorded-only measure)."""
        if value is None:
            return False
        if self.rule == self.Rule.EQ:
            return value == self.threshold
        if self.rule == self.Rule.LE:
            return value <= self.threshold
        if self.rule == self.Rule.GE:
            return value >= self.threshold
        return True

    @property
    def rule_text(self) -> str:
        if self.rule == self.Rule.RECORD:
            return ""
        return f"{self.get_rule_display()} {self.threshold.normalize():f}{self.unit}"


class ApplicationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The city administrator and leaders see every county's applications; a county officer
        their county's; a town officer their town's. Nobody else."""
        if not can_read_plan(user):
            return self.none()
        if sees_whole_city(user):
            return self
        scope = models.Q(pk__in=[])
        if county_id := officer_county_id(user):
            scope |= models.Q(county_id=county_id)
        if town_id := officer_town_id(user):
            scope |= models.Q(community__parent_id=town_id)
        return self.filter(scope)

    def editable_by(self, user):
        """The applying county's officers (the checklist, evidence, submission, cancellation),
        and the city administrator."""
        if is_city_admin(user):
            return self
        if county_id := officer_county_id(user):
            return self.filter(county_id=county_id)
        return self.none()

    def counties_for(self, user):
        """The counties whose applications ``user`` sees (the same rule as for_user), in code order."""
        counties = Region.objects.for_user(user).counties().order_by("code")
        if sees_whole_city(user):
            return counties
        county_ids = [officer_county_id(user)]
        if officer_town_id(user):
            county_ids.append(user.region.county_id)
        return counties.filter(pk__in=[pk for pk in county_ids if pk])

    def awaiting_review_by(self, user):
        """Applications in review at a step ``user`` decides: their town's officer (初审), their
        county's officers other than the one who submitted it (审核), the city administrator
        (认定)."""
        scope = models.Q(pk__in=[])
        if town_id := officer_town_id(user):
            scope |= models.Q(step=Application.Step.TOWN, community__parent_id=town_id)
        if county_id := officer_county_id(user):
            scope |= models.Q(step=Application.Step.COUNTY, county_id=county_id) & ~models.Q(submitted_by=user)
        if is_city_admin(user):
            scope |= models.Q(step=Application.Step.CITY)
        return self.for_user(user).filter(scope, state=Application.State.IN_REVIEW)

    def open(self):
        return self.filter(state__in=Application.OPEN_STATES)


class Application(models.Model):
    """A county's application for one of its villages or communities to be certified at a tier,
    with the criteria checklist and evidence, reviewed step by step (town → county → city by
    default, settings.CERTIFICATION_REVIEW_STEPS); the city's approval issues the certification."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned for changes")
        CERTIFIED = "certified", _("Certified")
        CANCELLED = "cancelled", _("Cancelled")

    class Step(models.TextChoices):
        TOWN = "town", _("Town review (初审)")
        COUNTY = "county", _("County review (审核)")
        CITY = "city", _("City certification (认定)")

    OPEN_STATES = (State.DRAFT, State.IN_REVIEW, State.RETURNED)

    community = models.ForeignKey(Region, verbose_name=_("village or community"), on_delete=models.PROTECT,
                                  related_name="applications", limit_choices_to={"level": "village"})
    county = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.PROTECT, related_name="+")
    tier = models.ForeignKey(Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="applications")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    step = models.CharField(_("review step"), max_length=8, choices=Step.choices, blank=True,
                            help_text=_("The step the application waits at while in review."))
    steps = models.CharField(_("review steps"), max_length=40,
                             help_text=_("The review steps fixed when the application was submitted."))
    summary = models.TextField(_("summary"), blank=True,
                               help_text=_("What the village or community has done (a few sentences)."))
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_by = models.ForeignKey("accounts.User", verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    certification = models.OneToOneField(Certification, verbose_name=_("certification"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="application")
    updated_by = models.ForeignKey("accounts.User", verbose_name=_("last changed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification application")
        verbose_name_plural = _("certification applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # one open application per community and tier: a second would be reviewed twice
            models.UniqueConstraint(fields=["community", "tier"], condition=models.Q(
                state__in=["draft", "in_review", "returned"]), name="application_one_open_per_tier"),
            models.CheckConstraint(condition=models.Q(state="in_review", step__gt="")
                                   | (~models.Q(state="in_review") & models.Q(step="")),
                                   name="application_step_only_in_review"),
            models.CheckConstraint(condition=~models.Q(state="certified") | models.Q(certification__isnull=False),
                                   name="application_certified_has_certificate"),
        ]
        indexes = [models.Index(fields=["county", "state"], name="application_county_state_idx")]

    def __str__(self) -> str:
        return f"{self.community} · {self.tier}"

    @property
    def step_list(self) -> list[str]:
        return [s for s in self.steps.split(",") if s]

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class ApplicationCheck(models.Model):
    """The application's answer to one criterion: met or not (a statement), or the recorded
    figure (a measure), with a note."""

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="checks")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="+")
    met = models.BooleanField(_("met"), null=True, blank=True)
    value = models.DecimalField(_("figure"), max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["criterion__order", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["application", "criterion"],
                                               name="application_check_unique_criterion")]

    def __str__(self) -> str:
        return f"{self.application} · {self.criterion.name}"

    @property
    def is_satisfied(self) -> bool:
        if self.criterion.kind == Criterion.Kind.STATEMENT:
            return self.met is True
        return self.criterion.satisfied_by(self.value)


class ApplicationReview(models.Model):
    """One decision on an application: a review step approved or returned (with a comment), kept
    in order; never edited."""

    class Decision(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="reviews")
    step = models.CharField(_("review step"), max_length=8, choices=Application.Step.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey("accounts.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("application decision")
        verbose_name_plural = _("application decisions")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_decision_display()}"

    @property
    def actor(self):
        """Who made the decision (the shared history list, templates/_steps.html)."""
        return self.reviewer

    @property
    def what(self) -> str:
        """The step and the decision, as the shared history list names them."""
        decision = self.get_decision_display()
        return f"{self.get_step_display()} · {decision}" if self.step else decision


class ApplicationEvidence(models.Model):
    """A file attached to an application (meeting minutes, survey results, photos): PDF, JPEG or
    PNG, checked by content."""

    application = models.ForeignKey(Application, verbose_name=_("application"), on_delete=models.CASCADE,
                                    related_name="evidence")
    file = models.FileField(_("file"), upload_to="applications/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey("accounts.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application evidence")
        verbose_name_plural = _("application evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class CertificationReview(models.Model):
    """A periodic review (复核) of a certification: passed (its validity runs on from the review)
    or failed (the certification is withdrawn, with the review as the reason)."""

    certification = models.ForeignKey(Certification, verbose_name=_("certification"), on_delete=models.PROTECT,
                                      related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    passed = models.BooleanField(_("passed"))
    comment = models.TextField(_("comment"), blank=True)
    valid_until = models.DateField(_("valid until after the review"), null=True, blank=True)
    reviewer = models.ForeignKey("accounts.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification review (复核)")
        verbose_name_plural = _("certification reviews (复核)")
        ordering = ["certification", "reviewed_on"]

    def __str__(self) -> str:
        return f"{self.certification} · {self.reviewed_on}"
