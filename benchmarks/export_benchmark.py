"""Export benchmark: the whole registry (1,924 villages and communities) as CSV
(streamed) and as a workbook, through the page's view, with the time, the queries and the peak
Python memory of each; and the quarterly report pack's build. Prints figures; asserts nothing.

    DJANGO_SETTINGS_MODULE=ankang_jobs.settings.test .venv/bin/python benchmarks/export_benchmark.py

Runs against a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def measure(label: str, fn) -> None:
    """Time without tracing (tracemalloc slows Python down several times), then peak memory with it."""
    connection.queries_log.clear()  # a full log (maxlen 9,000, after the loads) would count nothing
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        size = fn()
        elapsed = time.perf_counter() - start
    queries = len(ctx)  # now: the list is sliced from the connection's log, which the next request resets
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} {elapsed * 1000:8.0f} ms  {queries:4d} queries  peak {peak / 2**20:6.1f} MB  {size / 1024:8.0f} KB")


def main() -> None:
    import datetime
    import tempfile

    from django.conf import settings
    from django.test import Client
    from django.test.utils import get_runner

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0)
    old = runner.setup_databases()
    try:
        from accounts.models import User
        from accounts.roles import Role
        from accounts.services import role_grant
        from communities.services import tiers_ensure
        from divisions.models import Region
        from divisions.services import divisions_load
        from kernel.quarters import Quarter
        from packs.models import ReportPack
        from packs.services import report_pack_build
        from reports.services import periods_generate
        from seeding.plan import plan_load
        from tasks.models import Plan
        from tasks.services import government_units_ensure

        divisions_load()
        plan_load()
        government_units_ensure()
        tiers_ensure()
        periods_generate(start=datetime.date(2021, 1, 1), end=datetime.date(2027, 12, 31))
        user = User.objects.create_user(username="bench", password="x-Bench-12345",
                                        region=Region.objects.get(level="county", name="汉滨区"))
        role_grant(user=user, role=Role.COUNTY_OFFICER, granted_by=None)
        admin = User.objects.create_user(username="bench_admin", password="x-Bench-12345")
        role_grant(user=admin, role=Role.CITY_ADMIN, granted_by=None)
        client = Client()
        client.force_login(user)
        print(f"registry rows: {Region.objects.filter(level='village').count()}  database: {connection.vendor}")

        def get(url):
            response = client.get(url)
            assert response.status_code == 200, url
            body = b"".join(response.streaming_content) if response.streaming else response.content
            return len(body)

        for _ in range(2):  # the first run warms caches and imports
            measure("registry → CSV (streamed)", lambda: get("/communities/?export=registry&format=csv"))
            measure("registry → XLSX (write-only)", lambda: get("/communities/?export=registry&format=xlsx"))
        settings.MEDIA_ROOT = tempfile.mkdtemp()
        plan = Plan.objects.get(code="ankang-2022")
        q = Quarter(2024, 1)

        def build():
            pack = ReportPack.objects.create(plan=plan, year=q.year, quarter=q.number,
                                             version=ReportPack.objects.count() + 1, requested_by=admin)
            report_pack_build(pack_id=pack.pk)
            pack.refresh_from_db()
            assert pack.state == "done", pack.error
            return pack.file.size

        measure("report pack 2024Q1 (no figures)", build)
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
