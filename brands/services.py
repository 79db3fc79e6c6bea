"""Writes of labour brands: one entry point for the admin, the demo and any page, with the
integrity rules (a whole number of workers, a plausible year) and the roll-up after the commit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import is_city_admin, officer_county_id
from divisions.models import Region
from kernel.numbers import whole_number
from kernel.refusals import refuse
from kernel.versioning import refuse_if_stale
from targets.services import rollups_enqueue

from .models import FIRST_YEAR, LabourBrand
from .selectors import INDICATOR_CODE

FIELDS = ("name", "work_type", "county", "year_recognised", "workers_employed", "note")


def labour_brand_check(*, name: str, work_type: str, county: Region, year_recognised, workers_employed,
                       exclude_pk: int | None = None) -> tuple[str, str, int, int]:
    """The rules of a brand's fields, without writing (the save and the import's preview): a name
    and a work type, a year from 2000 to this year, a whole number of workers ≥ 0, a name the
    county does not already have. Returns the cleaned name, work type, year and workers."""
    name, work_type = (name or "").strip(), (work_type or "").strip()
    if not name or not work_type:
        refuse(_("A labour brand needs its name and its work type."))
    year = whole_number(year_recognised, label=_("year recognised"), minimum=FIRST_YEAR,
                        maximum=timezone.localdate().year)
    workers = whole_number(workers_employed, label=_("workers employed"), minimum=0)
    duplicate = LabourBrand.objects.filter(county=county, name=name).exclude(pk=exclude_pk)
    if duplicate.exists():
        refuse(_("%(county)s already has a labour brand named %(name)s."), county=county.name, name=name)
    return name, work_type, year, workers


@transaction.atomic
def labour_brand_save(*, brand: LabourBrand | None = None, name: str, work_type: str, county: Region,
                      year_recognised, workers_employed, note: str = "", user, is_demo: bool = False,
                      version: int | None = None) -> LabourBrand:
    """Record a county's labour brand (or change one): the city administrator for any county, a
    county officer for their own. Refused with the reason, nothing written: another county, a
    level other than a county, a year in the future or before 2000, a number of workers that is
    not a whole number, a name the county already has, a change based on an older ``version`` (the
    page's). The counts are rolled up after the commit."""
    if county.level != Region.Level.COUNTY:
        refuse(_("A labour brand belongs to a county."))
    if brand is not None:
        if not LabourBrand.objects.editable_by(user).filter(pk=brand.pk).exists():
            raise PermissionDenied
        brand = LabourBrand.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=brand.pk)
        if version is not None:
            refuse_if_stale(brand, version)
    if not (is_city_admin(user) or officer_county_id(user) == county.pk):
        raise PermissionDenied
    name, work_type, year, workers = labour_brand_check(
        name=name, work_type=work_type, county=county, year_recognised=year_recognised,
        workers_employed=workers_employed, exclude_pk=getattr(brand, "pk", None))
    changed_counties = {county.pk}
    if brand is None:
        brand = LabourBrand(is_demo=is_demo)
    else:
        changed_counties.add(brand.county_id)
        brand.version += 1
    brand.name, brand.work_type, brand.county, brand.note = name, work_type, county, (note or "").strip()
    brand.year_recognised, brand.workers_employed = year, workers
    brand.updated_by, brand.updated_at = user, timezone.now()
    brand.full_clean()
    brand.save()
    rollups_enqueue(indicator_codes=[INDICATOR_CODE], county_ids=changed_counties, trigger="records")
    return brand


@transaction.atomic
def labour_brand_delete(*, brand: LabourBrand, user, version: int | None = None) -> None:
    """Remove a brand recorded by mistake (history and audit keep it); refused if it changed since
    ``version`` (the page's)."""
    if not LabourBrand.objects.editable_by(user).filter(pk=brand.pk).exists():
        raise PermissionDenied
    brand = LabourBrand.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=brand.pk)
    if version is not None:
        refuse_if_stale(brand, version)
    brand._change_reason = f"labour brand removed by {user.username}"
    county_id = brand.county_id
    brand.delete()
    rollups_enqueue(indicator_codes=[INDICATOR_CODE], county_ids=[county_id], trigger="records")
