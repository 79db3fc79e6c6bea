"""Labour brands (劳务品牌, task 11: 每个县（市、区）打造1—2个劳务品牌) as records: a county's
brand, its work type, the year it was recognised and the workers it employs. The targets engine
counts them per county (``labour_brands``, a derived indicator); nobody types the count."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import can_read_plan, is_city_admin, officer_county_id

FIRST_YEAR = 2000  # a brand recognised before this is a typing error


class LabourBrandQuerySet(models.QuerySet):
    def for_user(self, user):
        """Public plan data: every plan reader sees every county's brands."""
        return self if can_read_plan(user) else self.none()

    def editable_by(self, user):
        """The city administrator records every county's brands; a county officer their county's."""
        if is_city_admin(user):
            return self
        if county_id := officer_county_id(user):
            return self.filter(county_id=county_id)
        return self.none()


class LabourBrand(models.Model):
    name = models.CharField(_("brand name"), max_length=100)
    work_type = models.CharField(_("work type"), max_length=100,
                                 help_text=_("The trade or occupation the brand stands for, e.g. 家政服务, 建筑工匠."))
    county = models.ForeignKey("divisions.Region", verbose_name=_("county"), on_delete=models.PROTECT,
                               related_name="labour_brands", limit_choices_to={"level": "county"})
    year_recognised = models.PositiveSmallIntegerField(_("year recognised"))
    workers_employed = models.PositiveIntegerField(_("workers employed"),
                                                   help_text=_("People working under the brand (a whole number)."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("last changed at"), null=True, blank=True)

    objects = LabourBrandQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("labour brand")
        verbose_name_plural = _("labour brands")
        ordering = ["county__code", "year_recognised", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="labour_brand_unique_name_per_county"),
            models.CheckConstraint(condition=models.Q(year_recognised__gte=FIRST_YEAR),
                                   name="labour_brand_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.county}）"
