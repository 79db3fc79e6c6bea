from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import PlanDataQuerySet, can_read_plan, is_city_admin

from .querysets import RegionQuerySet


class Region(models.Model):
    """An administrative unit of Ankang, keyed by its NBS 12-digit statistical division code:
    the city, its 10 county-level units, their towns and sub-districts, and their villages and
    communities (村委会 and 居委会)."""

    class Level(models.TextChoices):
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village or community")

    class Kind(models.TextChoices):
        PREFECTURE_CITY = "prefecture_city", _("Prefecture-level city")
        DISTRICT = "district", _("District")
        COUNTY = "county", _("Rural county")
        COUNTY_CITY = "county_city", _("County-level city")
        SUBDISTRICT = "subdistrict", _("Sub-district")
        TOWN = "town", _("Town")
        TOWNSHIP = "township", _("Township")
        COMMUNITY = "community", _("Community")
        VILLAGE = "village", _("Village")

    code = models.CharField(_("NBS code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("The name in the NBS division codes."))
    short_name = models.CharField(_("short name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children",
    )
    # The county a unit lies in (itself for a county): county staff are scoped by it, so it is
    # stored rather than walked up the tree on every query.
    county = models.ForeignKey(
        "self", verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    vintage = models.CharField(_("code vintage"), max_length=4, default="2023")
    is_active = models.BooleanField(_("active"), default=True)

    objects = RegionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]
        indexes = [
            # children of a unit in code order (tree pages, county → towns → villages)
            models.Index(fields=["parent", "code"], name="region_parent_code_idx"),
            # a county officer's scope: all units of one county at one level
            models.Index(fields=["county", "level"], name="region_county_level_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="city", parent__isnull=True)
                | (models.Q(parent__isnull=False) & ~models.Q(level="city")),
                name="region_only_city_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_community(self) -> bool:
        return self.kind == self.Kind.COMMUNITY


class Tier(models.Model):
    """A level of full-employment certification (task 8): 市级充分就业村（社区） → 省级充分就业社区
    → 省级充分就业星级社区 → 国家级充分就业社区. Each requires the one below."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True, help_text=_("1 is the lowest tier."))
    indicator_code = models.SlugField(_("indicator"), max_length=60, help_text=_("The derived indicator it feeds."))
    communities_only = models.BooleanField(
        _("communities only"), default=False,
        help_text=_("Provincial and national tiers certify communities (社区); the municipal tier villages too."))

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification tier")
        verbose_name_plural = _("certification tiers")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.name


class CertificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self if can_read_plan(user) else self.none()

    def editable_by(self, user):
        return self if is_city_admin(user) else self.none()  # the city certifies

    def in_force_on(self, day):
        """Certifications that hold on ``day``: granted by then, not expired, not withdrawn."""
        return self.filter(certified_on__lte=day).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day)).filter(
            models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gt=day))


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


class CommunityProfile(models.Model):
    """What the registry records about a village or community beyond its NBS entry: size (for
    task 18's ≥ 100 / ≥ 300 households / ≥ 800 people thresholds) and whether it is a relocation
    community (易地搬迁社区). Kept by its county; every change is in the history."""

    region = models.OneToOneField(Region, verbose_name=_("village or community"), on_delete=models.CASCADE,
                                  related_name="profile", limit_choices_to={"level": "village"})
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    is_relocation = models.BooleanField(_("relocation community (易地搬迁社区)"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey("accounts.User", verbose_name=_("last changed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("last changed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("community profile")
        verbose_name_plural = _("community profiles")

    def __str__(self) -> str:
        return str(self.region)

    @property
    def window_upgrade_required(self) -> bool:
        """Task 18: service windows are upgraded in relocation communities of ≥ 300 households or ≥ 800 people."""
        return self.is_relocation and ((self.households or 0) >= 300 or (self.population or 0) >= 800)
