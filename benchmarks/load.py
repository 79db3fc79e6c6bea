#!/usr/bin/env python
"""Load test: gunicorn on PostgreSQL, 50 concurrent clients for 60 s on the leadership dashboards
and the bulk API; then one cell written by 20 clients at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench .venv/bin/python benchmarks/load.py \\
        [--clients 50] [--seconds 60] [--workers N] [--threads N]

Creates a throw-away test database (test_<name>) with the city-scale synthetic data of
benchmarks/rollup_benchmark.py (10 counties, every indicator 2021Q1–2026Q4 approved and rolled
up), a leader, and an API key per county; starts gunicorn on a free loopback port as the
Dockerfile does (gunicorn.conf.py: gthread, cores + 1 processes × 4 threads unless told;
ankang_jobs.settings.test with CONN_MAX_AGE=60; with REDIS_URL set, the dashboards' cache is that
Redis, shared by the processes; the API rate limit raised so that it does not count as an
error); and drives it with aiohttp from one asyncio loop in this process (aiohttp's client costs
~0.8 ms of CPU per request where httpx's cost 14–17 ms on the same machine in paired runs — the
client shares the cores with the server it measures). With ``--split`` a second gunicorn serves
``/api/`` and the county systems go there, as a reverse proxy routing /api/ to its own pool would
(docs/performance.md, top section):

- half the clients are the leader cycling through the seven dashboards (as a session cookie);
- half are county systems pushing a quarter's figures (every county-reported indicator, about 30
  values) to ``POST /api/v1/returns/{period}/values/``, each client on its own county and
  quarter so that pushes do not conflict, alternating two sets of figures so that every push
  writes.

Prints, per kind and overall: requests, throughput, p50/p95/p99 latency and errors (any answer
but 2xx, or no answer). Then the one-cell check: 20 clients push a different figure to the same
cell of the same return with the same version at once; exactly one must get 200 and the other
19 409 (the version check; the script exits non-zero otherwise). Only loopback addresses are
contacted; every loop stops at its deadline. The client shares the machine with the server:
on 2 cores the figures are a floor, not a capacity plan.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.test")

import logging  # noqa: E402

import aiohttp  # noqa: E402
import httpx  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request is noise here

PERIODS = ["2026Q1", "2026Q2", "2026Q3"]
SAMPLE = ROOT / "imports" / "samples" / "county_return_2026Q4.csv"


def percentile(samples: list[float], p: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def figures(region_code: str, bump: int) -> list[dict]:
    with open(SAMPLE, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]
    return [{"indicator": r[0], "component": r[2], "region": region_code, "value": str(int(r[5]) + bump)}
            for r in rows]


def setup(n_keys: int) -> tuple[str, list[tuple[str, str]], str]:
    """The data, a leader's session and the counties' keys; returns (session id, [(key, county)], db url)."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import role_grant
    from api.services import api_client_create
    from benchmarks.rollup_benchmark import TODAY, build
    from communities.services import tiers_ensure
    from divisions.models import Region
    from reports.models import ReportingPeriod
    from reports.services import periods_generate
    from seeding.plan import plan_load
    from targets.models import IndicatorValue
    from targets.rollup import rollup

    if connection.vendor != "postgresql":
        raise SystemExit("run on PostgreSQL: DATABASE_URL=postgres://...")
    setup_test_environment()
    setup.old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    plan_load()
    tiers_ensure()
    periods_generate(start=datetime.date(2021, 1, 1), end=datetime.date(2027, 12, 31))
    build(10)
    # the quarters the county systems push are not yet approved (the synthetic data approves all)
    IndicatorValue.objects.filter(year=2026, quarter__lte=3).delete()
    rollup(today=TODAY, trigger="bench")
    # entry reopened for the load run: the pushes land in 2026's first three quarters
    ReportingPeriod.objects.filter(year=2026, quarter__lte=3).update(locks_after=datetime.date(2099, 12, 31))
    leader = User.objects.create_user(username="load_leader", password="x-Load-1234567", full_name="load")
    role_grant(user=leader, role=Role.LEADER, granted_by=None)
    admin = User.objects.create_user(username="load_admin", password="x-Load-1234567", full_name="load")
    role_grant(user=admin, role=Role.CITY_ADMIN, granted_by=None)
    client = Client()
    client.force_login(leader)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    keys = []
    for county in Region.objects.filter(level="county").order_by("code")[:n_keys]:
        _, key = api_client_create(name=f"压测{county.code}", region=county, access="read_write",
                                   expires_at=timezone.now() + datetime.timedelta(days=1), created_by=admin)
        keys.append((key, county.code))
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return session, keys, url


def teardown() -> None:
    from django.db import connection

    connection.creation.destroy_test_db(setup.old_name, verbosity=0)


def start_gunicorn(db_url: str, workers: int | None, threads: int | None,
                   nice: int = 0) -> tuple[subprocess.Popen, str, Path]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = Path(tempfile.mkstemp(prefix="load-gunicorn-", suffix=".log")[1])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.test", "DATABASE_URL": db_url,
           "CONN_MAX_AGE": "60", "API_RATE_LIMIT": "1000000/min", "LOG_LEVEL": "WARNING"}
    counts = (["--workers", str(workers)] if workers else []) + (["--threads", str(threads)] if threads else [])
    niced = ["nice", "-n", str(nice)] if nice else []
    process = subprocess.Popen([*niced, sys.executable, "-m", "gunicorn", "ankang_jobs.wsgi", "--bind", f"127.0.0.1:{port}",
                                *counts, "--timeout", "120", "--backlog", "512"], cwd=ROOT, env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited:\n" + log.read_text()[-3000:])
        try:
            httpx.get(base + "/healthz", timeout=2)
            return process, base, log
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer within 60 s") from None
            time.sleep(0.3)


async def run_load(base: str, session: str, keys: list[tuple[str, str]], clients: int, seconds: float,
                   dashboard_pages: list[str], api_base: str | None = None) -> dict[str, list[tuple[float, int]]]:
    """The load itself, from one aiohttp session of ``clients`` keep-alive connections (the client's
    CPU per request is printed after the run as "client"). ``api_base``: where ``/api/`` goes when
    the API has its own pool (``--split``), as a reverse proxy would route it."""
    results: dict[str, list[tuple[float, int]]] = defaultdict(list)
    connector = aiohttp.TCPConnector(limit=clients, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                     cookie_jar=aiohttp.DummyCookieJar()) as http:
        deadline = time.monotonic() + seconds

        async def leader(i: int) -> None:
            headers = {"Cookie": f"sessionid={session}"}
            n = i
            while time.monotonic() < deadline:
                n += 1
                await one("dashboards", "GET", base + dashboard_pages[n % len(dashboard_pages)], headers, None)

        async def county_system(i: int) -> None:
            key, code = keys[i % len(keys)]
            period = PERIODS[(i // len(keys)) % len(PERIODS)]
            bodies = [json.dumps({"values": figures(code, bump)}).encode() for bump in (0, 1)]
            headers = {"Authorization": f"Api-Key {key}", "Content-Type": "application/json"}
            url = f"{api_base or base}/api/v1/returns/{period}/values/"
            n = 0
            while time.monotonic() < deadline:
                n += 1
                await one("bulk API", "POST", url, headers, bodies[n % 2])

        async def one(kind: str, method: str, url: str, headers: dict, body: bytes | None) -> None:
            start = time.perf_counter()
            try:
                async with http.request(method, url, headers=headers, data=body) as response:
                    await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError):
                status = 0
            results[kind].append((time.perf_counter() - start, status))

        n_leaders = clients // 2
        await asyncio.gather(*[leader(i) for i in range(n_leaders)],
                             *[county_system(i) for i in range(clients - n_leaders)])
    return results


async def one_cell(base: str, key: str, code: str, writers: int = 20) -> list[int]:
    """Writers push a different figure to one cell with the same version, all at once."""
    period = "2026Q3"
    headers = {"Authorization": f"Api-Key {key}"}
    async with httpx.AsyncClient(base_url=base, timeout=60,
                                 limits=httpx.Limits(max_connections=writers)) as http:
        first = await http.post(f"/api/v1/returns/{period}/values/", headers=headers,
                                json={"values": figures(code, 5)})
        version = first.json()["return_version"]
        cell = figures(code, 0)[0]
        answers = await asyncio.gather(*[
            http.post(f"/api/v1/returns/{period}/values/", headers=headers,
                      json={"values": [{**cell, "value": str(1000 + i)}], "version": version})
            for i in range(writers)])
    return [a.status_code for a in answers]


def report(results: dict[str, list[tuple[float, int]]], seconds: float) -> None:
    print(f"{'requests':<12}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    everything = [r for rows in results.values() for r in rows]
    for kind, rows in [*sorted(results.items()), ("all", everything)]:
        times = [t * 1000 for t, _ in rows]
        errors = sum(1 for _, status in rows if not 200 <= status < 300)
        print(f"{kind:<12}{len(rows):>8}{len(rows) / seconds:>9.1f}{percentile(times, 50):>9.0f}"
              f"{percentile(times, 95):>9.0f}{percentile(times, 99):>9.0f}{errors:>8}")
    statuses = defaultdict(int)
    for _, status in everything:
        statuses[status] += 1
    print("answers: " + ", ".join(f"{s or 'no answer'} × {n}" for s, n in sorted(statuses.items())))


def _cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user + system, from /proc; 0 if it is gone or not Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_snapshot(server_pids: list[int], db_name: str) -> dict[str, float]:
    """CPU seconds so far of gunicorn (master and workers), of the test database's PostgreSQL
    backends and of this process (the load client): where the machine's cores went."""
    from django.db import connection

    with connection.cursor() as cursor:  # the benchmark's own backend is counted as the client's
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [db_name])
        backends = [row[0] for row in cursor.fetchall()]
    return {"gunicorn": sum(_cpu_seconds(p) for pid in server_pids for p in [pid, *_children(pid)]),
            "postgres": sum(_cpu_seconds(p) for p in backends), "client": time.process_time()}


def gunicorn_config() -> dict[str, str]:
    """What gunicorn.conf.py sets (worker class and counts), as gunicorn itself reads it."""
    import re

    out = subprocess.run([sys.executable, "-m", "gunicorn", "--print-config", "ankang_jobs.wsgi"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60).stdout
    return dict(re.findall(r"^(\w+)\s+=\s+(.*)$", out, re.M))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py's")
    parser.add_argument("--threads", type=int, default=None, help="default: gunicorn.conf.py's")
    parser.add_argument("--api-nice", type=int, default=0,
                        help="with --split: the API pool's niceness (e.g. 10: the pages' pool has the CPU first)")
    parser.add_argument("--split", action="store_true",
                        help="a second gunicorn for /api/ (as a reverse proxy routing /api/ to its own pool would): the "
                             "pages' pool and the API's pool, each with --workers × --threads")
    args = parser.parse_args(argv)
    session, keys, db_url = setup(10)
    from benchmarks.dashboard_benchmark import pages

    server = api_server = None
    try:
        server, base, log = start_gunicorn(db_url, args.workers, args.threads)
        api_base = None
        if args.split:
            api_server, api_base, _ = start_gunicorn(db_url, args.workers, args.threads, nice=args.api_nice)
        dashboard_pages = list(pages(keys[len(keys) // 2][1]).values())
        for path in dashboard_pages:  # warm every worker's imports and caches a little
            httpx.get(base + path, cookies={"sessionid": session}, timeout=60)
        from django.db import connection

        db_name = connection.settings_dict["NAME"]
        servers = [server.pid] + ([api_server.pid] if api_server else [])
        cpu_before = cpu_snapshot(servers, db_name)
        started = time.perf_counter()
        results = asyncio.run(run_load(base, session, keys, args.clients, args.seconds, dashboard_pages, api_base))
        elapsed = time.perf_counter() - started
        cpu_after = cpu_snapshot(servers, db_name)
        cell = asyncio.run(one_cell(base, keys[0][0], keys[0][1]))
    finally:
        for process in (server, api_server):
            if process is not None:
                process.terminate()
                process.wait(30)
        teardown()
    config = gunicorn_config()
    workers, threads = args.workers or config["workers"], args.threads or config["threads"]
    pools = (f"two pools (pages; /api/{f' at nice {args.api_nice}' if args.api_nice else ''}), each "
             if args.split else "")
    print(f"gunicorn: {pools}{workers} {config['worker_class']} worker(s) × {threads} thread(s) on PostgreSQL, cache "
          f"{'Redis' if os.environ.get('REDIS_URL') else 'in-process'}; {args.clients} clients "
          f"({args.clients // 2} leaders on 7 dashboards, {args.clients - args.clients // 2} county systems pushing "
          f"{len(figures('x', 0))} figures) for {elapsed:.0f} s; nproc {os.cpu_count()}, load average "
          f"{os.getloadavg()[0]:.1f}")
    report(results, elapsed)
    requests = sum(len(rows) for rows in results.values())
    cpu = {k: cpu_after[k] - cpu_before.get(k, 0.0) for k in cpu_after}
    print("CPU during the run (s of CPU, ms per request; PostgreSQL: the backends alive at its end): "
          + ", ".join(f"{k} {v:.1f} s ({v * 1000 / max(requests, 1):.1f} ms)" for k, v in cpu.items())
          + f"; together {sum(cpu.values()) / elapsed:.2f} of {os.cpu_count()} cores for {elapsed:.0f} s")
    ok, conflicts = cell.count(200), cell.count(409)
    print(f"one cell, {len(cell)} writers with the same version: {ok} × 200, {conflicts} × 409, "
          f"other {len(cell) - ok - conflicts} → {'PASS' if (ok, conflicts) == (1, len(cell) - 1) else 'FAIL'}")
    everything = [r for rows in results.values() for r in rows]
    summary = {"throughput": len(everything) / elapsed,
               "errors": sum(1 for _, s in everything if not 200 <= s < 300),
               "p95_ms": percentile([t * 1000 for t, _ in everything], 95),
               "one_cell_ok": (ok, conflicts) == (1, len(cell) - 1)}
    for kind, rows in results.items():
        summary[f"{kind} p50_ms"] = percentile([t * 1000 for t, _ in rows], 50)
        summary[f"{kind} p95_ms"] = percentile([t * 1000 for t, _ in rows], 95)
        summary[f"{kind} req/s"] = len(rows) / elapsed
    if not summary["one_cell_ok"]:
        raise SystemExit(1)
    return summary


if __name__ == "__main__":
    main()
