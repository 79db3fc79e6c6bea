#!/usr/bin/env python
"""Dashboard benchmark: server time and SQL queries of each leadership dashboard, at city scale
(10 counties, 139 towns, 1,924 villages) and at province scale (ten times the units), on the
synthetic data of benchmarks/rollup_benchmark.py (every indicator, 2021Q1–2026Q4, approved and
rolled up; certifications on the villages) plus a task report per task and quarter.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench .venv/bin/python benchmarks/dashboard_benchmark.py

Creates a throw-away test database. Each page is requested through Django's test client (the
whole stack: middleware, session, view, template) after one warm-up; medians are
printed. Each page is measured cold (the first request after a roll-up, which computes and fills
the cache) and warm (served from the cache): REPEAT cold requests, WARM_AFTER_EACH warm ones
after each. Goals (issue 19): warm median ≤ 10 ms at both scales with province ≤ 1.2× city; cold
≤ 100 ms at city scale. Set REDIS_URL to measure with the Redis cache the platform runs with
(without it: Django's in-process cache).
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

from django.conf import settings  # noqa: E402
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
from targets.generation import generation_bump  # noqa: E402
from targets.rollup import rollup  # noqa: E402
from tasks.models import Plan, Task  # noqa: E402

REPEAT = 3  # cold requests; the whole of run_all.py's roll-up and dashboards within ~10 minutes
WARM_AFTER_EACH = 5  # warm requests after each cold one: a warm page is a few milliseconds, and on a shared
# machine a median of three such requests is mostly noise (one preempted request moves it by half)


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


def _timed_get(client: Client, url: str) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        assert client.get(url).status_code == 200, url
        return time.perf_counter() - start, len(ctx)


def measure(client: Client, url: str) -> dict[str, float]:
    """Cold: the first request after a roll-up (the generation changed: the page computes and
    fills the cache); warm: the requests after it (read from the cache). Medians of REPEAT cold and
    REPEAT × WARM_AFTER_EACH warm requests."""
    _timed_get(client, url)  # the code paths loaded once
    cold, warm = [], []
    for _ in range(REPEAT):
        generation_bump()  # what every roll-up does
        cold.append(_timed_get(client, url))
        warm.extend(_timed_get(client, url) for _ in range(WARM_AFTER_EACH))
    return {"cold": statistics.median(t for t, _q in cold), "cold_q": cold[-1][1],
            "warm": statistics.median(t for t, _q in warm), "warm_q": warm[-1][1]}


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
    print(f"database: {connection.vendor}; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
          f"{REPEAT} cold (first after a roll-up) and {REPEAT * WARM_AFTER_EACH} warm (cached) requests per page, "
          f"medians; "
          f"leader's view")
    print(f"{'page':<18}{'warm city':>10}{'warm prov':>10}{'prov/city':>10}{'cold city':>10}{'cold prov':>10}"
          f"{'queries cold/warm':>19}")
    for name in city:
        c, p = city[name], province[name]
        print(f"{name:<18}{c['warm'] * 1000:>8.1f}ms{p['warm'] * 1000:>8.1f}ms{p['warm'] / c['warm']:>9.2f}x"
              f"{c['cold'] * 1000:>8.1f}ms{p['cold'] * 1000:>8.1f}ms{c['cold_q']:>14}/{c['warm_q']}")
    worst = max(province[n]["warm"] / city[n]["warm"] for n in city)
    slowest_warm = max(max(city[n]["warm"], province[n]["warm"]) for n in city)
    slowest_cold = max(city[n]["cold"] for n in city)
    print(f"goals: warm median ≤ 10 ms at both scales: {'met' if slowest_warm <= 0.01 else 'NOT met'} (slowest "
          f"{slowest_warm * 1000:.1f} ms); warm province/city ≤ 1.2×: {'met' if worst <= 1.2 else 'NOT met'} "
          f"(worst {worst:.2f}×); cold ≤ 100 ms at city scale: {'met' if slowest_cold <= 0.1 else 'NOT met'} "
          f"(slowest {slowest_cold * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
