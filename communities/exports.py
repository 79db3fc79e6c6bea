"""Exports of the registry and the certification applications: the rows the
pages show, from the same selectors, as .xlsx / .csv through kernel.exports."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from divisions.models import Region
from kernel.exports import Table, resource_table

from .models import Tier


class RegistryResource(resources.ModelResource):
    """One row per village or community, as the registry lists it (export only: imports of the
    registry are the imports app's, with its own safety checks)."""

    code = fields.Field(attribute="code", column_name=gettext_lazy("NBS code"))
    name = fields.Field(attribute="name", column_name=gettext_lazy("Name"))
    town = fields.Field(attribute="parent__name", column_name=gettext_lazy("Town"))
    county = fields.Field(attribute="county__name", column_name=gettext_lazy("County"))
    kind = fields.Field(column_name=gettext_lazy("Kind"))
    households = fields.Field(attribute="profile__households", column_name=gettext_lazy("Households"))
    population = fields.Field(attribute="profile__population", column_name=gettext_lazy("Population"))
    relocation = fields.Field(column_name=gettext_lazy("Relocation community"))
    tier = fields.Field(column_name=gettext_lazy("Tier held"))

    class Meta:
        model = Region
        fields = ("code", "name", "town", "county", "kind", "households", "population", "relocation", "tier")
        export_order = fields
        chunk_size = 500

    def __init__(self, tiers: dict[int, str] | None = None):
        super().__init__()
        self.tiers = tiers or {}

    def dehydrate_kind(self, region: Region) -> str:
        return str(region.get_kind_display())

    def dehydrate_households(self, region: Region):
        profile = getattr(region, "profile", None)
        return profile.households if profile else None

    def dehydrate_population(self, region: Region):
        profile = getattr(region, "profile", None)
        return profile.population if profile else None

    def dehydrate_relocation(self, region: Region) -> str:
        profile = getattr(region, "profile", None)
        return _("Yes") if profile and profile.is_relocation else ""

    def dehydrate_tier(self, region: Region) -> str:
        return self.tiers.get(region.top_rank, "")


def registry_table(queryset) -> Table:
    """The registry as filtered on the page (``communities.selectors.registry``), every row, not
    one page of 50; streamed row by row."""
    tiers = {t.rank: t.name for t in Tier.objects.all()}
    return resource_table("registry", _("Villages and communities"), RegistryResource(tiers), queryset)


def applications_table(queryset) -> Table:
    """Certification applications as listed (``communities.selectors.applications_list``)."""
    table = Table("applications", _("Certification applications"), [
        _("No."), _("County"), _("Town"), _("NBS code"), _("Village or community"), _("Tier"), _("State"),
        _("Review step"), _("Submitted by"), _("Submitted"), _("Last changed"), _("Certificate number")])

    def rows():
        for a in queryset.select_related("certification").iterator(chunk_size=500):
            yield [a.pk, a.county.name, a.community.parent.name, a.community.code, a.community.name, a.tier.name,
                   a.get_state_display(), a.get_step_display() if a.step else "",
                   a.submitted_by.full_name or a.submitted_by.username if a.submitted_by else "",
                   a.submitted_at, a.updated_at, a.certification.certificate_number if a.certification else ""]

    table.rows = rows()
    return table
