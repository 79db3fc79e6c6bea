"""Writes of the division tree: loading the NBS divisions and keeping each village's and
community's profile (one at a time from its page, or many at once from an import)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audit.services import audit_bulk_load, audit_events_bulk, changes_created, changes_updated
from kernel.generations import RECORDS, generation_bump
from kernel.loading import LoadSummary
from kernel.refusals import refuse
from kernel.versioning import refuse_if_stale

from .models import CommunityProfile, Region

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
        audit_bulk_load(model=Region, source=path.name, summary=summary, when=timezone.now())
        generation_bump(RECORDS)  # bulk writes send no save signals: the dashboards' cached pages read regions
    return summary


def _profile_units(user):
    """The villages and communities whose profile ``user`` may keep (the rule of both saves): its
    own county's officer, or the city administrator."""
    return Region.objects.editable_by(user).filter(level=Region.Level.VILLAGE)


def _profile_figures(*, households, population) -> dict[str, int | None]:
    """A profile's counts under the rule of both saves: empty, or a whole number not below zero
    in ASCII digits (a form sends text, an import ints). Refuses naming the field and the value."""
    out = {}
    for name, value in (("households", households), ("population", population)):
        if value in (None, ""):
            out[name] = None
        elif str(value).isascii() and str(value).isdigit():  # not "-1", "1.0", "True", "３５０"
            out[name] = int(value)
        else:
            refuse(_("%(field)s must be a whole number (%(value)s)."), field=str(
                CommunityProfile._meta.get_field(name).verbose_name), value=value)
    return out


@transaction.atomic
def community_profile_save(*, region: Region, households, population, is_relocation: bool, version: int, user):
    """Record a village's or community's size and relocation status: its own county's officer or
    the city administrator; a stale form is refused naming who changed it."""
    if not _profile_units(user).filter(pk=region.pk).exists():
        raise PermissionDenied
    profile, _created = CommunityProfile.objects.select_for_update().get_or_create(region=region)
    refuse_if_stale(profile, version)
    figures = _profile_figures(households=households, population=population)
    profile.households, profile.population = figures["households"], figures["population"]
    profile.is_relocation = bool(is_relocation)
    profile.version += 1
    profile.updated_by, profile.updated_at = user, timezone.now()
    profile.save()
    return profile


PROFILE_FIELDS = ["households", "population", "is_relocation", "version", "updated_by", "updated_at"]


class RowRefused(Exception):
    def __init__(self, change: dict, exc: Exception):
        super().__init__(str(exc))
        self.change, self.exc = change, exc


@transaction.atomic
def community_profiles_bulk_save(*, changes: list[dict], user, reason: str) -> None:
    """``community_profile_save``'s rules for many villages and communities at once, in a fixed
    number of queries per chunk instead of about eight per row (an import of 1,924 rows): the user
    may edit each one, each profile is locked and its version checked, the version goes up by one
    (two for a new profile, as get_or_create then save does), who and when are recorded, and every
    created or changed profile gets its history row and audit event.

    ``changes``: dicts with ``code``, ``version`` (seen by the user; 1 for a profile not yet
    recorded) and ``new`` (households, population, is_relocation, already read as whole numbers
    and a boolean). Raises RowRefused naming the first row refused; nothing is written then."""
    codes = [c["code"] for c in changes]
    regions = {r.code: r for r in _profile_units(user).filter(code__in=codes)}
    existing = {p.region_id: p for p in CommunityProfile.objects.select_for_update(of=("self",))
                .select_related("updated_by", "region").filter(region__code__in=codes)}
    now = timezone.now()
    to_create, to_update, audit_rows = [], [], []
    for change in changes:
        region = regions.get(change["code"])
        if region is None:
            raise RowRefused(change, PermissionDenied())
        new = change["new"]
        try:
            figures = _profile_figures(households=new["households"], population=new["population"])
        except ValidationError as exc:
            raise RowRefused(change, exc) from exc
        profile = existing.get(region.pk)
        if profile is None:
            if change["version"] != 1:  # it was recorded when previewed and has gone since
                raise RowRefused(change, PermissionDenied())
            to_create.append(CommunityProfile(region=region, households=figures["households"],
                                              population=figures["population"],
                                              is_relocation=bool(new["is_relocation"]), version=2, updated_by=user,
                                              updated_at=now))
            continue
        try:
            refuse_if_stale(profile, change["version"])
        except Exception as exc:
            raise RowRefused(change, exc) from exc
        old = {name: getattr(profile, name) for name in ("households", "population", "is_relocation")}
        profile.households, profile.population = figures["households"], figures["population"]
        profile.is_relocation = bool(new["is_relocation"])
        profile.version += 1
        profile.updated_by, profile.updated_at = user, now
        to_update.append(profile)
        audit_rows.append((profile, "changed", changes_updated(profile, old)))
    if to_create:
        bulk_create_with_history(to_create, CommunityProfile, batch_size=1000, default_user=user,
                                 default_change_reason=reason, default_date=now)
        audit_rows += [(p, "created", changes_created(p)) for p in to_create]
    if to_update:
        bulk_update_with_history(to_update, CommunityProfile, PROFILE_FIELDS, batch_size=1000, default_user=user,
                                 default_change_reason=reason, default_date=now)
    audit_events_bulk(rows=audit_rows, actor=user, reason=reason, when=now)
