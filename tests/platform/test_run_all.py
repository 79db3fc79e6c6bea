"""The performance command reads each benchmark's printed table: a change of format that it no
longer reads must show here, not as a silently shorter table (benchmarks/run_all.py)."""

from __future__ import annotations

import importlib.util
import math

from django.conf import settings

spec = importlib.util.spec_from_file_location("run_all", settings.BASE_DIR / "benchmarks" / "run_all.py")
run_all = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_all)

ROLLUP = """\
scale     counties   values snapshots  full cold  full warm   raw SQL  warm/SQL  cold/SQL  incremental
city            10     6504      5568     1.510s     0.632s    15.8ms     40.0x     95.6x       34.9ms
province       100    64824     50928     9.510s     3.690s   166.9ms     22.1x     57.0x       47.0ms
"""
DASHBOARDS = """\
page               warm city warm prov prov/city cold city cold prov  queries cold/warm
overview              4.2ms     4.4ms     1.05x    26.0ms    30.1ms            16/5
task board           37.0ms    36.4ms     0.98x    38.0ms    40.2ms           18/18
"""
API = """\
push                   time peak RSS MB  created  updated unchanged   ÷ COPY
create 10,000         1.52s       236.0    10000        0         0     108×
unchanged 10,000      0.19s       236.0        0        0     10000      13×
raw COPY of the same 10,000 rows: 14.1 ms
floor: COPY of a create push's own rows (values, history, audit events) into the real tables with their indexes and \
foreign keys: 738 ms (52× the raw COPY): values 80 ms
"""
IMPORTS = """\
import               rows  preview  peak MB  confirm  peak MB   total  created  updated unchanged  state
registry, first      1924    0.39s      111    1.74s      112   2.13s     1924        0         0  applied
returns, first      10000    1.94s      137    2.64s      223   4.57s    10000        0         0  applied
"""
LOAD = """\
gunicorn: 3 gthread worker(s) × 4 thread(s) on PostgreSQL, cache Redis; 50 clients (25 leaders on 7 dashboards, 25 county \
systems pushing 27 figures) for 61 s; nproc 2, load average 3.9
requests       count    req/s   p50 ms   p95 ms   p99 ms  errors
bulk API        1055     17.3     1256     2557     3649       0
all             2128     34.9     1248     2571     3661       2
one cell, 20 writers with the same version: 1 × 200, 19 × 409, other 0 → PASS
"""


def test_each_benchmarks_table_is_read():
    rollup = {r[1]: r for r in run_all.parse_rollup(ROLLUP)}
    assert rollup["full cold"][2:] == ("1.51 s", "9.51 s", "×6.3", "growth ≤ ×10 (linear): met")
    assert rollup["incremental"][2:] == ("34.9 ms", "47.0 ms", "×1.3", "≤ 20 ms at province: NOT met")
    assert rollup["full warm ÷ raw SQL"][2:4] == ("40.0×", "22.1×")
    assert rollup["full warm ÷ raw SQL"][5] == "≤ 2× at province: NOT met"
    assert [r[1:] for r in run_all.parse_dashboards(DASHBOARDS)] == [
        ("overview: warm (cached), 5 q", "4.2 ms", "4.4 ms", "×1.05", "≤ 10 ms, ≤ ×1.2: met"),
        ("overview: cold (after a roll-up), 16 q", "26.0 ms", "30.1 ms", "×1.16", "≤ 100 ms at city: met"),
        ("task board: warm (cached), 18 q", "37.0 ms", "36.4 ms", "×0.98", "≤ 10 ms, ≤ ×1.2: NOT met"),
        ("task board: cold (after a roll-up), 18 q", "38.0 ms", "40.2 ms", "×1.06", "≤ 100 ms at city: met")]
    api = run_all.parse_api_bulk(API)
    assert [r[2] for r in api] == ["1.52 s", "190.0 ms", "14.1 ms", "738 ms"] and api[0][4] == "108× raw COPY"
    assert [r[2] for r in run_all.parse_imports(IMPORTS)] == ["2.13 s", "4.57 s"]
    load = run_all.parse_load(LOAD)
    assert [r[2] for r in load] == ["17.3 (0)", "34.9 (2)", "1 × 200, 19 × 409"]
    assert load[0][4] == "p50/p95/p99 1256/2557/3649 ms" and load[-1][4] == "PASS"
    assert [r[5] for r in load] == ["p95 ≤ 1 s: NOT met", "≥ 150 req/s, 0 errors: NOT met", ""]


def test_the_orm_probe_of_the_speed_line_measures_something():
    """The speed line's ORM figure comes from a child process: if it stopped running (an import
    moved, a model renamed) the line would print "nan" and nobody would notice."""
    out = run_all.orm_probe()
    assert out.returncode == 0, out.stderr[-2000:]
    microseconds = float(out.stdout.strip().splitlines()[-1])
    assert math.isfinite(microseconds) and 1 < microseconds < 1_000_000
