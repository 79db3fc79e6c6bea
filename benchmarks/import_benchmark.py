#!/usr/bin/env python
"""Import benchmark: the full village registry (1,924 rows) and a 10,000-value returns file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ankang_bench .venv/bin/python benchmarks/import_benchmark.py

Creates a throw-away database; builds both files as .xlsx (the registry with every
village and community of Ankang, imported by the city administrator; the returns file with one
figure of each of 10,000 synthetic county-reported indicators, as in the API benchmark, imported
by 汉滨区's officer); then for each, in a fresh Python process of its own (the memory a web or
worker process needs for the import, not what this script's set-up left behind): upload (gate, read, preview), confirm (re-check and write
through the services, in one transaction), and the same file again (nothing to change). Prints
wall time and the process's peak resident memory after each step (ru_maxrss: the peak so far,
which includes Django itself; the baseline before the first step is printed too).
"""

from __future__ import annotations

import datetime
import io
import os
import resource
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ankang_jobs.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N_VALUES = 10_000
DAY = datetime.date(2024, 10, 15)  # inside 2024Q3's entry window


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def setup():
    from accounts.models import User
    from accounts.services import role_grant
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
                  reported_by="county", order=1000 + i) for i in range(N_VALUES)])
    IndicatorComponent.objects.bulk_create([
        IndicatorComponent(indicator=ind, code="value", name="数值", role="value", unit="人") for ind in indicators])
    admin = User.objects.create_user("bench_admin")
    role_grant(user=admin, role="city_admin", granted_by=None)
    county = Region.objects.get(code="610902000000")
    officer = User.objects.create_user("bench_hanbin", region=county)
    role_grant(user=officer, role="county_officer", granted_by=None)
    villages = list(Region.objects.filter(level="village").select_related("county").order_by("code"))
    return admin, officer, county, villages


def child(args: list[str]) -> None:
    """One import in this fresh process (as a web or worker process would run it): upload and
    preview, confirm, then the same file again. Prints one JSON line per attempt."""
    import json

    from accounts.models import User
    from divisions.models import Region
    from imports.models import ImportBatch
    from imports.services import import_confirm, import_upload
    from reports.models import ReportingPeriod

    label, username, kind, path = args[:4]
    settings.IMPORT_ASYNC_ROWS = 10**9  # time the work itself, in this process (the job runs the same code)
    data = Path(path).read_bytes()
    user = User.objects.get(username=username)
    scope = {}
    if kind == "county_return":
        scope = {"region": Region.objects.get(code="610902000000"),
                 "period": ReportingPeriod.objects.get(year=2024, quarter=3)}
    baseline = rss_mb()
    with mock.patch("django.utils.timezone.localdate", return_value=DAY):
        for attempt in ("first", "again"):
            start = time.perf_counter()
            batch = import_upload(user=user, kind=kind, upload=SimpleUploadedFile(Path(path).name, data), **scope)
            preview = time.perf_counter() - start
            peak_preview = rss_mb()
            confirm = 0.0
            if batch.state == ImportBatch.State.READY:
                start = time.perf_counter()
                batch = import_confirm(batch=batch, user=user)
                confirm = time.perf_counter() - start
            assert batch.state in (ImportBatch.State.APPLIED, ImportBatch.State.UNCHANGED), (batch.state,
                                                                                            batch.errors[:3])
            print(json.dumps({"label": f"{label}, {attempt}", "rows": batch.rows_total, "preview": preview,
                              "peak_preview": peak_preview, "confirm": confirm, "peak": rss_mb(),
                              "baseline": baseline, "created": batch.summary.get("created", 0),
                              "updated": batch.summary.get("updated", 0),
                              "unchanged": batch.summary.get("unchanged", 0), "state": batch.state}), flush=True)


def run_child(label: str, username: str, kind: str, path: Path, database: str, media: str) -> list[dict]:
    """Run ``child`` in a new Python process against the throw-away database."""
    import json
    import subprocess

    env = dict(os.environ, DATABASE_URL=database, MEDIA_ROOT=media, DJANGO_SETTINGS_MODULE="ankang_jobs.settings.test")
    out = subprocess.run([sys.executable, __file__, "--child", label, username, kind, str(path)], env=env,
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def main() -> None:
    import tempfile

    if connection.vendor != "postgresql":
        raise SystemExit("run on PostgreSQL: DATABASE_URL=postgres://...")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    test_db = connection.settings_dict["NAME"]
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + test_db
    media, files = tempfile.mkdtemp(prefix="import-bench-"), Path(tempfile.mkdtemp(prefix="import-files-"))
    results: list = []
    try:
        admin, officer, county, villages = setup()
        registry = xlsx([["统计用区划代码", "名称", "县（市、区）", "户数", "人口", "易地搬迁社区"]] + [
            [v.code, v.short_name, v.county.name, 100 + i % 500, 300 + i % 2000, "是" if i % 25 == 0 else "否"]
            for i, v in enumerate(villages)])
        returns = xlsx([["指标代码", "分项代码", "数值"]] + [[f"bench_{i:05d}", "value", 100 + i] for i in range(N_VALUES)])
        (files / "村社区.xlsx").write_bytes(registry)
        (files / "季报.xlsx").write_bytes(returns)
        connection.close()  # the children connect on their own
        results += run_child("registry", admin.username, "community_profiles", files / "村社区.xlsx", database, media)
        results += run_child("returns", officer.username, "county_return", files / "季报.xlsx", database, media)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    baseline = min(r["baseline"] for r in results)
    print(f"database: PostgreSQL; registry file {len(registry) / 1024:.0f} KB, returns file {len(returns) / 1024:.0f} KB; "
          f"each import in a fresh process (Django loaded: {baseline:.0f} MB RSS before the import)")
    print(f"{'import':<18}{'rows':>7}{'preview':>9}{'peak MB':>9}{'confirm':>9}{'peak MB':>9}{'total':>8}"
          f"{'created':>9}{'updated':>9}{'unchanged':>10}  state")
    for r in results:
        print(f"{r['label']:<18}{r['rows']:>7}{r['preview']:>8.2f}s{r['peak_preview']:>9.0f}{r['confirm']:>8.2f}s"
              f"{r['peak']:>9.0f}{r['preview'] + r['confirm']:>7.2f}s{r['created']:>9}{r['updated']:>9}"
              f"{r['unchanged']:>10}  {r['state']}")
    worst = max(r["preview"] + r["confirm"] for r in results)
    peak = max(r["peak"] for r in results)
    print(f"goals: under 5 s: {'met' if worst < 5 else 'NOT met'} ({worst:.2f} s, slowest upload + confirm); "
          f"under 200 MB: {'met' if peak < 200 else 'NOT met'} ({peak:.0f} MB peak RSS of the importing process, "
          f"Django included)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
