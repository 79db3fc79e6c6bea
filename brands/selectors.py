"""Reads of labour brands: the per-county counts the targets engine asks for, and the records
behind a count."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q

from divisions.models import Region

INDICATOR_CODE = "labour_brands"


def brand_counts(*, quarters) -> dict[int, dict[tuple[int, int], Decimal]]:
    """Labour brands per county at each quarter's end: the brands recognised in that year or
    before. One query."""
    from .models import LabourBrand

    quarters = list(quarters)
    if not quarters:
        return {}
    counts = {f"q{i}": Count("pk", filter=Q(year_recognised__lte=quarter.year)) for i, quarter in enumerate(quarters)}
    out: dict[int, dict[tuple[int, int], Decimal]] = {}
    for row in LabourBrand.objects.order_by().values("county_id").annotate(**counts):
        for i, quarter in enumerate(quarters):
            if row[f"q{i}"]:
                out.setdefault(row["county_id"], {})[(quarter.year, quarter.number)] = row[f"q{i}"]
    return out


def brands_in_force(*, region: Region, day, user):
    """The brands behind a count: recognised by ``day``'s year, in ``region`` (the city: all)."""
    from .models import LabourBrand

    records = LabourBrand.objects.for_user(user).filter(year_recognised__lte=day.year)
    if region.level != Region.Level.CITY:
        records = records.filter(county_id=region.county_id or region.pk)
    return records.select_related("county").order_by("county__code", "year_recognised", "name")


def brands_counting_note() -> str:
    from django.utils.translation import gettext as _

    return _("Counted from the labour brand records (admin → labour brands): a brand counts from the year it was "
             "recognised. Each county is to build 1–2; the city's figure is how many counties meet that.")


def brands_by_county(*, user) -> list[tuple[Region, list]]:
    """Every county with its brands (the city view of task 11's target)."""
    from .models import LabourBrand

    brands: dict[int, list] = {}
    for brand in LabourBrand.objects.for_user(user).select_related("county"):
        brands.setdefault(brand.county_id, []).append(brand)
    return [(county, brands.get(county.pk, [])) for county in Region.objects.for_user(user).counties().order_by("code")]


def counties_meeting(rows: list[tuple[Region, list]]) -> tuple[int, int]:
    """Of ``brands_by_county``'s counties, how many have at least one brand (task 11: 1–2 per
    county; a county with more also meets it), and how many counties there are."""
    return sum(1 for _county, brands in rows if brands), len(rows)
