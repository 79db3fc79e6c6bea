"""The set-based roll-up (PostgreSQL, targets/rollup_sql.py) writes exactly what the row by row
engine writes, field by field, on varied data: every entered indicator, every county, gaps,
zeros, two plans whose periods overlap, quotas and yearly allocations; and an incremental run
from the changed quarter onward ends where a full run does. Skipped on the embedded default
(SQLite has only the row by row engine); failing in CI if PostgreSQL is missing."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from divisions.models import Region
from kernel.quarters import Quarter
from targets import rollup_sql
from targets.models import Indicator, IndicatorValue, Quota, QuotaSet, Snapshot, Target, YearlyAllocation
from targets.rollup import SNAPSHOT_FIELDS, rollup
from tests.platform.test_services import need_service
from tests.targets_helpers import successor

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def _state():
    return {(s.plan_id, s.indicator_id, s.region_id, s.year, s.quarter): tuple(getattr(s, f) for f in SNAPSHOT_FIELDS)
            for s in Snapshot.objects.all()}


def _row_by_row(monkeypatch):
    monkeypatch.setattr(rollup_sql, "handles", lambda indicator, targets: False)


def _fill(seed: int) -> None:
    rng = random.Random(seed)
    successor(start=datetime.date(2025, 7, 1))
    counties = list(Region.objects.filter(level="county"))
    city = Region.objects.get(level="city")
    now = timezone.now()
    rows = []
    quarters = Quarter(2020, 4).through(Quarter(2027, 1))
    for indicator in Indicator.objects.exclude(kind="derived").prefetch_related("components"):
        units = [city] if indicator.kind == "city_only" else counties
        components = list(indicator.components.all())
        for region in units:
            for q in quarters:
                if rng.random() < 0.25:
                    continue  # a gap: not reported (or not approved) that quarter
                for c in components:
                    if rng.random() < 0.05:
                        continue  # one part of a ratio missing
                    value = D(rng.choice([0, 0, 1, 7, 250, 999, 12345])) + D(rng.randint(0, 9999)) / 100
                    if c.role == "denominator":
                        value = D(rng.choice([0, 100, 12345]))
                    rows.append(IndicatorValue(indicator=indicator, component=c, region=region, year=q.year,
                                               quarter=q.number, value=value, status="approved",
                                               approved_at=now - datetime.timedelta(minutes=rng.randint(0, 9999))))
    IndicatorValue.objects.bulk_create(rows)
    target = Target.objects.get(plan__code="ankang-2022", indicator__code="urban_new_jobs")
    qs = QuotaSet.objects.create(target=target, version=1, issued_on=datetime.date(2022, 3, 1))
    Quota.objects.bulk_create([Quota(quota_set=qs, region=c, value=D(9000 + 7 * i)) for i, c in enumerate(counties)])
    for year, value in ((2022, 20000), (2023, 22000), (2024, 25000)):
        YearlyAllocation.objects.create(target=target, year=year, value=D(value))
        YearlyAllocation.objects.create(target=target, region=counties[0], year=year, value=D(value) / 10)


@pytest.mark.parametrize("seed", [1, 2])
def test_set_based_rollup_writes_what_the_row_by_row_engine_writes(seed, monkeypatch):
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    _fill(seed)
    run = rollup(today=TODAY)
    by_sql = _state()
    assert run.created == len(by_sql) > 1000
    assert rollup(today=TODAY).unchanged == len(by_sql)  # twice = once: nothing written
    Snapshot.objects.all().delete()
    with monkeypatch.context() as m:
        _row_by_row(m)
        rollup(today=TODAY)
    by_python = _state()
    assert set(by_sql) == set(by_python)
    statuses = set()
    for key, values in by_python.items():
        assert by_sql[key] == values, (key, [(f, a, b) for f, a, b in zip(SNAPSHOT_FIELDS, by_sql[key], values,
                                                                          strict=True) if a != b])
        statuses.add(values[SNAPSHOT_FIELDS.index("status")])
    assert statuses == {"green", "amber", "red", "none"}  # every branch of the rules was taken


def test_an_incremental_run_from_the_changed_quarter_ends_where_a_full_run_does():
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    _fill(3)
    rollup(today=TODAY)
    county = Region.objects.filter(level="county").order_by("code")[3]
    for code, nth in (("urban_new_jobs", 9), ("registered_unemployment_rate", 14), ("zero_employment_households", 3)):
        row = IndicatorValue.objects.filter(indicator__code=code, region=county).order_by("year", "quarter")[nth]
        quarter = Quarter(row.year, row.quarter)
        IndicatorValue.objects.filter(pk=row.pk).update(value=row.value + D(4242))
        run = rollup(indicator_codes=[code], county_ids=[county.pk], since=quarter, today=TODAY)
        assert run.created == 0 and run.updated > 0
        earlier = Snapshot.objects.filter(indicator__code=code, run=run, year__lt=quarter.year)
        assert not earlier.exists()  # only the changed quarter and the ones after it were rewritten
    incremental = _state()
    assert rollup(today=TODAY).updated == 0  # a full run finds nothing left to change
    assert _state() == incremental


def test_arrays_sent_as_text_arrive_as_sent():
    """The statement's arrays go as PostgreSQL's array text: every type, NULLs, quotes, backslashes
    and Chinese come back from the database as they were."""
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    cases = [
        ([1, None, -3], "int"),
        ([D("1.50"), None, D("1E+2"), D("-0.0001")], "numeric"),
        ([datetime.date(2021, 3, 31), None], "date"),
        ([True, False, None], "bool"),
        (['引"号', "反\\斜杠", "逗,号{}", "NULL", "", None], "text"),
    ]
    with connection.cursor() as cursor:
        for values, kind in cases:
            cursor.execute(f"SELECT %s::{kind}[]", [rollup_sql.array_literal(values, kind)])
            assert cursor.fetchone()[0] == values, kind


def test_a_target_each_county_must_meet_is_counted_as_the_row_by_row_engine_counts_it(personas, monkeypatch):
    """Labour brands (1–2 per county, task 11): each county against its target and the city's row
    counting the counties that meet it — value, target, total, percentage, status and its reason
    — the same from the set-based statement as from the row by row engine; also after an
    incremental run for one county (every county is read and written again: the city's count needs
    them all)."""
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    from brands.services import labour_brand_save

    successor(start=datetime.date(2025, 7, 1))
    counties = list(Region.objects.filter(level="county").order_by("code"))
    for i, c in enumerate(counties[:9]):  # 0, 1 or 2 brands a county, recognised in different years
        for k in range(i % 3):
            labour_brand_save(name=f"品牌{i}-{k}", work_type="家政", county=c, year_recognised=2021 + (i + k) % 5,
                              workers_employed=10, user=personas["city_admin"])
    rollup(indicator_codes=["labour_brands"], today=TODAY)
    by_sql = _state()
    city_rows = [v for k, v in by_sql.items() if k[2] == Region.objects.get(level="city").pk]
    assert {v[SNAPSHOT_FIELDS.index("status")] for v in city_rows} >= {"red", "amber"}
    Snapshot.objects.all().delete()
    with monkeypatch.context() as m:
        _row_by_row(m)
        rollup(indicator_codes=["labour_brands"], today=TODAY)
    assert _state() == by_sql
    labour_brand_save(name="新品牌", work_type="建筑", county=counties[9], year_recognised=2024, workers_employed=5,
                      user=personas["city_admin"])
    rollup(indicator_codes=["labour_brands"], county_ids=[counties[9].pk], since=Quarter(2024, 1), today=TODAY)
    incremental = _state()
    Snapshot.objects.all().delete()
    with monkeypatch.context() as m:
        _row_by_row(m)
        rollup(indicator_codes=["labour_brands"], today=TODAY)
    assert _state() == incremental != by_sql


def test_an_approvals_run_reads_each_indicators_newest_quarter_by_the_index_and_locks_as_it_reads():
    """An approval's run is a handful of statements around the one roll-up statement: the run's
    indicators read and locked in one statement, each indicator's newest approved quarter looked up
    (not every approved value grouped: ~50 ms at province scale), the allocations without the
    model's three-table ordering."""
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    _fill(4)
    rollup(today=TODAY)
    county = Region.objects.filter(level="county").order_by("code")[2]
    row = IndicatorValue.objects.filter(indicator__code="urban_new_jobs", region=county, year=2024, quarter=3).get()
    IndicatorValue.objects.filter(pk=row.pk).update(value=row.value + D(17))
    with CaptureQueriesContext(connection) as captured:
        run = rollup(indicator_codes=["urban_new_jobs"], county_ids=[county.pk], since=Quarter(2024, 3), today=TODAY)
    assert run.updated > 0
    statements = [q["sql"] for q in captured.captured_queries]
    ours = [s for s in statements if "targets_rollup_" not in s]  # all but the roll-up statement
    on_indicators = [s for s in ours if s.startswith('SELECT "targets_indicator"."id", ')]
    assert len(on_indicators) == 1 and on_indicators[0].endswith("FOR UPDATE")  # read and locked at once
    newest = [s for s in ours if '"targets_indicatorvalue"' in s]
    assert len(newest) == 1 and "LIMIT 1" in newest[0] and "GROUP BY" not in newest[0]
    allocations = next(s for s in ours if 'FROM "targets_yearlyallocation"' in s)
    assert "JOIN" not in allocations and "ORDER BY" not in allocations
    assert sum(s.startswith("SELECT") for s in statements) == 8  # regions, plans, indicators, targets, quota
    # sets, quotas, allocations, newest quarters: as many at province scale as here
