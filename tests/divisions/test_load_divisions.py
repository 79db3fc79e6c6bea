"""The division tree loaded from the NBS 2023 codes: counts, kinds, the county link, idempotency."""

from __future__ import annotations

import csv
from collections import Counter

from simple_history.utils import get_history_manager_for_model

from audit.models import AuditEvent
from divisions.models import Region
from divisions.services import DIVISIONS_FILE, divisions_load, region_kind, region_short_name


def test_totals(db):
    assert Region.objects.filter(level="city").count() == 1
    assert Region.objects.filter(level="county").count() == 10
    assert Region.objects.filter(level="town").count() == 139
    assert Region.objects.filter(level="village").count() == 1924
    assert Region.objects.filter(kind="community").count() == 304
    assert Region.objects.filter(kind="village").count() == 1620
    assert Region.objects.filter(kind="subdistrict").count() + Region.objects.filter(kind="town").count() + \
        Region.objects.filter(kind="township").count() == 139


def test_counts_per_county_match_the_file(db):
    with open(DIVISIONS_FILE, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    county_of = {r["code"]: r["code"] for r in rows if r["level"] == "county"}
    for r in rows:  # the file lists parents before children
        if r["level"] in ("town", "village"):
            county_of[r["code"]] = county_of[r["parent_code"]]
    expected = Counter((county_of[r["code"]], r["level"]) for r in rows if r["level"] in ("town", "village"))
    for county in Region.objects.filter(level="county"):
        towns = Region.objects.filter(county=county, level="town").count()
        villages = Region.objects.filter(county=county, level="village").count()
        assert (towns, villages) == (expected[(county.code, "town")], expected[(county.code, "village")]), county.name
    assert sum(expected.values()) == 139 + 1924


def test_known_units(db):
    hanbin = Region.objects.get(code="610902000000")
    assert (hanbin.name, hanbin.kind, hanbin.county_id, hanbin.parent.level) == ("汉滨区", "district", hanbin.pk, "city")
    assert Region.objects.get(code="610981000000").kind == "county_city"  # 旬阳市
    assert Region.objects.get(code="610921000000").kind == "county"  # 汉阴县
    street = Region.objects.get(code="610902001003")  # 西大街社区居委会
    assert (street.kind, street.short_name, street.parent.name, street.county.name) == ("community", "西大街社区", "老城街道", "汉滨区")
    assert Region.objects.get(code="610902001000").kind == "subdistrict"


def test_kind_follows_the_nbs_code_not_the_name():
    assert region_kind("610902107313", "village", "陈家营村委会（大）") == "village"
    assert region_kind("610902001003", "village", "西大街社区居委会") == "community"
    assert region_kind("610902001003", "village", "子午社区村委会") == "community"  # code 001–199 → 居委会
    assert region_kind("610902100000", "town", "x镇") == "town"
    assert region_kind("610902200000", "town", "x乡") == "township"
    assert region_short_name("联合村委会") == "联合村"
    assert region_short_name("陈家营村委会（大）") == "陈家营村（大）"


def test_every_unit_below_a_county_points_at_its_county(db):
    assert not Region.objects.filter(level__in=["town", "village"], county__isnull=True).exists()
    mismatched = [r.code for r in Region.objects.filter(level="village").select_related("parent")
                  if r.county_id != r.parent.county_id]
    assert mismatched == []
    assert all(r.code.startswith(r.county.code[:6]) for r in Region.objects.filter(level="village").select_related("county"))


def test_loading_twice_changes_nothing(db):
    history = get_history_manager_for_model(Region)
    before = (Region.objects.count(), history.count(), AuditEvent.objects.count())
    summary = divisions_load()
    assert not summary.changed and summary.total("unchanged") == 2074
    assert (Region.objects.count(), history.count(), AuditEvent.objects.count()) == before


def test_reload_repairs_a_changed_name_and_records_one_event(db):
    Region.objects.filter(code="610902001003").update(name="改名社区居委会")
    summary = divisions_load()
    assert summary.total("updated") == 1
    assert Region.objects.get(code="610902001003").name == "西大街社区居委会"
    event = AuditEvent.objects.filter(action="bulk_loaded").first()
    assert "updated 1" in event.changes[0]["new"]


def test_a_row_whose_parent_is_missing_is_refused_and_nothing_is_written(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent_code\n610900000000,安康市,city,\n"
                   "610999000000,新区,county,610900000000\n610999001000,孤儿街道,town,610998000000\n", encoding="utf-8")
    import pytest

    with pytest.raises(ValueError, match="610998000000"):
        divisions_load(path=bad)
    assert not Region.objects.filter(code="610999000000").exists()


# (towns, villages, communities) per county in the NBS 2023 codes.
PER_COUNTY = {
    "汉滨区": (28, 423, 106), "汉阴县": (10, 139, 21), "石泉县": (11, 140, 24), "宁陕县": (11, 68, 12),
    "紫阳县": (17, 175, 32), "岚皋县": (12, 121, 15), "平利县": (11, 137, 15), "镇坪县": (7, 58, 7),
    "白河县": (11, 106, 16), "旬阳市": (21, 253, 56),
}


def test_region_counts_per_county(db):
    from divisions.selectors import region_children_with_counts

    class Reader:  # a superuser-like reader without touching the user table
        is_authenticated = is_active = is_superuser = True

    rows = region_children_with_counts(user=Reader(), parent=None)
    got = {county.name: (c["towns"], c["villages"], c["communities"]) for county, c in rows}
    assert got == PER_COUNTY
