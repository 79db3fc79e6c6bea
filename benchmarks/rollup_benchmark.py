#!/usr/bin/env python
"""Roll-up benchmark: the targets engine against hand-written SQL, at city and province scale.

Every indicator: the 18 entered ones as approved values, the 4 tier counts from certification
records on the synthetic villages.

    python3 dev.py test  # once, to create .venv
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench .venv/bin/python benchmarks/rollup_benchmark.py

Creates a throw-away test database (test_<name>), fills it with synthetic data and prints:
- the full recompute, cold (no snapshots yet) and warm (nothing changed: nothing is written);
- the equivalent hand-written SQL GROUP BY over the same table (sums per county and for the
  city, per indicator, component and quarter) and the ratio of the two;
- the incremental recompute after one approval;
- how each grows from city scale (10 counties, 139 towns, 1,924 villages) to province scale
  (ten times the units).
Figures are wall-clock medians of repeated runs on this machine; compare ratios, not seconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from communities.models import Certification, Tier  # noqa: E402
from communities.services import tiers_ensure  # noqa: E402
from divisions.models import Region  # noqa: E402
from kernel.quarters import Quarter  # noqa: E402
from seeding.plan import plan_load  # noqa: E402
from targets.models import Indicator, IndicatorValue, RollupRun, Snapshot  # noqa: E402
from targets.rollup import rollup  # noqa: E402
from targets.rollup_sql import FULL_RUN_WORK_MEM  # noqa: E402

QUARTERS = Quarter.between(Quarter(2021, 1).start, Quarter(2026, 4).end)
SCALES = {"city": 10, "province": 100}
TODAY = Quarter(2026, 4).end


def build(n_counties: int) -> int:
    """Regions (1 root, n counties, 13.9 towns and 192.4 villages per county) and values."""
    Certification.objects.all().delete()
    IndicatorValue.objects.all().delete()
    Snapshot.objects.all().delete()
    RollupRun.objects.all().delete()
    for level in ("village", "town", "county", "city"):  # children first: parents are protected
        Region.objects.filter(level=level)._raw_delete(connection.alias)
    root = Region.objects.create(code="610000000000", name="合成上级", short_name="合成上级", level="city",
                                 kind="prefecture_city")
    counties = Region.objects.bulk_create([
        Region(code=f"62{i:04d}000000", name=f"合成县{i}", short_name=f"合成县{i}", level="county", kind="county",
               parent=root) for i in range(n_counties)])
    Region.objects.filter(level="county").update(county_id=models_f("id"))
    n_towns, n_villages = 139 * n_counties // 10, 1924 * n_counties // 10
    towns = Region.objects.bulk_create([
        Region(code=f"{counties[i % n_counties].code[:6]}{i // n_counties + 1:03d}000", name=f"镇{i}",
               short_name=f"镇{i}", level="town", kind="town", parent=counties[i % n_counties],
               county=counties[i % n_counties]) for i in range(n_towns)])
    villages = Region.objects.bulk_create([
        Region(code=f"{towns[j % n_towns].code[:9]}{200 + j // n_towns:03d}", name=f"村{j}", short_name=f"村{j}",
               level="village", kind="village", parent=towns[j % n_towns], county_id=towns[j % n_towns].county_id)
        for j in range(n_villages)], batch_size=5000)
    # certifications for the four derived counts: 60 % municipal, then 3 %, 1 %, 0.2 % higher up
    tiers = list(Tier.objects.order_by("rank"))
    certs = []
    for k, v in enumerate(villages):
        for rank, share in enumerate((60, 3, 1, 0.2)):
            if k % 1000 < share * 10:
                certs.append(Certification(community=v, tier=tiers[rank], certificate_number=f"B-{rank}-{k}",
                                           certified_on=QUARTERS[(k + rank) % 20].start, issuer="bench"))
    Certification.objects.bulk_create(certs, batch_size=5000)
    now = timezone.now()
    rows = []
    for indicator in Indicator.objects.exclude(kind="derived").prefetch_related("components"):
        units = [root] if indicator.kind == "city_only" else counties
        comps = list(indicator.components.all())
        for region in units:
            for i, q in enumerate(QUARTERS):
                for c in comps:
                    value = Decimal(100 + (region.pk * 7 + i * 13) % 900)
                    if c.role == "denominator":
                        value *= 10
                    rows.append(IndicatorValue(indicator=indicator, component=c, region=region, year=q.year,
                                               quarter=q.number, value=value, status="approved", approved_at=now))
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def models_f(name):
    from django.db.models import F

    return F(name)


RAW_SQL = {
    "postgresql": """
        SELECT indicator_id, component_id, region_id, year, quarter, SUM(value), COUNT(*)
        FROM targets_indicatorvalue WHERE status = 'approved'
        GROUP BY GROUPING SETS ((indicator_id, component_id, region_id, year, quarter),
                                (indicator_id, component_id, year, quarter))""",
    "sqlite": """
        SELECT indicator_id, component_id, region_id, year, quarter, SUM(value), COUNT(*)
        FROM targets_indicatorvalue WHERE status = 'approved'
        GROUP BY indicator_id, component_id, region_id, year, quarter
        UNION ALL
        SELECT indicator_id, component_id, NULL, year, quarter, SUM(value), COUNT(*)
        FROM targets_indicatorvalue WHERE status = 'approved'
        GROUP BY indicator_id, component_id, year, quarter""",
}


def timed(fn, repeat: int, setup=None) -> float:
    samples = []
    for _ in range(repeat):
        if setup:
            setup()  # not timed
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def raw_sql() -> None:
    """The yardstick, with the memory the roll-up's full-run statement is given (FULL_RUN_WORK_MEM):
    at PostgreSQL's default 4 MB its hash aggregate spills to disk at province scale (9 batches),
    which made the yardstick ~25 % slower than the same work done in memory and the ratios look
    better than they are."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL work_mem = '{FULL_RUN_WORK_MEM}'")
        cursor.execute(RAW_SQL[connection.vendor])
        cursor.fetchall()


def measure(scale: str, n: int) -> dict:
    values = build(n)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does soon after a bulk load: plans need statistics
            cursor.execute("ANALYZE")
    def no_snapshots():
        Snapshot.objects.all()._raw_delete(connection.alias)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # as after a fresh load: no dead rows to skip
                cursor.execute("VACUUM ANALYZE targets_snapshot")

    cold = timed(lambda: rollup(today=TODAY, trigger="bench"), 2, setup=no_snapshots)
    warm = timed(lambda: rollup(today=TODAY, trigger="bench"), 3)
    # where a warm run's time goes: the one statement (PostgreSQL) against the rest (Python: the
    # arrays, the derived counts; the small queries around it)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        rollup(today=TODAY, trigger="bench")
        total = time.perf_counter() - start
    statement = sum(float(q["time"]) for q in queries.captured_queries if "WITH ind AS" in q["sql"])
    sql = timed(raw_sql, 3)
    county = Region.objects.filter(level="county").order_by("code")[n // 2]
    row = IndicatorValue.objects.filter(indicator__code="urban_new_jobs", region=county, year=2024, quarter=3).first()

    def one_approval():
        IndicatorValue.objects.filter(pk=row.pk).update(value=row.value + Decimal(int(time.time() * 1000) % 97 + 1))
        # what an approval's job asks for: its indicator, its county (and the city), from its quarter on
        rollup(indicator_codes=["urban_new_jobs"], county_ids=[county.pk], since=Quarter(2024, 3), today=TODAY,
               trigger="bench")

    incremental = timed(one_approval, 5)
    floor = write_floor() if connection.vendor == "postgresql" else float("nan")
    return {"scale": scale, "counties": n, "values": values,
            "indicators": Indicator.objects.count(), "certifications": Certification.objects.count(), "snapshots": Snapshot.objects.count(),
            "full_cold": cold, "full_warm": warm, "statement": statement, "warm_once": total, "floor": floor, "sql": sql, "incremental": incremental}


def write_floor() -> float:
    """What writing the province's snapshots costs by itself, whoever computes them: the stored
    snapshots copied aside, the table emptied, then one INSERT … SELECT of the copy and its commit
    (where PostgreSQL checks each row's five foreign keys)."""
    from django.db import transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE snapshot_copy AS SELECT * FROM targets_snapshot")
    Snapshot.objects.all()._raw_delete(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE targets_snapshot")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO targets_snapshot SELECT * FROM snapshot_copy")
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE snapshot_copy")
    return elapsed


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        plan_load()  # the indicators and the 2022 plan's targets
        tiers_ensure()
        results = [measure(scale, n) for scale, n in SCALES.items()]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"nproc {os.cpu_count()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"database: {connection.vendor}; quarters: {QUARTERS[0]}–{QUARTERS[-1]}; "
          f"indicators rolled up: {results[0]['indicators']} (4 derived from certification records: "
          f"{results[0]['certifications']:,} / {results[1]['certifications']:,} records)")
    header = f"{'scale':<9}{'counties':>9}{'values':>9}{'snapshots':>10}{'full cold':>11}{'full warm':>11}" \
             f"{'raw SQL':>10}{'warm/SQL':>10}{'cold/SQL':>10}{'incremental':>13}"
    print(header)
    for r in results:
        print(f"{r['scale']:<9}{r['counties']:>9}{r['values']:>9}{r['snapshots']:>10}{r['full_cold']:>10.3f}s"
              f"{r['full_warm']:>10.3f}s{r['sql'] * 1000:>8.1f}ms{r['full_warm'] / r['sql']:>9.1f}x"
              f"{r['full_cold'] / r['sql']:>9.1f}x{r['incremental'] * 1000:>11.1f}ms")
    for r in results:
        if connection.vendor == "postgresql":
            print(f"{r['scale']}: a warm run of {r['warm_once'] * 1000:.0f} ms spends {r['statement'] * 1000:.0f} ms in the "
                  f"roll-up statement ({r['statement'] / r['sql']:.1f}× the raw SQL), the rest in Python and the small "
                  "queries around it")
            print(f"{r['scale']}: write floor (INSERT … SELECT of the same {r['snapshots']:,} snapshots into the "
                  f"emptied table, and its commit) {r['floor'] * 1000:.0f} ms; full cold ÷ write floor "
                  f"{r['full_cold'] / r['floor']:.1f}×")
    city, province = results
    print(f"growth city → province (units ×10): full cold ×{province['full_cold'] / city['full_cold']:.1f}, "
          f"full warm ×{province['full_warm'] / city['full_warm']:.1f}, raw SQL ×{province['sql'] / city['sql']:.1f}, "
          f"incremental ×{province['incremental'] / city['incremental']:.1f}")
    print(f"goals: full ≤ 2× raw SQL: {'met' if province['full_warm'] <= 2 * province['sql'] else 'NOT met'}; "
          f"incremental ≤ 20 ms at province scale: {'met' if province['incremental'] <= 0.02 else 'NOT met'}; "
          f"growth no worse than linear: {'met' if province['full_cold'] / city['full_cold'] <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
