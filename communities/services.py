"""Loading Ankang's administrative divisions (NBS 2023 statistical division codes)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kernel.loading import LoadSummary
from kernel.refusals import refuse

from .models import Region

DIVISIONS_FILE = Path(settings.BASE_DIR) / "data" / "ankang_divisions_2023.csv"
FIELDS = ["name", "short_name", "level", "kind", "parent_id", "county_id", "vintage"]


def region_kind(code: str, level: str, name: str) -> str:
    """The kind of unit, from the NBS coding rules.

    Towns: digits 7–9 are 001–099 for a sub-district (街道), 100–199 a town (镇), 200–399 a
    township (乡). Villages: digits 10–12 are 001–199 for a residents' committee (居委会, a
    community), 200–399 for a villagers' committee (村委会, a village). The code decides, not the
    name: 子午社区村委会 is coded as a community.
    """
    if level == Region.Level.CITY:
        return Region.Kind.PREFECTURE_CITY
    if level == Region.Level.COUNTY:
        return {"区": Region.Kind.DISTRICT, "县": Region.Kind.COUNTY, "市": Region.Kind.COUNTY_CITY}[name[-1]]
    if level == Region.Level.TOWN:
        n = int(code[6:9])
        return Region.Kind.SUBDISTRICT if n < 100 else Region.Kind.TOWN if n < 200 else Region.Kind.TOWNSHIP
    n = int(code[9:12])
    return Region.Kind.COMMUNITY if n < 200 else Region.Kind.VILLAGE


def region_short_name(name: str) -> str:
    """西大街社区居委会 → 西大街社区; 联合村委会 → 联合村; 陈家营村委会（大） → 陈家营村（大）."""
    for suffix, short in (("社区居委会", "社区"), ("居委会", "社区"), ("村委会", "村")):
        if suffix in name:
            return name.replace(suffix, short, 1)
    return name


@transaction.atomic
def divisions_load(*, path: Path = DIVISIONS_FILE, vintage: str = "2023") -> LoadSummary:
    """Create or update every unit in the file; idempotent (a second run writes nothing)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    level_rank = {"city": 0, "county": 1, "town": 2, "village": 3}
    rows.sort(key=lambda r: (level_rank[r["level"]], r["code"]))  # parents before children
    existing = {r.code: r for r in Region.objects.all()}
    summary = LoadSummary()
    reason = f"divisions_load {path.name}"
    for level in ("city", "county", "town", "village"):
        to_create, to_update = [], []
        for row in (r for r in rows if r["level"] == level):
            parent = existing.get(row["parent_code"]) if row["parent_code"] else None
            if row["parent_code"] and parent is None:
                raise ValueError(f"{row['code']} {row['name']}: parent {row['parent_code']} not in the file")
            county = None
            if level == "county":
                county = None  # set after creation: a county is its own county
            elif parent is not None and parent.level != "city":
                county = parent if parent.level == "county" else parent.county
            values = {
                "name": row["name"], "short_name": region_short_name(row["name"]), "level": level,
                "kind": region_kind(row["code"], level, row["name"]),
                "parent_id": parent.pk if parent else None, "county_id": county.pk if county else None,
                "vintage": vintage,
            }
            region = existing.get(row["code"])
            if region is None:
                region = Region(code=row["code"], **values)
                to_create.append(region)
            elif any(getattr(region, k) != v for k, v in values.items() if not (level == "county" and k == "county_id")):
                for k, v in values.items():
                    if not (level == "county" and k == "county_id"):
                        setattr(region, k, v)
                to_update.append(region)
            else:
                summary.add(Region, "unchanged")
        if to_create:
            bulk_create_with_history(to_create, Region, batch_size=500, default_change_reason=reason)
            created = Region.objects.filter(code__in=[r.code for r in to_create])
            existing.update({r.code: r for r in created})
            summary.add(Region, "created", len(to_create))
        if to_update:
            bulk_update_with_history(to_update, Region, [f for f in FIELDS if f != "county_id" or level != "county"],
                                     batch_size=500, default_change_reason=reason)
            summary.add(Region, "updated", len(to_update))
        if level == "county":
            counties = [existing[r["code"]] for r in rows if r["level"] == "county"]
            stale = [c for c in counties if c.county_id != c.pk]
            for c in stale:
                c.county_id = c.pk
            if stale:
                bulk_update_with_history(stale, Region, ["county_id"], default_change_reason=reason)
    if summary.changed:
        from audit.services import audit_bulk_load

        audit_bulk_load(model=Region, source=path.name, summary=summary, when=timezone.now())
    return summary


TIERS = [
    # code, name, English name, rank, derived indicator, communities only
    ("municipal", "市级充分就业村（社区）", "Municipal full-employment village or community", 1, "municipal_fe_communities", False),
    ("provincial", "省级充分就业社区", "Provincial full-employment community", 2, "provincial_fe_communities", True),
    ("provincial_star", "省级充分就业星级社区", "Provincial star-level full-employment community", 3,
     "provincial_star_fe_communities", True),
    ("national", "国家级充分就业社区", "National full-employment community", 4, "national_fe_communities", True),
]


@transaction.atomic
def tiers_ensure(summary: LoadSummary | None = None) -> LoadSummary:
    """The four certification tiers of task 8. Idempotent."""
    from kernel.loading import upsert

    from .models import Tier

    summary = summary if summary is not None else LoadSummary()
    for code, name, name_en, rank, indicator_code, communities_only in TIERS:
        upsert(Tier, summary, {"code": code}, {"name": name, "name_en": name_en, "rank": rank,
                                               "indicator_code": indicator_code,
                                               "communities_only": communities_only}, "tiers_ensure")
    from .pipeline import criteria_ensure

    criteria_ensure(summary)
    return summary




@transaction.atomic
def certification_issue(*, community: Region, tier, certificate_number: str, certified_on, issuer: str,
                        valid_until=None, is_demo: bool = False):
    """Certify a village or community at a tier. A higher tier needs the one below held and in
    force on the day; a tier is held once at a time."""
    from django.utils.translation import gettext as _

    from .models import Certification, Tier

    if community.level != Region.Level.VILLAGE:
        refuse(_("Only villages and communities are certified (%(name)s is not one)."), name=community.name)
    if tier.communities_only and community.kind != Region.Kind.COMMUNITY:
        refuse(_("%(tier)s certifies communities only; %(name)s is a village."), tier=tier.name, name=community.name)
    used = Certification.objects.filter(certificate_number=certificate_number).select_related("community").first()
    if used is not None:
        refuse(_("Certificate number %(number)s is already used (%(name)s%(withdrawn)s); a certificate number is "
                  "never reused."), number=certificate_number, name=used.community.name,
                withdrawn=_(", withdrawn on %(day)s") % {"day": used.withdrawn_on} if used.withdrawn_on else "")
    held = Certification.objects.select_for_update().filter(community=community).in_force_on(certified_on)
    if held.filter(tier=tier).exists():
        refuse(_("%(name)s already holds %(tier)s."), name=community.name, tier=tier.name)
    if tier.rank > 1:
        below = Tier.objects.get(rank=tier.rank - 1)
        if not held.filter(tier=below).exists():
            refuse(_("%(tier)s requires %(below)s, held and in force on %(day)s."), tier=tier.name,
                    below=below.name, day=certified_on)
    certification = Certification(community=community, tier=tier, certificate_number=certificate_number,
                                  certified_on=certified_on, valid_until=valid_until, issuer=issuer, is_demo=is_demo)
    certification.full_clean()
    certification.save()
    _enqueue_tier_rollup(tier)
    return certification


@transaction.atomic
def certification_withdraw(*, certification, on, reason: str):
    """Withdraw (摘牌) a certification from a date, with a reason; the record stays."""
    from django.utils.translation import gettext as _

    if not reason.strip():
        refuse(_("A withdrawal needs a reason."))
    if certification.withdrawn_on is not None:
        refuse(_("This certification was already withdrawn on %(day)s."), day=certification.withdrawn_on)
    certification.withdrawn_on, certification.withdrawal_reason = on, reason.strip()
    certification.full_clean()
    certification.save()
    _enqueue_tier_rollup(certification.tier)
    return certification


def _enqueue_tier_rollup(tier) -> None:
    from outbox.services import job_enqueue

    from .models import Tier

    # with "higher counts toward lower", a change at one tier moves every count at or below it
    codes = list(Tier.objects.filter(rank__lte=tier.rank).values_list("indicator_code", flat=True))
    job_enqueue(task="targets.rollup", kwargs={"indicator_codes": codes, "trigger": "certification"})


@transaction.atomic
def community_profile_save(*, region: Region, households, population, is_relocation: bool, version: int, user):
    """Record a village's or community's size and relocation status: its own county's officer or
    the city administrator; a stale form is refused naming who changed it."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    from kernel.versioning import refuse_if_stale

    from .models import CommunityProfile

    if not Region.objects.editable_by(user).filter(pk=region.pk, level=Region.Level.VILLAGE).exists():
        raise PermissionDenied
    profile, _created = CommunityProfile.objects.select_for_update().get_or_create(region=region)
    refuse_if_stale(profile, version)
    for name, value in (("households", households), ("population", population)):
        if value not in (None, "") and (not str(value).isascii() or not str(value).isdigit()):
            refuse(_("%(field)s must be a whole number (%(value)s)."), field=str(
                CommunityProfile._meta.get_field(name).verbose_name), value=value)
    profile.households = int(households) if households not in (None, "") else None
    profile.population = int(population) if population not in (None, "") else None
    profile.is_relocation = bool(is_relocation)
    profile.version += 1
    profile.updated_by, profile.updated_at = user, timezone.now()
    profile.save()
    return profile
