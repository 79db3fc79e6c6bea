"""Ankang's administrative division tree (city → counties → towns → villages and communities),
keyed by NBS codes, and what the registry records about each village and community. Every other
app stands on it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
    history = HistoricalRecords(table_name="communities_historicalregion")

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]
        db_table = "communities_region"  # the table predates this app (it was in communities)
        indexes = [
            # children of a unit in code order (tree pages, county → towns → villages)
            models.Index(fields=["parent", "code"], name="region_parent_code_idx"),
            # a county officer's scope: all units of one county at one level
            models.Index(fields=["county", "level"], name="region_county_level_idx"),
            # the city and its counties, read by every roll-up (a handful of rows among tens of
            # thousands of villages at province scale)
            models.Index(fields=["level"], name="region_city_county_idx",
                         condition=models.Q(level__in=["city", "county"])),
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

    history = HistoricalRecords(table_name="communities_historicalcommunityprofile")

    class Meta:
        verbose_name = _("community profile")
        verbose_name_plural = _("community profiles")
        db_table = "communities_communityprofile"

    def __str__(self) -> str:
        return str(self.region)

    @property
    def window_upgrade_required(self) -> bool:
        """Task 18: service windows are upgraded in relocation communities of ≥ 300 households or ≥ 800 people."""
        return self.is_relocation and ((self.households or 0) >= 300 or (self.population or 0) >= 800)
