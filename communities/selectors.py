"""Reads of certification that pages share: tier counts, the registry, progress, applications."""

from __future__ import annotations

from django.db.models import Count, Q

from divisions.models import Region
from targets.models import Target

from .models import higher_tiers_count_toward_lower


def certification_counting_note() -> str:
    """How the tier counts are counted, shown beside every such count."""
    from django.utils.translation import gettext as _

    if higher_tiers_count_toward_lower():
        return _("Counted from certification records in force at each quarter's end. A community holding a higher "
                 "tier also counts toward the lower tiers.")
    return _("Counted from certification records in force at each quarter's end, this tier only.")


def tier_counts(*, indicator_code: str, quarters) -> dict[int, dict[tuple[int, int], int]]:
    """Certified villages and communities per county at each quarter's end, for the tier whose
    derived indicator is ``indicator_code``: a count of records in force (``in_force_q``), never a
    typed number; one query, a count per quarter.

    With CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER (the default), a community holding a higher
    tier counts toward every lower tier's target as well (a provincial community is also one of the
    city's 1,500; ``Tier.counts_toward``); each community counts once per tier either way.
    """
    from .models import Certification, Tier, in_force_q

    tier = Tier.objects.get(indicator_code=indicator_code)
    quarters = list(quarters)
    if not quarters:
        return {}
    counts = {f"q{i}": Count("community", distinct=True, filter=in_force_q(quarter.end))
              for i, quarter in enumerate(quarters)}
    out: dict[int, dict[tuple[int, int], int]] = {}
    for row in Certification.objects.counting_toward(tier).order_by().values("community__county_id").annotate(
            **counts):
        for i, quarter in enumerate(quarters):
            if row[f"q{i}"]:
                out.setdefault(row["community__county_id"], {})[(quarter.year, quarter.number)] = row[f"q{i}"]
    return out


def tier_certifications_in_force(*, indicator_code: str, region: Region, day, user):
    """The certification records behind a tier count: those in force on ``day`` in ``region``
    (the city: all counties), at this tier or — with the setting on — above it."""
    from .models import Certification, Tier

    tier = Tier.objects.get(indicator_code=indicator_code)
    records = Certification.objects.for_user(user).counting_toward(tier).in_force_on(day)
    if region.level != Region.Level.CITY:
        records = records.filter(community__county_id=region.county_id or region.pk)
    return records.select_related("community__county", "community__parent", "tier").order_by(
        "community__code", "tier__rank")


def registry(*, user, county: str = "", town: str = "", kind: str = "", tier: str = "", relocation: str = "",
             q: str = "", today=None):
    """The villages and communities a user may see, filtered as the registry page asks, each with
    its profile and the highest tier it holds in force today."""
    from django.db.models import Max, OuterRef, Subquery
    from django.utils import timezone

    from .models import Certification, Tier

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
        qs = qs.filter(Tier.counting_toward_q(int(tier), field="top_rank"))
    if relocation == "yes":
        qs = qs.filter(profile__is_relocation=True)
    q = q.strip()[:50]
    if q:  # a name (or part of one), or the start of a code
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs.order_by("code")


def certification_progress(*, user, day=None):
    """The four tiers against their targets, city-wide and per county, counted from the records
    in force on ``day`` (today by default) as the targets engine counts them; with the share of
    each county's villages and communities certified at the municipal tier. A fixed number of
    queries however many communities and certifications there are."""
    from django.utils import timezone

    from .models import Application, Certification, Tier

    day = day or timezone.localdate()
    tiers = list(Tier.objects.for_user(user).order_by("rank"))
    counties = list(Region.objects.for_user(user).counties().order_by("code"))
    units = {r["county_id"]: r for r in Region.objects.for_user(user).filter(level=Region.Level.VILLAGE).values(
        "county_id").annotate(total=Count("pk"), communities=Count("pk", filter=Q(kind=Region.Kind.COMMUNITY)))}
    held = list(Certification.objects.for_user(user).in_force_on(day).values_list(
        "community_id", "community__county_id", "tier__rank"))
    cumulative = higher_tiers_count_toward_lower()
    counts: dict[int, dict[int, set]] = {t.rank: {} for t in tiers}
    for community_id, county_id, rank in held:
        for t in tiers:
            if Tier.counts_toward(rank, t.rank):
                counts[t.rank].setdefault(county_id, set()).add(community_id)
    targets = {}
    for target in Target.objects.filter(indicator__code__in=[t.indicator_code for t in tiers]).select_related(
            "indicator").order_by("plan_id"):
        targets[target.indicator.code] = target  # the newest plan's target wins
    pipeline = {(r["county_id"], r["state"]): r["n"] for r in Application.objects.for_user(user).values(
        "county_id", "state").annotate(n=Count("pk"))}
    tier_rows = []
    for t in tiers:
        total = sum(len(s) for s in counts[t.rank].values())
        target = targets.get(t.indicator_code)
        tier_rows.append({"tier": t, "count": total, "target": target,
                          "percent": (round(100 * total / float(target.value), 1) if target and target.value else None)})
    county_rows = []
    for c in counties:
        u = units.get(c.pk, {"total": 0, "communities": 0})
        by_tier = [len(counts[t.rank].get(c.pk, ())) for t in tiers]
        municipal = by_tier[0] if by_tier else 0
        county_rows.append({
            "county": c, "units": u["total"], "communities": u["communities"], "by_tier": by_tier,
            "share": round(100 * municipal / u["total"], 1) if u["total"] else None,
            "in_review": pipeline.get((c.pk, Application.State.IN_REVIEW), 0),
            "returned": pipeline.get((c.pk, Application.State.RETURNED), 0),
            "drafts": pipeline.get((c.pk, Application.State.DRAFT), 0),
        })
    return {"day": day, "tiers": tier_rows, "counties": county_rows, "cumulative": cumulative}


def applications_list(*, user, county: str = "", state: str = "", tier: str = "", step: str = ""):
    from .models import Application

    qs = Application.objects.for_user(user).select_related("community__parent", "county", "tier", "submitted_by")
    if county:
        qs = qs.filter(county__code=county)
    if state in Application.State.values:
        qs = qs.filter(state=state)
    if tier.isdigit():
        qs = qs.filter(tier__rank=int(tier))
    if step in Application.Step.values:
        qs = qs.filter(state=Application.State.IN_REVIEW, step=step)
    return qs.order_by("-updated_at", "-pk")


def review_queue(*, user):
    """Applications waiting at a step this user decides."""
    from .models import Application

    return Application.objects.awaiting_review_by(user).select_related(
        "community__parent", "county", "tier").order_by("submitted_at")


def application_state_counts(*, user, county: str = "") -> dict[str, int]:
    from .models import Application

    qs = Application.objects.for_user(user)
    if county:
        qs = qs.filter(county__code=county)
    counts = dict(qs.values_list("state").annotate(n=Count("pk")))
    return {state: counts.get(state, 0) for state in Application.State.values}


def village_picker(*, user, county: str = "", town: str = "", name: str = "", code: str = "") -> dict:
    """A village or community picked county → town → village, or by name, never by typing its
    code: the counties the user may apply for (a county officer: their own), the chosen county's
    towns, and the villages of the chosen town (or, with ``name``, those whose name holds it, at
    most 100). ``code`` (a village already chosen) fills the county and town in."""
    from accounts.scoping import officer_county_id

    regions = Region.objects.for_user(user)
    counties = regions.counties().order_by("code")
    own = officer_county_id(user)
    if own:
        counties = counties.filter(pk=own)
    villages = regions.filter(level=Region.Level.VILLAGE, county__in=counties)
    chosen = villages.filter(code=code).select_related("parent", "county").first() if code else None
    if chosen is not None:
        county, town = chosen.county.code, chosen.parent.code
    counties = list(counties)
    if len(counties) == 1:
        county = counties[0].code
    towns = regions.filter(level=Region.Level.TOWN, county__code=county).order_by("code") if county else []
    name = name.strip()[:50]
    options = villages.none()
    if name:
        options = villages.filter(name__icontains=name)
        if county:
            options = options.filter(county__code=county)
    elif town:
        options = villages.filter(parent__code=town)
    options = list(options.select_related("parent", "county").order_by("code")[:100])
    if chosen is not None and chosen not in options:
        options.insert(0, chosen)
    return {"counties": counties, "county": county, "towns": towns, "town": town, "name": name,
            "villages": options, "chosen": chosen}
