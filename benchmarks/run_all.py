#!/usr/bin/env python3
"""Every benchmark, one table: the roll-up, the dashboards, the bulk API, the imports and the
load test, at city and province scale where the benchmark has both.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench python3 benchmarks/run_all.py \\
        [--only rollup,dashboards,...] [--load-seconds 60] [--load-clients 50]

Runs each benchmark in its own process, one after the other (each makes and drops its own
throw-away test database, test_<name>), keeps each one's full output under var/perf/, and prints
one table: the figure at city scale, at province scale, and the ratio the benchmark is judged by
(province ÷ city for growth, or the figure ÷ its floor). The machine is described first (cores,
CPU, memory, PostgreSQL, load average), since every figure is wall-clock time on it. Exits
non-zero if a benchmark fails or the load test's one-cell check fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
NUM = r"([\d.,]+)"

Row = tuple[str, str, str, str, str, str]  # benchmark, measure, city, province, ratio, goal (met or not)
HEADER: Row = ("benchmark", "measure", "city", "province", "ratio", "goal (issue 19)")


def goal(text: str, met: bool) -> str:
    return f"{text}: {'met' if met else 'NOT met'}"


def _f(text: str) -> float:
    return float(text.replace(",", ""))


def parse_rollup(out: str) -> list[Row]:
    found = {}
    for m in re.finditer(rf"^(city|province)\s+(\d+)\s+(\d+)\s+(\d+)\s+{NUM}s\s+{NUM}s\s+{NUM}ms\s+{NUM}x\s+{NUM}x"
                         rf"\s+{NUM}ms", out, re.M):
        found[m[1]] = {"values": int(m[3]), "full cold": _f(m[5]), "full warm": _f(m[6]), "raw SQL": _f(m[7]) / 1000,
                       "incremental": _f(m[10]) / 1000}
    c, p = found["city"], found["province"]
    rows: list[Row] = [("roll-up", "values approved", f"{c['values']:,}", f"{p['values']:,}",
                        f"×{p['values'] / c['values']:.1f}", "")]
    linear = p["values"] / c["values"]
    for key in ("full cold", "full warm", "raw SQL", "incremental"):
        ratio = p[key] / c[key]
        target = (goal(f"growth ≤ ×{linear:.0f} (linear)", ratio <= linear) if key.startswith("full") else
                  goal("≤ 20 ms at province", p[key] <= 0.020) if key == "incremental" else "")
        rows.append(("roll-up", key, _t(c[key]), _t(p[key]), f"×{ratio:.1f}", target))
    statement = {m[1]: (_f(m[3]) / 1000, _f(m[2]) / 1000) for m in re.finditer(
        r"^(city|province): a warm run of ([\d.]+) ms spends ([\d.]+) ms in the roll-up statement", out, re.M)}
    floor = {m[1]: _f(m[2]) / 1000 for m in re.finditer(r"^(city|province): write floor .*? ([\d.]+) ms;", out, re.M)}
    if statement:
        rows.append(("roll-up", "of a warm run: the one statement", _t(statement["city"][0]),
                     _t(statement["province"][0]), f"{statement['province'][0] / p['raw SQL']:.1f}× raw SQL", ""))
    if floor:
        rows.append(("roll-up", "write floor (INSERT … SELECT of the same snapshots + commit)", _t(floor["city"]),
                     _t(floor["province"]), f"cold {p['full cold'] / floor['province']:.1f}× floor", ""))
    for key in ("full cold", "full warm"):
        rows.append(("roll-up", f"{key} ÷ raw SQL", f"{c[key] / c['raw SQL']:.1f}×", f"{p[key] / p['raw SQL']:.1f}×", "",
                     goal("≤ 2× at province", p[key] <= 2 * p["raw SQL"])))
    return rows


def parse_dashboards(out: str) -> list[Row]:
    rows: list[Row] = []
    for m in re.finditer(rf"^(\S.*?)\s+{NUM}ms\s+{NUM}ms\s+{NUM}x\s+{NUM}ms\s+{NUM}ms\s+(\d+)/(\d+)$", out, re.M):
        name, warm_c, warm_p, ratio, cold_c, cold_p = m[1].strip(), _f(m[2]), _f(m[3]), _f(m[4]), _f(m[5]), _f(m[6])
        rows.append(("dashboards", f"{name}: warm (cached), {m[8]} q", f"{warm_c:.1f} ms", f"{warm_p:.1f} ms",
                     f"×{ratio:.2f}", goal("≤ 10 ms, ≤ ×1.2", max(warm_c, warm_p) <= 10 and ratio <= 1.2)))
        rows.append(("dashboards", f"{name}: cold (after a roll-up), {m[7]} q", f"{cold_c:.1f} ms", f"{cold_p:.1f} ms",
                     f"×{cold_p / cold_c:.2f}", goal("≤ 100 ms at city", cold_c <= 100)))
    return rows


def parse_api_bulk(out: str) -> list[Row]:
    rows: list[Row] = []
    for m in re.finditer(rf"^(create|update|unchanged) 10,000\s+{NUM}s\s+{NUM}\s+\d+\s+\d+\s+\d+\s+{NUM}×", out, re.M):
        rows.append(("bulk API", f"push 10,000 figures: {m[1]} (peak RSS {_f(m[3]):.0f} MB)", _t(_f(m[2])), "–",
                     f"{m[4]}× raw COPY", ""))
    copy = re.search(rf"raw COPY of the same 10,000 rows: {NUM} ms", out)
    floor = re.search(rf"their indexes and foreign keys: {NUM} ms \({NUM}× the raw COPY\)", out)
    if copy:
        rows.append(("bulk API", "raw COPY of the same rows", f"{_f(copy[1]):.1f} ms", "–", "1×", ""))
    if floor:
        rows.append(("bulk API", "floor: COPY of the push's own rows", f"{_f(floor[1]):.0f} ms", "–", f"{floor[2]}×",
                     ""))
    return rows


def parse_imports(out: str) -> list[Row]:
    rows: list[Row] = []
    for m in re.finditer(rf"^((?:registry|returns)\D*?)\s+(\d+)\s+{NUM}s\s+{NUM}\s+{NUM}s\s+{NUM}\s+{NUM}s", out, re.M):
        rows.append(("imports", f"{m[1]} ({int(m[2]):,} rows): upload + confirm (peak RSS {_f(m[6]):.0f} MB)",
                     _t(_f(m[7])), "–", f"preview {_f(m[3]):.2f} s", ""))
    return rows


def parse_load(out: str) -> list[Row]:
    rows: list[Row] = []
    head = re.search(r"(\d+) clients .* for (\d+) s", out)
    what = f"{head[1]} clients, {head[2]} s" if head else "load"
    for m in re.finditer(rf"^(bulk API|dashboards|all)\s+(\d+)\s+{NUM}\s+{NUM}\s+{NUM}\s+{NUM}\s+(\d+)$", out, re.M):
        rate, p95, errors = _f(m[3]), _f(m[5]), int(m[7])
        target = {"all": goal("≥ 150 req/s, 0 errors", rate >= 150 and errors == 0),
                  "dashboards": goal("p95 ≤ 300 ms", p95 <= 300),
                  "bulk API": goal("p95 ≤ 1 s", p95 <= 1000)}[m[1]]
        rows.append(("load", f"{what}: {m[1]} req/s (errors)", f"{rate:.1f} ({errors})", "–",
                     f"p50/p95/p99 {_f(m[4]):.0f}/{p95:.0f}/{_f(m[6]):.0f} ms", target))
    cell = re.search(r"one cell, (\d+) writers with the same version: (\d+) × 200, (\d+) × 409.*→ (\w+)", out)
    if cell:
        rows.append(("load", f"one cell, {cell[1]} writers", f"{cell[2]} × 200, {cell[3]} × 409", "–", cell[4], ""))
    return rows


def _t(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


BENCHMARKS = {
    "rollup": ("rollup_benchmark.py", parse_rollup),
    "dashboards": ("dashboard_benchmark.py", parse_dashboards),
    "api_bulk": ("api_bulk_benchmark.py", parse_api_bulk),
    "imports": ("import_benchmark.py", parse_imports),
    "load": ("load.py", parse_load),
}


def _server() -> str:
    """DATABASE_URL's server, at its ``postgres`` database (the benchmark's own may not exist yet)."""
    return re.sub(r"^postgres(ql)?://([^/]*)/.*$", r"postgresql://\2/postgres", os.environ.get("DATABASE_URL", ""))


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    mem = next((int(line.split()[1]) / 1048576 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0.0) if Path("/proc/meminfo").exists() else 0.0
    try:
        pg = subprocess.run(["psql", _server(), "-tAc", "SHOW server_version"], capture_output=True, text=True,
                            timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pg = "?"
    load = os.getloadavg()
    return (f"machine: nproc {os.cpu_count()}, {cpu}, {mem:.0f} GiB memory, PostgreSQL {pg or '?'}, "
            f"Python {platform.python_version()}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


def speed() -> str:
    """How fast this machine is right now, by three fixed pieces of work (best of three or five
    each): a pure-Python loop, Django's ORM building one small query (a filter, a join, an order:
    what each of a warm page's five statements and an approval's roll-up's fourteen cost in Python,
    the unit of cost of most requests; a tight loop does not follow it — on 2026-12-01 the loop
    was the fastest yet while the ORM-bound figures were slower than the day before) and a
    PostgreSQL aggregate over generated rows (what a statement spends). Shared machines differ by
    2–4× from hour to hour; figures from two runs compare only beside these."""
    loops = []
    for _ in range(3):
        start = time.process_time()
        total = 0
        for i in range(5_000_000):
            total += i
        loops.append(time.process_time() - start)
    aggregate = ["-c", "SELECT count(*), sum(i) FROM generate_series(1, 3000000) AS i"]
    try:
        out = subprocess.run(["psql", _server(), "-c", "\\timing on", *aggregate * 3],
                             capture_output=True, text=True, timeout=120).stdout
        pg = min(float(t) for t in re.findall(r"^Time: ([\d.]+) ms", out, re.M))
    except (OSError, subprocess.TimeoutExpired, ValueError):
        pg = float("nan")
    try:
        orm = float(orm_probe().stdout.strip().splitlines()[-1])
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError):
        orm = float("nan")
    return (f"speed: a Python loop of 5,000,000 additions {min(loops) * 1000:.0f} ms, the ORM building one query "
            f"{orm:.0f} µs, PostgreSQL's count and sum of 3,000,000 generated rows {pg:.0f} ms (best of 3 each; the "
            "ORM of 5 series)")


def orm_probe() -> subprocess.CompletedProcess:
    """ORM_PROBE run in a child process (Django set up afresh, as a worker would), its µs per query
    on the last line of its output."""
    return subprocess.run([sys.executable, "-c", ORM_PROBE], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.test"})


# Django's ORM building (not running: no database is needed) a query like the ones around the
# roll-up statement and in every request's frame; the best of 5 series of 300, in µs per query.
ORM_PROBE = """
import time, django
django.setup()
from targets.models import Target
series = []
for _ in range(5):
    start = time.process_time()
    for _ in range(300):
        Target.objects.filter(indicator_id__in=[1, 2], plan__code="x").order_by("plan_id", "order").query.sql_with_params()
    series.append(time.process_time() - start)
print(min(series) / 300 * 1e6)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help=f"comma-separated, of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-clients", type=int, default=50)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        print("set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/ankang_bench",
              file=sys.stderr)
        return 2
    chosen = args.only.split(",") if args.only else list(BENCHMARKS)
    logs = ROOT / "var" / "perf"
    logs.mkdir(parents=True, exist_ok=True)
    print(machine(), flush=True)
    print(speed() + " — before", flush=True)
    rows: list[Row] = []
    failed = []
    for name in chosen:
        script, parse = BENCHMARKS[name]
        extra = ["--seconds", str(args.load_seconds), "--clients", str(args.load_clients)] if name == "load" else []
        start = time.perf_counter()
        print(f"running {script} …", end=" ", flush=True)
        result = subprocess.run([PYTHON, str(ROOT / "benchmarks" / script), *extra], cwd=ROOT, capture_output=True,
                                text=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.test"})
        (logs / f"{name}.txt").write_text(result.stdout + "\n--- stderr ---\n" + result.stderr[-20000:])
        load = os.getloadavg()
        print(f"{time.perf_counter() - start:.0f} s{'' if result.returncode == 0 else ' — FAILED'} "
              f"(nproc {os.cpu_count()}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})", flush=True)
        print(f"  {speed()} — after {name}", flush=True)
        try:
            parsed = parse(result.stdout)
        except (KeyError, TypeError, ValueError):
            parsed = []
        if result.returncode != 0 or not parsed:
            failed.append(name)
        rows.extend(parsed)
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(6)]
    print()
    for i, row in enumerate([HEADER, *rows]):
        print("  ".join(cell.ljust(widths[k]) if k in (0, 1, 5) else cell.rjust(widths[k])
                        for k, cell in enumerate(row)))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    missed = [f"{r[0]} {r[1]}" for r in rows if r[5].endswith("NOT met")]
    load = os.getloadavg()
    print(f"\nfull outputs: {logs}/<benchmark>.txt; nproc {os.cpu_count()}, load average now "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"goals met: {sum(r[5].endswith(': met') for r in rows)}, not met: {len(missed)}"
          + (f" ({'; '.join(missed)})" if missed else ""))
    if failed:
        print(f"FAILED: {', '.join(failed)} (see their outputs)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
