"""Snapshots gained a plan: a database from before, holding snapshots and two plans whose periods
overlap, migrates forward with each snapshot assigned to the plan it belongs to and the snapshots
no plan claims removed (the next roll-up computes what each plan needs).

Runs against a scratch database of the suite's engine, migrated in a child process (see
tests/divisions/test_migration_from_communities.py, whose helpers it shares)."""

from __future__ import annotations

import pytest

from tests.divisions.test_migration_from_communities import _manage, _scratch_database, _shell

BEFORE = "0003_region_in_divisions"

SEED = """
import datetime as dt
from django.db import connection
from django.utils import timezone
from divisions.models import Region
from divisions.services import divisions_load
from seeding.plan import plan_clone, plan_load
from targets.models import Indicator, Target

divisions_load()
old, _summary = plan_load()
new = plan_clone(source=old, code="ankang-2026", title="后续规划", doc_number="安政办发〔2025〕1号",
                 period_start=dt.date(2025, 7, 1), period_end=dt.date(2030, 12, 31))
orphan = Indicator.objects.create(code="orphan", name="无目标指标", unit="人", kind="flow", direction="at_least",
                                  reported_by="county")
jobs = Indicator.objects.get(code="urban_new_jobs")
old_target = Target.objects.get(plan=old, indicator=jobs)
new_target = Target.objects.get(plan=new, indicator=jobs)
city = Region.objects.get(level="city")
now = timezone.now()
rows = {  # name: (indicator, year, quarter, target)
    "old_2024q1": (jobs.pk, 2024, 1, old_target.pk),
    "old_2025q4": (jobs.pk, 2025, 4, old_target.pk),  # in both periods: computed for the old plan's target
    "carried_2026q1": (jobs.pk, 2026, 1, old_target.pk),  # the old roll-up carried the ended plan forward
    "untargeted_2027q1": (jobs.pk, 2027, 1, None),
    "in_overlap_untargeted": (jobs.pk, 2025, 3, None),  # both periods, no target: the later plan's
    "after_every_plan": (jobs.pk, 2031, 1, None),
    "before_every_plan": (jobs.pk, 2020, 4, None),
    "no_plan_targets_it": (orphan.pk, 2024, 1, None),
}
ids = {}
with connection.cursor() as c:
    for name, (indicator, year, quarter, target) in rows.items():
        c.execute("INSERT INTO targets_snapshot (indicator_id, region_id, year, quarter, target_id, period_value, value, "
                  "status, status_reason, units_reported, units_expected, computed_at) "
                  "VALUES (%s, %s, %s, %s, %s, 1, 7, 'green', '', 1, 10, %s)",
                  [indicator, city.pk, year, quarter, target, now])
        c.execute("SELECT MAX(id) FROM targets_snapshot")
        ids[name] = c.fetchone()[0]
print(json.dumps({"ids": ids, "targets": {"old": old_target.pk, "new": new_target.pk}}))
"""

CHECK = """
from django.db import connection
from targets.models import Snapshot
rows = {s.pk: [s.plan.code, s.target_id, str(s.value)] for s in Snapshot.objects.select_related("plan")}
with connection.cursor() as c:
    columns = {col.name: col.null_ok for col in connection.introspection.get_table_description(c, "targets_snapshot")}
    constraints = connection.introspection.get_constraints(c, "targets_snapshot")
unique = sorted(tuple(v["columns"]) for v in constraints.values() if v["unique"] and not v["primary_key"])
print(json.dumps({"rows": {str(k): v for k, v in rows.items()}, "plan_nullable": columns["plan_id"],
                  "unique": unique}))
"""


@pytest.mark.django_db
def test_a_database_with_snapshots_from_before_plans_migrates_each_to_its_plan():
    url, remove = _scratch_database()
    try:
        _manage(url, "migrate", "--no-input", "-v0")
        _manage(url, "migrate", "targets", BEFORE, "--no-input", "-v0")  # and back, as it was
        before = _shell(url, SEED)
        _manage(url, "migrate", "--no-input", "-v0")
        after = _shell(url, CHECK)
    finally:
        remove()
    ids, targets = before["ids"], before["targets"]
    rows = {name: after["rows"].get(str(pk)) for name, pk in ids.items()}
    assert rows["old_2024q1"] == ["ankang-2022", targets["old"], "7.0000"]
    assert rows["old_2025q4"] == ["ankang-2022", targets["old"], "7.0000"]  # its target's plan, not the later one
    assert rows["carried_2026q1"] == ["ankang-2026", targets["new"], "7.0000"]  # the ended plan has no 2026
    assert rows["untargeted_2027q1"] == ["ankang-2026", targets["new"], "7.0000"]
    assert rows["in_overlap_untargeted"] == ["ankang-2026", targets["new"], "7.0000"]
    for gone in ("after_every_plan", "before_every_plan", "no_plan_targets_it"):
        assert rows[gone] is None, gone
    assert len(after["rows"]) == 5
    assert after["plan_nullable"] is False
    assert ["plan_id", "indicator_id", "region_id", "year", "quarter"] in [list(u) for u in after["unique"]]
    assert ["indicator_id", "region_id", "year", "quarter"] not in [list(u) for u in after["unique"]]
