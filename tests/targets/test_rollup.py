"""Hand-computed roll-ups for every kind of indicator."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from targets.models import IndicatorValue, RollupRun, Snapshot
from targets.rollup import rollup
from tests.targets_helpers import approve, city, county, record, snap, successor

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def test_flow_sums_across_counties_and_over_time():
    approve("urban_new_jobs", "汉滨区", "2021Q1", value=1000)
    approve("urban_new_jobs", "汉滨区", "2021Q2", value=2000)
    approve("urban_new_jobs", "石泉县", "2021Q1", value=500)
    rollup(indicator_codes=["urban_new_jobs"], today=TODAY)
    q1, q2 = snap("urban_new_jobs", city(), "2021Q1"), snap("urban_new_jobs", city(), "2021Q2")
    assert (q1.period_value, q1.value) == (D(1500), D(1500))
    assert (q2.period_value, q2.value) == (D(2000), D(3500))
    assert snap("urban_new_jobs", "汉滨区", "2021Q2").value == D(3000)
    assert snap("urban_new_jobs", "石泉县", "2021Q2").value == D(500)  # nothing in Q2: cumulative stays
    assert (q2.units_reported, q2.units_expected) == (1, 10)
    # 2021-06-30: 181 of 1,826 days; expected 9,912.38; 3,500 is below 90 % of it
    assert (q2.target_value, q2.expected_to_date, q2.percent_achieved) == (D(100000), D("9912.3768"), D("3.50"))
    assert q2.status == "red" and q2.required_run_rate == D("5361.1111")  # 96,500 over 18 quarters
    assert snap("urban_new_jobs", "汉滨区", "2021Q2").target_value is None  # no quota issued yet


def test_ratio_is_recomputed_at_every_level_not_averaged():
    approve("registered_unemployment_rate", "汉滨区", "2024Q1", registered_unemployed=10, urban_labour_force=100)
    approve("registered_unemployment_rate", "石泉县", "2024Q1", registered_unemployed=10, urban_labour_force=1000)
    c = snap("registered_unemployment_rate", city(), "2024Q1")
    assert (c.numerator, c.denominator, c.value) == (D(20), D(1100), D("1.8182"))  # not (10 % + 1 %) / 2 = 5.5 %
    assert c.status == "green"
    a = snap("registered_unemployment_rate", "汉滨区", "2024Q1")
    assert (a.value, a.target_value, a.status) == (D(10), D(4), "red")
    assert snap("registered_unemployment_rate", "石泉县", "2024Q1").value == D(1)


def test_stock_is_the_value_at_period_end_not_a_sum_over_quarters():
    approve("zero_employment_households", "汉滨区", "2024Q1", value=5)
    approve("zero_employment_households", "汉滨区", "2024Q2", value=3)
    approve("zero_employment_households", "石泉县", "2024Q1", value=2)
    approve("zero_employment_households", "石泉县", "2024Q2", value=0)
    assert snap("zero_employment_households", city(), "2024Q1").value == D(7)
    q2 = snap("zero_employment_households", city(), "2024Q2")
    assert q2.value == D(3) and q2.status == "amber"  # not zero, but down from 7
    assert snap("zero_employment_households", "石泉县", "2024Q2").status == "green"
    assert snap("zero_employment_households", "汉滨区", "2024Q1").status == "red"


def test_city_only_indicator_is_entered_for_the_city_and_never_summed():
    approve("surveyed_unemployment_rate", city(), "2024Q2", value="5.2")
    s = snap("surveyed_unemployment_rate", city(), "2024Q2")
    assert (s.value, s.target_value, s.status) == (D("5.2"), D("5.5"), "amber")
    assert not Snapshot.objects.filter(indicator__code="surveyed_unemployment_rate", region__level="county").exists()
    with pytest.raises(ValidationError, match="只能由全市填报|city only"):
        record("surveyed_unemployment_rate", county("汉滨区"), "2024Q2", value=D(5))


def test_yearly_flow_accumulates_within_each_year():
    approve("internship_posts", "汉滨区", "2022Q1", value=1200)
    approve("internship_posts", "汉滨区", "2022Q3", value=900)
    approve("internship_posts", "汉滨区", "2023Q1", value=300)
    rollup(indicator_codes=["internship_posts"], today=TODAY)
    q3 = snap("internship_posts", city(), "2022Q3")
    assert q3.value == D(2100) and q3.target_value == D(2000)
    assert snap("internship_posts", city(), "2022Q4").status == "green"  # 2,100 ≥ 2,000 at the year's end
    restart = snap("internship_posts", city(), "2023Q1")
    assert restart.value == D(300)
    # 2023-03-31: 90 of 365 days of the year → expected 493.15
    assert restart.expected_to_date == D("493.1507") and restart.status == "red"


def test_after_the_plan_ends_flows_stop_counting_toward_it():
    successor()  # 2026–2030: the quarter after the 2021–2025 plan is the successor's
    approve("urban_new_jobs", "汉滨区", "2025Q4", value=100000)
    approve("urban_new_jobs", "汉滨区", "2026Q1", value=7000)
    rollup(indicator_codes=["urban_new_jobs"], today=TODAY)
    end, after = snap("urban_new_jobs", city(), "2025Q4"), snap("urban_new_jobs", city(), "2026Q1", plan="ankang-2026")
    assert end.value == D(100000) and end.status == "green" and end.percent_time_elapsed == D(100)
    # 2026 is not the 2021–2025 plan's: it has no figure after its end, and its final figure stands
    assert not Snapshot.objects.filter(plan__code="ankang-2022", year=2026).exists()
    assert snap("urban_new_jobs", city(), "2025Q4").value == D(100000)
    assert after.period_value == D(7000) and after.value == D(7000)  # the successor counts from its own start
    assert after.target_id != end.target_id and after.target.plan.code == "ankang-2026"


def test_per_county_target_the_city_counts_the_counties_meeting_it(personas):
    """Task 11's 1–2 labour brands per county: each county against 1, and the city says how many
    of its 10 counties meet it — never its total (22) against the per-county number (220 %)."""
    from brands.services import labour_brand_save

    for i, name in enumerate(["汉滨区", "汉滨区", "汉滨区", "石泉县"]):
        labour_brand_save(name=f"品牌{i}", work_type="家政", county=county(name), year_recognised=2023,
                          workers_employed=100, user=personas["city_admin"])
    labour_brand_save(name="后来的品牌", work_type="建筑", county=county("汉阴县"), year_recognised=2025,
                      workers_employed=50, user=personas["city_admin"])
    rollup(indicator_codes=["labour_brands"], today=TODAY)
    s, c = snap("labour_brands", "汉滨区", "2024Q4"), snap("labour_brands", city(), "2024Q4")
    assert (s.value, s.target_value, s.status) == (D(3), D(1), "green")
    assert (c.value, c.target_value, c.period_value, c.percent_achieved) == (D(2), D(10), D(4), D(20))
    assert c.status == "red" and "2/10" in c.status_reason
    assert snap("labour_brands", city(), "2025Q4").value == D(3)  # 汉阴县's from its year on
    assert not Snapshot.objects.filter(indicator__code="labour_brands", region=county("汉阴县"), year=2024,
                                       value__gt=0).exists()


def test_only_approved_values_count():
    record("urban_new_jobs", county("汉滨区"), "2024Q1", value=D(800), submit=True)
    approve("urban_new_jobs", "石泉县", "2024Q1", value=100)
    assert snap("urban_new_jobs", city(), "2024Q1").period_value == D(100)


def test_drill_through_lists_the_values_behind_a_snapshot(personas):
    from targets.selectors import snapshot_sources

    approve("urban_new_jobs", "汉滨区", "2021Q1", value=1000)
    approve("urban_new_jobs", "石泉县", "2021Q2", value=500)
    rows = list(snapshot_sources(snapshot=snap("urban_new_jobs", city(), "2021Q2"), user=personas["leader"]))
    assert [(r.region.name, r.year, r.quarter, r.value) for r in rows] == [
        ("汉滨区", 2021, 1, D(1000)), ("石泉县", 2021, 2, D(500))]
    ratio_rows = snapshot_sources(snapshot=snap("urban_new_jobs", "汉滨区", "2021Q2"), user=personas["leader"])
    assert [r.value for r in ratio_rows] == [D(1000)]
    assert list(snapshot_sources(snapshot=snap("urban_new_jobs", city(), "2021Q2"), user=personas["outsider"])) == []


def test_a_full_recompute_twice_writes_nothing_the_second_time():
    approve("urban_new_jobs", "汉滨区", "2021Q1", value=1000)
    first = rollup(today=TODAY)
    before = list(Snapshot.objects.values_list("pk", "computed_at"))
    second = rollup(today=TODAY)
    assert first.status == second.status == RollupRun.Status.SUCCEEDED
    assert (second.created, second.updated) == (0, 0) and second.unchanged == len(before) > 0
    assert list(Snapshot.objects.values_list("pk", "computed_at")) == before
    assert "skipped_without_source" not in second.scope  # the certification registry counts the tiers
    assert Snapshot.objects.filter(indicator__code="national_fe_communities", region=city()).exists()


def test_approval_recomputes_only_the_affected_regions():
    rollup(today=TODAY)
    approve("urban_new_jobs", "汉滨区", "2024Q3", value=10)
    run = RollupRun.objects.filter(trigger="approval").first()
    assert run.scope == {"indicators": ["urban_new_jobs"], "counties": [county("汉滨区").pk]}
    assert run.updated > 0 and run.created == 0
    untouched = Snapshot.objects.filter(indicator__code="urban_new_jobs", region=county("石泉县"))
    assert not untouched.filter(run=run).exists()


@pytest.mark.parametrize("code, components, message", [
    ("urban_new_jobs", {"value": -1}, "不能为负数|cannot be negative"),
    ("registered_unemployment_rate", {"registered_unemployed": 5, "urban_labour_force": 0}, "分母不能为零|denominator cannot be zero"),
    ("hard_to_employ_assistance_rate", {"assisted": 11, "hard_to_employ": 10}, "分子|numerator"),
    ("urban_new_jobs", {"value": "abc"}, "不是数字|not a number"),
    ("registered_unemployment_rate", {"registered_unemployed": 5}, "需要填报|needs exactly"),
    ("municipal_fe_communities", {"value": 3}, "认定记录|counted from records"),
])
def test_bad_input_is_refused_and_nothing_is_written(code, components, message):
    before = IndicatorValue.objects.count()
    with pytest.raises(ValidationError, match=message):
        record(code, county("汉滨区"), "2024Q1", **components)
    assert IndicatorValue.objects.count() == before


def test_a_value_for_a_unit_that_does_not_report_it_is_refused():
    town = county("汉滨区").children.first()
    with pytest.raises(ValidationError):
        record("urban_new_jobs", town, "2024Q1", value=D(1))


def test_approved_values_are_locked():
    approve("urban_new_jobs", "汉滨区", "2024Q1", value=100)
    with pytest.raises(ValidationError, match="锁定|locked"):
        record("urban_new_jobs", county("汉滨区"), "2024Q1", value=D(200))
    assert IndicatorValue.objects.get(indicator__code="urban_new_jobs", year=2024, quarter=1).value == D(100)


def test_drill_through_after_the_plan_ends_stops_at_its_end(personas):
    from targets.selectors import snapshot_sources

    successor()
    approve("urban_new_jobs", "汉滨区", "2025Q4", value=10)
    approve("urban_new_jobs", "汉滨区", "2026Q1", value=20)
    rows = snapshot_sources(snapshot=snap("urban_new_jobs", city(), "2025Q4"), user=personas["leader"])
    assert [(r.year, r.quarter) for r in rows] == [(2025, 4)]
    rows = snapshot_sources(snapshot=snap("urban_new_jobs", city(), "2026Q1", plan="ankang-2026"),
                            user=personas["leader"])
    assert [(r.year, r.quarter) for r in rows] == [(2026, 1)]


def test_county_quotas_are_versioned_and_checked(personas):
    import datetime as dt

    from targets.models import Target
    from targets.selectors import quota_check
    from targets.services import quota_set_issue

    target = Target.objects.get(plan__code="ankang-2022", code="urban_new_jobs")
    counties = list(county("汉滨区").__class__.objects.filter(level="county").order_by("code"))
    v1 = quota_set_issue(target=target, quotas={c: D(9500) for c in counties}, issued_on=dt.date(2022, 5, 1),
                         user=personas["city_admin"], document="安人社发〔2022〕X号（演示）")
    check = quota_check(quota_set=v1)
    assert check.applies and not check.adds_up and check.difference == D(-5000)
    v2 = quota_set_issue(target=target, quotas={c: D(10000) for c in counties}, issued_on=dt.date(2022, 9, 1),
                         user=personas["city_admin"])
    assert v2.version == 2 and quota_check(quota_set=v2).adds_up
    approve("urban_new_jobs", "汉滨区", "2022Q2", value=2500)
    s = snap("urban_new_jobs", "汉滨区", "2022Q2")
    assert s.target_value == D(10000) and s.percent_achieved == D("25.00")  # the newest version counts
    assert target.quota_sets.count() == 2 and v1.quotas.first().value == D(9500)  # the old one is kept
    rate = Target.objects.get(plan__code="ankang-2022", code="registered_unemployment_rate")
    assert not quota_check(quota_set=quota_set_issue(target=rate, quotas={counties[0]: D(4)},
                                                     issued_on=dt.date(2022, 5, 1), user=None)).applies
    with pytest.raises(ValidationError):
        quota_set_issue(target=target, quotas={city(): D(1)}, issued_on=dt.date(2022, 5, 1), user=None)


def test_demo_dataset_gives_every_shared_main_target_county_quotas_that_add_up(settings, personas):
    from seeding.demo.figures import demo_values_seed
    from targets.models import Target
    from targets.selectors import quota_check

    settings.DEMO_MODE = True
    assert demo_values_seed(approver=personas["city_admin"]) > 5000
    assert demo_values_seed(approver=personas["city_admin"]) == 0  # once only
    for target in Target.objects.filter(plan__code="ankang-2022", category="main"):
        sets = list(target.quota_sets.all())
        if target.code == "surveyed_unemployment_rate":
            assert sets == []
            continue
        assert len(sets) == 1 and sets[0].quotas.count() == 10, target.code
        assert quota_check(quota_set=sets[0]).adds_up, target.code
    communities = Target.objects.get(plan__code="ankang-2022", code="full_employment_communities").quota_sets.get()
    assert communities.quotas.get(region__name="汉滨区").value > communities.quotas.get(region__name="镇坪县").value
    settings.DEMO_MODE = False
    with pytest.raises(RuntimeError):
        demo_values_seed(approver=None)


def test_yearly_allocations_set_the_pace_line():
    from targets.models import Target, YearlyAllocation

    target = Target.objects.get(plan__code="ankang-2022", code="urban_new_jobs")
    for year, value in [(2021, 15000), (2022, 20000), (2023, 20000), (2024, 22000), (2025, 23000)]:
        YearlyAllocation.objects.create(target=target, year=year, value=D(value))
    approve("urban_new_jobs", "汉滨区", "2022Q2", value=30000)
    s = snap("urban_new_jobs", city(), "2022Q2")
    # 2021's 15,000 + 2022's 20,000 × 181/365 of the year
    assert s.expected_to_date == (D(15000) + D(20000) * D(181) / D(365)).quantize(D("0.0001"))
    assert s.status == "green"  # 30,000 ≥ 24,917.81; the linear line (29,682) would say the same here
    assert snap("urban_new_jobs", "汉滨区", "2022Q2").expected_to_date is None  # no county quota, no county line


def test_derived_indicator_counts_come_from_a_registered_source(monkeypatch):
    """The engine's side of derived figures: whatever the owning app counts, per county and quarter."""
    from targets import rollup as engine
    from targets.derived import DerivedSource

    a, b = county("汉滨区").pk, county("石泉县").pk

    def certified(quarters):
        return {a: {(2023, 4): D(30), (2024, 4): D(55)}, b: {(2023, 4): D(10), (2024, 4): D(12)}}

    monkeypatch.setitem(engine.DERIVED_SOURCES, "municipal_fe_communities",
                        DerivedSource(counts=certified, records=list, note=str))
    run = rollup(indicator_codes=["municipal_fe_communities"], today=TODAY)
    assert run.status == "succeeded" and "skipped_without_source" not in run.scope
    c = snap("municipal_fe_communities", city(), "2024Q4")
    # a count at date, not a sum over time; every county is counted (one with none counts as 0)
    assert (c.value, c.units_reported, c.target_value) == (D(67), 10, D(1500))
    # 2024-12-31: 1,461 of 1,826 days → expected 1,200.16; 67 is far below → red
    assert c.expected_to_date == D("1200.1643") and c.status == "red"
    assert snap("municipal_fe_communities", city(), "2023Q4").value == D(40)
    with pytest.raises(ValidationError):
        record("municipal_fe_communities", county("汉滨区"), "2024Q4", value=D(99))


def test_a_run_left_running_by_a_lost_worker_is_closed_by_the_next_roll_up(settings):
    import datetime as _dt

    from django.utils import timezone as _tz

    from targets.models import RollupRun
    from targets.rollup import rollup as _rollup

    settings.BROKER_VISIBILITY_TIMEOUT = 3600
    lost = RollupRun.objects.create(trigger="lost", started_at=_tz.now() - _dt.timedelta(hours=2))
    recent = RollupRun.objects.create(trigger="recent", started_at=_tz.now() - _dt.timedelta(minutes=5))
    _rollup(indicator_codes=["urban_new_jobs"], trigger="next")
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.status == "failed" and "abandoned" in lost.error and lost.finished_at is not None
    assert recent.status == "running"  # may still be working
