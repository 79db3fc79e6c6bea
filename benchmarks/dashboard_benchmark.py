#!/usr/bin/env python
"""Dashboard benchmark: server time and SQL queries of each leadership dashboard, at city scale
(10 counties, 139 towns, 1,924 villages) and at province scale (ten times the units), on the
synthetic data of benchmarks/rollup_benchmark.py (every indicator, 2021Q1–2026Q4, approved and
rolled up; certifications on the villages) plus a task report per task and quarter.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench .venv/bin/python benchmarks/dashboard_benchmark.py

Creates a throw-away test database. Each page is requested through Django's test client (the
whole stack: middleware, session, view, template) 9 times after one warm-up; the median is
printed. Goals: median under 100 ms at city scale; province within 1.5× of city.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.test")

import django  # noqa: E402

django.setup()  # before any model import (ruff's import sorting must not reorder this)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import role_grant  # noqa: E402
from benchmarks.rollup_benchmark import SCALES, TODAY, build  # noqa: E402  (sets Django up)
from communities.services import tiers_ensure  # noqa: E402
from divisions.models import Region  # noqa: E402
from reports.models import ReportingPeriod, TaskReport  # noqa: E402
from reports.services import periods_generate  # noqa: E402
from seeding.plan import plan_load  # noqa: E402
from targets.rollup import rollup  # noqa: E402
from tasks.models import Plan, Task  # noqa: E402

REPEAT = 9


def pages(county_code: str) -> dict[str, str]:
    return {
        "overview": "/dashboards/",
        "target (amount)": "/dashboards/targets/urban_new_jobs/",
        "target (rate)": "/dashboards/targets/registered_unemployment_rate/",
        "county": f"/dashboards/counties/{county_code}/",
        "task board": "/dashboards/tasks/",
        "certification": "/dashboards/certification/",
        "rankings": "/dashboards/rankings/?quarter=2025Q4",
    }


def measure(client: Client, url: str) -> tuple[float, int, float]:
    """Median wall time of a request, its number of queries, and the median time spent in SQL."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    queries = len(ctx)
    samples, sql = [], []
    for _ in range(REPEAT):
        spent = [0.0]

        def timed(execute, sql_text, params, many, context, spent=spent):
            start = time.perf_counter()
            try:
                return execute(sql_text, params, many, context)
            finally:
                spent[0] += time.perf_counter() - start

        with connection.execute_wrapper(timed):
            start = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - start)
        sql.append(spent[0])
    return statistics.median(samples), queries, statistics.median(sql)


def scale_run(n: int, client: Client) -> dict[str, tuple[float, int, float]]:
    build(n)
    rollup(today=TODAY, trigger="bench")
    plan = Plan.objects.get(code="ankang-2022")
    TaskReport.objects.all().delete()
    now = timezone.now()
    TaskReport.objects.bulk_create([TaskReport(task=t, period=p, state="approved", first_submitted_at=now)
                                    for t in Task.objects.filter(plan=plan, kind="task")
                                    for p in ReportingPeriod.objects.filter(year__lte=2026)])
    county = Region.objects.filter(level="county").order_by("code")[n // 2]
    return {name: measure(client, url) for name, url in pages(county.code).items()}


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        plan_load()
        tiers_ensure()
        periods_generate(start=datetime.date(2021, 1, 1), end=datetime.date(2027, 12, 31))
        leader = User.objects.create_user(username="bench_leader", password="x-Bench-123456", full_name="bench")
        role_grant(user=leader, role=Role.LEADER, granted_by=None)
        client = Client()
        client.force_login(leader)
        results = {scale: scale_run(n, client) for scale, n in SCALES.items()}
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    city, province = results["city"], results["province"]
    print(f"database: {connection.vendor}; {REPEAT} requests per page, median; leader's view")
    print(f"{'page':<18}{'city':>10}{'SQL':>8}{'queries':>9}{'province':>11}{'SQL':>8}{'queries':>9}{'prov/city':>11}")
    for name in city:
        (ct, cq, cs), (pt, pq, ps) = city[name], province[name]
        print(f"{name:<18}{ct * 1000:>8.1f}ms{cs * 1000:>6.1f}ms{cq:>9}{pt * 1000:>9.1f}ms{ps * 1000:>6.1f}ms{pq:>9}"
              f"{pt / ct:>10.2f}x")
    worst = max(province[n][0] / city[n][0] for n in city)
    slowest = max(t for t, _q, _s in city.values())
    print(f"goals: median under 100 ms at city scale: {'met' if slowest < 0.1 else 'NOT met'} (slowest "
          f"{slowest * 1000:.1f} ms); province within 1.5x of city: {'met' if worst <= 1.5 else 'NOT met'} "
          f"(worst {worst:.2f}x)")


if __name__ == "__main__":
    main()
