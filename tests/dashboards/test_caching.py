"""Compute once, serve many: the dashboards' figures are cached per roll-up generation and per
reader's scope (dashboards/caching.py). An approval and its roll-up show on the next request; a
change no roll-up made does not (so the cache is really read); and one county's cached view never
reaches another county."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.caching import key_for, per_generation, scope_of
from targets.generation import KEY, generation_bump, generation_current
from targets.models import Snapshot
from tests.dashboards.test_pages import chart_data
from tests.targets_helpers import approve

TARGET = "/dashboards/targets/urban_new_jobs/?quarter=2024Q1"
HANBIN, SHIQUAN = "610902000000", "610922000000"



@pytest.fixture
def figures(db):
    approve("urban_new_jobs", "汉滨区", "2024Q1", value=1200)
    approve("urban_new_jobs", "石泉县", "2024Q1", value=300)


def test_an_approval_and_its_roll_up_are_visible_on_the_next_request(client_for, figures):
    leader = client_for("leader")
    first = leader.get(TARGET)
    assert first.status_code == 200
    trend = chart_data(first)["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 1500.0

    approve("urban_new_jobs", "紫阳县", "2024Q1", value=500)  # approval → roll-up → new generation
    trend = chart_data(leader.get(TARGET))["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 2000.0


def test_the_second_request_reads_the_cache_and_only_a_roll_up_invalidates_it(client_for, figures):
    leader = client_for("leader")
    leader.get(TARGET)  # fills the cache
    with CaptureQueriesContext(connection) as cached:
        leader.get(TARGET)
    # a change no roll-up made is not seen: the page is served from the cache …
    Snapshot.objects.filter(plan__code="ankang-2022", indicator__code="urban_new_jobs", region__level="city",
                            year=2024, quarter=1).update(value=D(9999))
    trend = chart_data(leader.get(TARGET))["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 1500.0
    # … until a roll-up changes the generation, on every process (the number is in the shared cache)
    before = generation_current()
    generation_bump()
    assert generation_current() != before and cache.get(KEY) == generation_current()
    with CaptureQueriesContext(connection) as recomputed:
        trend = chart_data(leader.get(TARGET))["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 9999.0
    assert len(cached) < len(recomputed)  # the cached request skipped the snapshot queries


@pytest.mark.parametrize("url", ["/dashboards/", "/dashboards/certification/", "/dashboards/rankings/?quarter=2024Q1",
                                 f"/dashboards/counties/{HANBIN}/", TARGET])
def test_every_cached_page_reads_less_the_second_time(client_for, figures, url):
    leader = client_for("leader")
    with CaptureQueriesContext(connection) as first:
        assert leader.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert leader.get(url).status_code == 200
    assert len(second) < len(first), url


def test_a_county_cached_view_never_reaches_another_county(client_for, personas, plan, figures):
    county_a, county_b = client_for("county_a"), client_for("county_b")  # 汉滨区, 石泉县
    assert scope_of(personas["county_a"]) != scope_of(personas["county_b"])
    assert scope_of(personas["leader"]) == scope_of(personas["city_admin"]) == "city"
    # 汉滨区's officer fills the cache with their county's page …
    page_a = county_a.get(f"/dashboards/counties/{HANBIN}/")
    assert page_a.status_code == 200 and "汉滨区" in page_a.content.decode()
    # … which 石泉县's officer still cannot open, and their own page is their own county's
    assert county_b.get(f"/dashboards/counties/{HANBIN}/").status_code == 404
    page_b = county_b.get(f"/dashboards/counties/{SHIQUAN}/")
    assert page_b.status_code == 200
    rows = chart_data(page_b)["bars"]["series"][0]["data"]
    assert all(SHIQUAN in (row["url"] or SHIQUAN) for row in rows)
    # a key never matches across scopes, whatever the page: another county's reader computes afresh
    assert key_for("county-rows", user=personas["county_a"], plan=plan) != key_for(
        "county-rows", user=personas["county_b"], plan=plan)
    calls = []
    per_generation("probe", user=personas["county_a"], plan=plan, compute=lambda: calls.append("a") or "A's")
    assert per_generation("probe", user=personas["county_b"], plan=plan,
                          compute=lambda: calls.append("b") or "B's") == "B's"
    assert per_generation("probe", user=personas["county_a"], plan=plan, compute=lambda: "never") == "A's"
    assert calls == ["a", "b"]
