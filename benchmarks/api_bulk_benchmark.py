#!/usr/bin/env python
"""Bulk push benchmark: 10,000 figures in one API request, against a raw COPY of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench .venv/bin/python benchmarks/api_bulk_benchmark.py

A county's real quarter is about 30 figures; to size the bulk path the benchmark adds 10,000
synthetic county-reported indicators to a throw-away database and pushes one figure of each, as
a county system would push a quarter, through the whole stack (key check, JSON parsing,
validation, the return's version and lock, bulk writes with history and audit events). Prints
wall time and the process's peak resident memory after the request, the time of a COPY of the same 10,000 rows into a
table shaped like the values table, and their ratio.

Before the timed pushes one GET warms the process up (Django imports the URLconf, the API views
and the translations on the first request, ~0.2 s a gunicorn worker pays once, not per push).
Each push's time is also split by phase, measured by timers wrapped around the functions that do
the work (see PHASES); "rest" is the request's time outside them (authentication, JSON parsing,
the lock and version checks, rendering the response).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import resource
import statistics
import sys
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

N = 10_000
PERIOD = "2024Q3"
DAY = datetime.date(2024, 10, 15)


def setup() -> tuple[str, str]:
    from accounts.models import User
    from accounts.services import role_grant
    from api.services import api_client_create
    from divisions.models import Region
    from divisions.services import divisions_load
    from reports.services import periods_generate
    from seeding.plan import plan_load
    from targets.models import Indicator, IndicatorComponent

    divisions_load()
    plan_load()
    periods_generate(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))
    indicators = Indicator.objects.bulk_create([
        Indicator(code=f"bench_{i:05d}", name=f"基准指标{i}", unit="人", kind="flow", direction="at_least",
                  reported_by="county", order=1000 + i) for i in range(N)])
    IndicatorComponent.objects.bulk_create([
        IndicatorComponent(indicator=ind, code="value", name="数值", role="value", unit="人") for ind in indicators])
    admin = User.objects.create_user("bench_admin")
    role_grant(user=admin, role="city_admin", granted_by=None)
    county = Region.objects.get(code="610902000000")
    _, key = api_client_create(name="bench", region=county, access="read_write",
                               expires_at=timezone.now() + datetime.timedelta(days=1), created_by=admin)
    return key, county.code


# phase label → (object, attribute): the functions on the push's path that do the work
def _phases():
    import api.serializers
    import api.views
    import kernel.pgcopy
    import targets.services

    return {
        "validate": (api.serializers, "bulk_values_validate"),
        "check": (api.views, "return_values_check"),  # the rules, before any write
        "save": (api.views, "county_return_save"),  # lock, rules again, read, write, audit
        "save: write": (targets.services, "_values_write_copy"),  # values and history rows
        "save: audit": (targets.services, "_values_audit"),
        "COPY": (kernel.pgcopy, "copy_rows"),  # inside write and audit: formatting and sending
    }


def timed_phases(times: dict[str, float]) -> ExitStack:
    """Wrap each phase's function with a timer adding to ``times`` (outermost call only)."""
    stack = ExitStack()
    for label, (owner, name) in _phases().items():
        original = getattr(owner, name)
        depth = [0]

        def wrapper(*args, __original=original, __label=label, __depth=depth, **kwargs):
            __depth[0] += 1
            start = time.perf_counter()
            try:
                return __original(*args, **kwargs)
            finally:
                __depth[0] -= 1
                if not __depth[0]:
                    times[__label] += time.perf_counter() - start

        stack.enter_context(mock.patch.object(owner, name, wrapper))
    return stack


def push_body(region: str, offset: int) -> bytes:
    return json.dumps({"values": [{"indicator": f"bench_{i:05d}", "region": region, "component": "value",
                                   "value": str(100 + i + offset)} for i in range(N)]}).encode()


def copy_rows(region_id: int) -> float:
    """COPY the same number of rows into a temporary table shaped like the values table."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_copy (LIKE targets_indicatorvalue INCLUDING DEFAULTS)")
        cursor.execute("SELECT id FROM targets_indicatorcomponent ORDER BY id LIMIT %s", [N])
        components = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT id, indicator_id FROM targets_indicatorcomponent WHERE id = ANY(%s)", [components])
        pairs = cursor.fetchall()
        buffer = io.StringIO()
        for i, (component_id, indicator_id) in enumerate(pairs):
            buffer.write(f"{i + 1}\t{indicator_id}\t{component_id}\t{region_id}\t2024\t3\t{100 + i}\tdraft\tform\t"
                         f"return:0\t\\N\t\\N\t\\N\t\\N\t1\n")
        buffer.seek(0)
        columns = ("id, indicator_id, component_id, region_id, year, quarter, value, status, source, source_ref, "
                   "submitted_by_id, submitted_at, approved_by_id, approved_at, version")
        start = time.perf_counter()
        cursor.copy_expert(f"COPY bench_copy ({columns}) FROM STDIN", buffer)
        elapsed = time.perf_counter() - start
        cursor.execute("SELECT count(*) FROM bench_copy")
        assert cursor.fetchone()[0] == N
        cursor.execute("DROP TABLE bench_copy")
    return elapsed


def floor_copy(region_id: int) -> dict[str, float]:
    """The database's floor for what a create push must write: the push's own 10,000 values,
    their history rows and audit events, read back as COPY text and COPYed again (as a quarter
    4 that does not exist yet) into the real tables with their indexes and constraints, the
    deferred foreign keys checked; then rolled back."""
    from django.db import transaction

    from audit.models import AuditEvent
    from targets.models import IndicatorValue

    values, history = IndicatorValue._meta.db_table, IndicatorValue.history.model._meta.db_table
    value_cols = [f.column for f in IndicatorValue._meta.concrete_fields if f.column != "id"]
    history_cols = [f.column for f in IndicatorValue.history.model._meta.concrete_fields if f.column != "history_id"]
    audit_cols = [f.column for f in AuditEvent._meta.concrete_fields if f.column != "id"]

    def select(columns, table, where):
        picked = ", ".join("4" if c == "quarter" else ("id + 100000000" if c == "id" else c) for c in columns)
        return f"SELECT {picked} FROM {table} WHERE {where}"

    sources = [
        (values, value_cols, select(value_cols, values, f"region_id = {region_id} AND year = 2024 AND quarter = 3")),
        (history, history_cols, select(history_cols, history, f"region_id = {region_id} AND history_type = '+'")),
        (AuditEvent._meta.db_table, audit_cols, select(audit_cols, AuditEvent._meta.db_table,
                                                       "model = 'targets.indicatorvalue' AND action = 'created'")),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        buffers = []
        for table, columns, query in sources:
            buffer = io.StringIO()
            cursor.copy_expert(f"COPY ({query}) TO STDOUT", buffer)
            buffer.seek(0)
            buffers.append((table, columns, buffer))
        assert all(len(b.getvalue().splitlines()) == N for _, _, b in buffers)
        elapsed = {}
        for (table, columns, buffer), label in zip(buffers, ("values", "history", "audit"), strict=True):
            start = time.perf_counter()
            cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
            elapsed[label] = time.perf_counter() - start
        start = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys a commit would check
        elapsed["foreign keys"] = time.perf_counter() - start
        elapsed["total"] = sum(elapsed.values())
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("run on PostgreSQL: DATABASE_URL=postgres://...")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        key, region = setup()
        client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
        results, phases = [], []
        assert client.get("/api/v1/periods/").status_code == 200  # warm-up: see the docstring
        with mock.patch("django.utils.timezone.localdate", return_value=DAY):
            for run, label in enumerate(["create 10,000", "update 10,000", "unchanged 10,000"]):
                body = push_body(region, offset=min(run, 1))  # the third push repeats the second
                times: dict[str, float] = defaultdict(float)
                with timed_phases(times):
                    start, cpu = time.perf_counter(), time.process_time()
                    response = client.post(f"/api/v1/returns/{PERIOD}/values/", body,
                                           content_type="application/json")
                    elapsed = time.perf_counter() - start
                    times["CPU (this process)"] = time.process_time() - cpu
                phases.append((label, elapsed, times))
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # the process's peak so far
                summary = response.json()
                assert response.status_code == 200, summary.get("detail")
                results.append((label, elapsed, peak, summary["created"], summary["updated"], summary["unchanged"]))
        from divisions.models import Region

        region_id = Region.objects.get(code=region).pk
        copy = statistics.median(copy_rows(region_id) for _ in range(3))
        floors = [floor_copy(region_id) for _ in range(3)]
        floor_parts = {k: statistics.median(f[k] for f in floors) for k in floors[0]}
        floor = floor_parts["total"]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"database: PostgreSQL; one request of {N:,} figures; body {len(push_body(region, 0)) / 1048576:.2f} MB")
    print(f"{'push':<18}{'time':>9}{'peak RSS MB':>12}{'created':>9}{'updated':>9}{'unchanged':>10}{'÷ COPY':>9}")
    for label, elapsed, peak, created, updated, unchanged in results:
        print(f"{label:<18}{elapsed:>8.2f}s{peak / 1048576:>12.1f}{created:>9}{updated:>9}{unchanged:>10}"
              f"{elapsed / copy:>8.0f}×")
    print(f"raw COPY of the same {N:,} rows: {copy * 1000:.1f} ms")
    print(f"floor: COPY of a create push's own rows (values, history, audit events) into the real tables with "
          f"their indexes and foreign keys: {floor * 1000:.0f} ms ({floor / copy:.0f}× the raw COPY): "
          + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in floor_parts.items() if k != "total"))
    labels = [*_phases(), "CPU (this process)"]
    print("by phase, ms (validate + check + save + rest = the push; write and audit are parts of save, COPY of "
          "them; CPU: this process's CPU time, the rest is PostgreSQL's and waiting)")
    print(f"{'push':<18}" + "".join(f"{x.replace(' (this process)', ''):>13}" for x in [*labels, "rest"]))
    for label, elapsed, times in phases:
        rest = elapsed - times["validate"] - times["check"] - times["save"]
        print(f"{label:<18}" + "".join(f"{times[x] * 1000:>13.0f}" for x in labels) + f"{rest * 1000:>13.0f}")
    load = os.getloadavg()
    print(f"load average during the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    create = results[0][1]
    print(f"goals: under 2 s: {'met' if create < 2 else 'NOT met'} ({create:.2f} s); within 10× of COPY: "
          f"{'met' if create < 10 * copy else 'NOT met'} ({create / copy:.0f}×)")


if __name__ == "__main__":
    main()
