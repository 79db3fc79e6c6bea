"""Loading Ankang's administrative divisions (NBS 2023 statistical division codes)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ankang_jobs.loading import LoadSummary

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
