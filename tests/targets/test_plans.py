"""Figures belong to a plan's targets. A reported value is a fact about a region and a quarter; it
counts toward every plan whose period holds its quarter, each plan computing its own figures in its
own window. Neither plan's pages nor API answers show the other's figures, and a quarter outside a
plan's period has no figure of that plan, said plainly."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from kernel.quarters import Quarter
from targets.models import Snapshot, Target
from targets.rollup import rollup
from tests.targets_helpers import approve, city, county, snap, successor

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)
CITY = "610900000000"


def _city_quarters(plan: str, code: str) -> list[str]:
    return [Quarter(y, q).label for y, q in Snapshot.objects.filter(
        plan__code=plan, indicator__code=code, region=city()).order_by("year", "quarter").values_list("year", "quarter")]


def test_a_successor_counts_only_its_own_quarters_and_the_ended_plan_stops_at_its_end():
    successor()  # 2026-01-01 – 2030-12-31
    approve("urban_new_jobs", "石泉县", "2021Q1", value=300)
    approve("urban_new_jobs", "汉滨区", "2025Q3", value=1000)
    approve("urban_new_jobs", "汉滨区", "2025Q4", value=2000)
    approve("urban_new_jobs", "汉滨区", "2026Q1", value=500)
    approve("urban_new_jobs", "汉滨区", "2026Q2", value=700)
    rollup(today=TODAY)
    old = _city_quarters("ankang-2022", "urban_new_jobs")
    assert old[0] == "2021Q1" and old[-1] == "2025Q4" and len(old) == 20  # nothing after the plan ended
    assert snap("urban_new_jobs", city(), "2021Q1").value == D(300)  # its cumulative starts in 2021
    assert snap("urban_new_jobs", city(), "2025Q4").value == D(3300)
    new = _city_quarters("ankang-2026", "urban_new_jobs")
    assert new[0] == "2026Q1" and new[-1] == "2026Q4"  # from its first quarter to the quarter in progress
    assert snap("urban_new_jobs", city(), "2026Q1", plan="ankang-2026").value == D(500)  # only 2026 counts
    assert snap("urban_new_jobs", city(), "2026Q2", plan="ankang-2026").value == D(1200)
    assert snap("urban_new_jobs", "汉滨区", "2026Q2", plan="ankang-2026").value == D(1200)
    # each plan's snapshots carry that plan's own target
    for s in Snapshot.objects.select_related("plan", "target"):
        assert s.target.plan_id == s.plan_id
    # every indicator the successor targets has its figures; none of the old plan's run past 2025
    assert not Snapshot.objects.filter(plan__code="ankang-2022", year__gte=2026).exists()
    assert not Snapshot.objects.filter(plan__code="ankang-2026", year__lt=2026).exists()
    assert Snapshot.objects.filter(plan__code="ankang-2026", indicator__code="national_fe_communities").exists()


def test_a_value_in_both_windows_counts_toward_both_plans():
    successor(start=datetime.date(2025, 7, 1))  # overlaps the 2021–2025 plan's last half-year
    approve("urban_new_jobs", "汉滨区", "2024Q1", value=30000)
    approve("urban_new_jobs", "汉滨区", "2025Q3", value=4321)
    approve("urban_new_jobs", "石泉县", "2025Q4", value=5000)
    approve("urban_new_jobs", "汉滨区", "2026Q1", value=1111)
    # a yearly flow: its year is clipped to the successor's window
    approve("internship_posts", "汉滨区", "2025Q2", value=100)
    approve("internship_posts", "汉滨区", "2025Q3", value=200)
    rollup(today=TODAY)
    old_q3, new_q3 = snap("urban_new_jobs", city(), "2025Q3"), snap("urban_new_jobs", city(), "2025Q3", plan="ankang-2026")
    assert old_q3.period_value == new_q3.period_value == D(4321)  # the same value, in both plans' figures
    assert (old_q3.value, new_q3.value) == (D(34321), D(4321))  # each cumulates over its own window
    assert snap("urban_new_jobs", city(), "2025Q4").value == D(39321)
    assert snap("urban_new_jobs", city(), "2025Q4", plan="ankang-2026").value == D(9321)
    assert snap("urban_new_jobs", city(), "2026Q1", plan="ankang-2026").value == D(10432)
    # pace is the plan's own: 2025-09-30 is the end of 2021–2025's 19th quarter and of 2025–2030's first
    # (1,734 of 1,826 days; 92 of 2,010)
    assert old_q3.percent_time_elapsed == D("94.96") and new_q3.percent_time_elapsed == D("4.58")
    assert _city_quarters("ankang-2026", "urban_new_jobs")[0] == "2025Q3"
    assert snap("internship_posts", city(), "2025Q3").value == D(300)
    assert snap("internship_posts", city(), "2025Q3", plan="ankang-2026").value == D(200)
    # an incremental run (one county, one indicator) recomputes both plans
    approve("urban_new_jobs", "石泉县", "2025Q3", value=9)
    assert snap("urban_new_jobs", city(), "2025Q4").value == D(39330)
    assert snap("urban_new_jobs", city(), "2025Q4", plan="ankang-2026").value == D(9330)


@pytest.fixture
def two_plans(db):
    successor(start=datetime.date(2025, 7, 1))
    approve("urban_new_jobs", "汉滨区", "2024Q1", value=30000)
    approve("urban_new_jobs", "汉滨区", "2025Q3", value=4321)
    approve("urban_new_jobs", "石泉县", "2025Q4", value=5000)
    approve("urban_new_jobs", "汉滨区", "2026Q1", value=1111)
    rollup(today=TODAY)


def test_each_plans_target_page_shows_only_its_own_figures(client_for, two_plans):
    client = client_for("leader")
    old = client.get("/targets/ankang-2022/urban_new_jobs/?quarter=2025Q4").content.decode()
    new = client.get("/targets/ankang-2026/urban_new_jobs/?quarter=2025Q4").content.decode()
    assert "39,321" in old and "9,321" not in old.replace("39,321", "")
    assert "9,321" in new and "39,321" not in new and "34,321" not in new
    assert "10,432" not in old  # the successor's 2026 figure is not the 2021–2025 plan's
    # the lists of targets: each plan's latest figure
    assert "39,321" in client.get("/targets/ankang-2022/").content.decode()
    listing = client.get("/targets/ankang-2026/").content.decode()
    assert "10,432" in listing and "39,321" not in listing
    # the drill-through lists the values counted toward that plan only
    rows = client.get(f"/targets/ankang-2026/urban_new_jobs/sources/{CITY}/2025Q4/").context["values"]
    assert [(r.year, r.quarter) for r in rows] == [(2025, 3), (2025, 4)]
    rows = client.get(f"/targets/ankang-2022/urban_new_jobs/sources/{CITY}/2025Q4/").context["values"]
    assert [(r.year, r.quarter) for r in rows] == [(2024, 1), (2025, 3), (2025, 4)]


def test_a_quarter_outside_a_plans_window_says_so_and_shows_no_other_plans_figure(client_for, two_plans):
    client = client_for("leader")
    response = client.get("/targets/ankang-2022/urban_new_jobs/?quarter=2026Q1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026Q1不在本规划期（2021年—2025年）内，无数据" in html
    assert "10,432" not in html and "1,111" not in html  # the successor's figure and the value behind it
    assert response.context["detail"].city is None and response.context["detail"].counties == []
    html = client.get("/targets/ankang-2026/urban_new_jobs/?quarter=2025Q2").content.decode()
    assert "2025Q2不在本规划期（2025-07-01至2030-12-31）内，无数据" in html
    # no drill-through into a quarter the plan has no figure for
    assert client.get(f"/targets/ankang-2022/urban_new_jobs/sources/{CITY}/2026Q1/").status_code == 404
    # in English too
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    english = client.get("/targets/ankang-2022/urban_new_jobs/?quarter=2026Q1")
    assert "2026Q1 is outside this plan&#x27;s period (2021–2025): the plan has no figures for it." in (
        english.content.decode())


def test_the_dashboards_read_the_plan_in_force(client_for, two_plans):
    client = client_for("leader")
    response = client.get("/dashboards/")
    assert response.context["plan"].code == "ankang-2026"
    card = next(c for c in response.context["overview"].cards if c.target.code == "urban_new_jobs")
    assert card.snapshot.plan.code == "ankang-2026" and card.snapshot.value == D(10432)
    assert all(s.plan_id == card.snapshot.plan_id for s in card.series)
    assert [s.quarter_label for s in card.series] == ["2025Q3", "2025Q4", "2026Q1"]
    page = client.get("/dashboards/targets/urban_new_jobs/?quarter=2025Q4")
    assert page.context["detail"].city.value == D(9321)
    county_page = client.get("/dashboards/counties/610902000000/").context["county_page"]
    row = next(r for r in county_page.rows if r.target.code == "urban_new_jobs")
    assert row.snapshot.plan.code == "ankang-2026" and row.snapshot.value == D(5432)
    # a county reports the zero-employment households (a must-reach-zero target of both plans): the
    # rankings score the successor's target, the plan in force (a target no county reports is not ranked)
    approve("zero_employment_households", "汉滨区", "2025Q4", value=0)
    rollup(today=TODAY)
    rankings = client.get("/dashboards/rankings/?quarter=2025Q4")
    assert rankings.context["outside"] == ""
    assert {(t.plan.code, t.indicator.code) for t in rankings.context["targets"]} == {
        ("ankang-2026", "zero_employment_households")}
    rankings = client.get("/dashboards/rankings/?quarter=2025Q2")  # before the successor began
    assert "2025Q2不在本规划期（2025-07-01至2030-12-31）内，无数据" in rankings.content.decode()
    assert all(r.mean is None for r, _cells in rankings.context["county_rows"])


def test_the_api_answers_for_the_plan_asked_for(client_for, two_plans):
    client = client_for("leader")
    url = f"/api/v1/snapshots/?indicator=urban_new_jobs&region={CITY}"
    old = client.get(url + "&plan=ankang-2022&page_size=1000").json()["results"]
    new = client.get(url + "&plan=ankang-2026&page_size=1000").json()["results"]
    assert {r["plan"] for r in old} == {"ankang-2022"} and {r["plan"] for r in new} == {"ankang-2026"}
    assert [r["period"] for r in old][0] == "2021Q1" and old[-1]["period"] == "2025Q4"
    assert D(old[-1]["value"]) == D(39321)
    assert [r["period"] for r in new][:3] == ["2025Q3", "2025Q4", "2026Q1"]
    assert D(next(r for r in new if r["period"] == "2025Q4")["value"]) == D(9321)
    # no plan named: the plan in force today
    assert client.get(url + "&page_size=1000").json()["results"] == new
    # the targets endpoint: one plan's targets, the plan in force unless told
    targets = client.get("/api/v1/targets/?page_size=1000").json()["results"]
    assert targets and {t["plan"] for t in targets} == {"ankang-2026"}
    assert {t["plan"] for t in client.get("/api/v1/targets/?plan=ankang-2022&page_size=1000").json()["results"]} == {
        "ankang-2022"}


def test_the_api_refuses_an_unknown_plan_and_a_quarter_outside_the_plans_period(client_for, two_plans):
    client = client_for("leader")
    for url in ["/api/v1/snapshots/?plan=ankang-2099", "/api/v1/targets/?plan=ankang-2099"]:
        response = client.get(url)
        assert response.status_code == 404 and "ankang-2099" in response.json()["detail"]
    response = client.get("/api/v1/snapshots/?plan=ankang-2022&period=2026Q1&indicator=urban_new_jobs")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "2026Q1" in detail and "2021年—2025年" in detail  # not the successor's figure: a reason
    response = client.get("/api/v1/snapshots/?plan=ankang-2022&period=2026Q1", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["detail"] == "2026Q1 is outside this plan's period (2021–2025): the plan has no figures for it."
    inside = client.get("/api/v1/snapshots/?plan=ankang-2026&period=2026Q1&indicator=urban_new_jobs"
                        f"&region={CITY}").json()["results"]
    assert [D(r["value"]) for r in inside] == [D(10432)]


def test_a_plan_that_drops_its_target_loses_its_figures_at_the_next_roll_up(two_plans):
    Target.objects.filter(plan__code="ankang-2026", indicator__code="urban_new_jobs").update(indicator=None)
    rollup(indicator_codes=["urban_new_jobs"], today=TODAY)
    assert not Snapshot.objects.filter(plan__code="ankang-2026", indicator__code="urban_new_jobs").exists()
    assert snap("urban_new_jobs", city(), "2025Q4").value == D(39321)
    assert snap("urban_new_jobs", county("汉滨区"), "2025Q4").value == D(34321)
