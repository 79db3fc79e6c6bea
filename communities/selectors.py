"""Reads of the division tree that pages share."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import Region


def region_children_with_counts(*, user, parent: Region | None):
    """The units directly under ``parent`` (the city's counties when None), each with how many
    towns, villages and communities it contains — one query however large the tree."""
    base = Region.objects.for_user(user)
    children = base.filter(parent=parent) if parent else base.filter(level=Region.Level.COUNTY)
    children = list(children.order_by("code"))
    if not children or children[0].level == Region.Level.VILLAGE:
        return [(c, {}) for c in children]
    key = "county_id" if children[0].level == Region.Level.COUNTY else "parent_id"
    rows = (
        base.filter(**{f"{key}__in": [c.pk for c in children]})
        .values(key)
        .annotate(
            towns=Count("pk", filter=Q(level=Region.Level.TOWN)),
            villages=Count("pk", filter=Q(kind=Region.Kind.VILLAGE)),
            communities=Count("pk", filter=Q(kind=Region.Kind.COMMUNITY)),
        )
    )
    counts = {r[key]: r for r in rows}
    return [(c, counts.get(c.pk, {})) for c in children]


def region_totals(*, user) -> dict[str, int]:
    return Region.objects.for_user(user).aggregate(
        counties=Count("pk", filter=Q(level=Region.Level.COUNTY)),
        towns=Count("pk", filter=Q(level=Region.Level.TOWN)),
        villages=Count("pk", filter=Q(kind=Region.Kind.VILLAGE)),
        communities=Count("pk", filter=Q(kind=Region.Kind.COMMUNITY)),
    )


def higher_tiers_count_toward_lower() -> bool:
    from django.conf import settings

    return settings.CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER


def tier_counts(*, indicator_code: str, quarters) -> dict[int, dict[tuple[int, int], int]]:
    """Certified villages and communities per county at each quarter's end, for the tier whose
    derived indicator is ``indicator_code``: a count of records in force, never a typed number.

    With CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER (the default), a community holding a higher
    tier counts toward every lower tier's target as well (a provincial community is also one of the
    city's 1,500); each community counts once per tier either way.
    """
    from .models import Certification, Tier

    tier = Tier.objects.get(indicator_code=indicator_code)
    ranks = {"tier__rank__gte": tier.rank} if higher_tiers_count_toward_lower() else {"tier__rank": tier.rank}
    rows = list(Certification.objects.filter(**ranks).values_list(
        "community_id", "community__county_id", "certified_on", "valid_until", "withdrawn_on"))
    out: dict[int, dict[tuple[int, int], int]] = {}
    for quarter in quarters:
        day = quarter.end
        holders: dict[int, set[int]] = {}
        for community_id, county_id, certified_on, valid_until, withdrawn_on in rows:
            if certified_on <= day and (valid_until is None or valid_until >= day) and (
                    withdrawn_on is None or withdrawn_on > day):
                holders.setdefault(county_id, set()).add(community_id)
        for county_id, communities in holders.items():
            out.setdefault(county_id, {})[(quarter.year, quarter.number)] = len(communities)
    return out


def tier_certifications_in_force(*, indicator_code: str, region: Region, day, user):
    """The certification records behind a tier count: those in force on ``day`` in ``region``
    (the city: all counties), at this tier or — with the setting on — above it."""
    from .models import Certification, Tier

    tier = Tier.objects.get(indicator_code=indicator_code)
    ranks = {"tier__rank__gte": tier.rank} if higher_tiers_count_toward_lower() else {"tier__rank": tier.rank}
    records = Certification.objects.for_user(user).filter(**ranks).in_force_on(day)
    if region.level != Region.Level.CITY:
        records = records.filter(community__county_id=region.county_id or region.pk)
    return records.select_related("community__county", "community__parent", "tier").order_by(
        "community__code", "tier__rank")


def registry(*, user, county: str = "", town: str = "", kind: str = "", tier: str = "", relocation: str = "",
             today=None):
    """The villages and communities a user may see, filtered as the registry page asks, each with
    its profile and the highest tier it holds in force today."""
    from django.db.models import Max, OuterRef, Subquery
    from django.utils import timezone

    from .models import Certification

    today = today or timezone.localdate()
    in_force = Certification.objects.filter(community=OuterRef("pk")).in_force_on(today)
    qs = (Region.objects.for_user(user).filter(level=Region.Level.VILLAGE)
          .select_related("parent", "county", "profile")
          .annotate(top_rank=Subquery(in_force.values("community").annotate(m=Max("tier__rank")).values("m")[:1])))
    if county:
        qs = qs.filter(county__code=county)
    if town:
        qs = qs.filter(parent__code=town)
    if kind in (Region.Kind.VILLAGE, Region.Kind.COMMUNITY):
        qs = qs.filter(kind=kind)
    if tier == "none":
        qs = qs.filter(top_rank__isnull=True)
    elif tier.isdigit():
        qs = qs.filter(top_rank__gte=int(tier)) if higher_tiers_count_toward_lower() else qs.filter(top_rank=int(tier))
    if relocation == "yes":
        qs = qs.filter(profile__is_relocation=True)
    return qs.order_by("code")
