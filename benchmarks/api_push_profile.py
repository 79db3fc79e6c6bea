#!/usr/bin/env python
"""One county quarter's push, profiled: what one ``POST /api/v1/returns/{period}/values/`` of
~30 figures costs in CPU and queries (the request the load test's county systems repeat).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench .venv/bin/python benchmarks/api_push_profile.py \\
        [--pushes 200] [--top 30] [--no-profile]

Builds the load test's throw-away database (benchmarks/load.py's ``setup``: city scale, an API key
per county, 2026's first three quarters open and unapproved), then pushes one county's quarter
through Django's test client with the county's key ``--pushes`` times, alternating two sets of
figures so that every push writes (each push updates every figure). Prints the median and
quartiles of a push's wall time and of this process's CPU time, the queries per push
(CaptureQueriesContext, with their statements once), and — unless ``--no-profile`` — a cProfile
of a second series of pushes, its top functions by cumulative and by own time. The dashboards are
not touched. With REDIS_URL set the throttle and cache are Redis's, as under gunicorn.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.test")
os.environ.setdefault("API_RATE_LIMIT", "1000000/min")  # as benchmarks/load.py runs gunicorn


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pushes", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args(argv)

    from benchmarks.load import PERIODS, figures, setup, teardown

    _session, keys, _url = setup(2)
    try:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        key, code = keys[0]
        client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
        path = f"/api/v1/returns/{PERIODS[0]}/values/"
        bodies = [json.dumps({"values": figures(code, bump)}).encode() for bump in (0, 1)]

        def push(n: int):
            response = client.post(path, bodies[n % 2], content_type="application/json")
            assert response.status_code == 200, response.content[:500]
            return response

        for n in range(4):  # warm-up: the first request imports the URLconf and views; the first push creates
            push(n)
        walls, cpus, counts = [], [], []
        statements: list[str] = []
        for n in range(args.pushes):
            with CaptureQueriesContext(connection) as queries:
                wall, cpu = time.perf_counter(), time.process_time()
                response = push(n)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            counts.append(len(queries))
            if n == 0:
                statements = [q["sql"] for q in queries.captured_queries]
        body = response.json()
        print(f"one push: {len(figures(code, 0))} figures, outcome created {body['created']}, updated "
              f"{body['updated']}, unchanged {body['unchanged']}, rejected {body['rejected']}; response "
              f"{len(response.content)} bytes")
        q = statistics.quantiles(walls, n=4)
        c = statistics.quantiles(cpus, n=4)
        print(f"{args.pushes} pushes: wall median {statistics.median(walls) * 1000:.1f} ms "
              f"(quartiles {q[0] * 1000:.1f} / {q[2] * 1000:.1f}), CPU of this process median "
              f"{statistics.median(cpus) * 1000:.1f} ms (quartiles {c[0] * 1000:.1f} / {c[2] * 1000:.1f}); "
              f"queries per push {min(counts)}–{max(counts)} (median {statistics.median(counts):.0f})")
        print("queries of one push (with query capture on):")
        for i, sql in enumerate(statements, 1):
            print(f"  {i:>2}. {sql[:220]}")
        if not args.no_profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for n in range(args.pushes):
                push(n)
            profiler.disable()
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out)
                stats.strip_dirs().sort_stats(order).print_stats(args.top)
                print(f"--- cProfile of {args.pushes} pushes, top {args.top} by {order} ---")
                print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))
        load = os.getloadavg()
        print(f"nproc {os.cpu_count()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        teardown()


if __name__ == "__main__":
    main()
