"""An incremental recompute (after each approval) ends where a full recompute does, on random data,
for two plans whose periods overlap (the 2021–2025 plan and a successor from 2025-07-01)."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from targets.models import Snapshot
from targets.rollup import SNAPSHOT_FIELDS, rollup
from tests.targets_helpers import approve, successor

COUNTIES = ["汉滨区", "石泉县", "紫阳县", "旬阳市"]
QUARTERS = [f"{y}Q{q}" for y in range(2021, 2027) for q in range(1, 5)]
amount = st.integers(min_value=0, max_value=50_000)
entry = st.one_of(
    st.tuples(st.just("urban_new_jobs"), st.sampled_from(COUNTIES), st.sampled_from(QUARTERS),
              st.fixed_dictionaries({"value": amount})),
    st.tuples(st.just("zero_employment_households"), st.sampled_from(COUNTIES), st.sampled_from(QUARTERS),
              st.fixed_dictionaries({"value": st.integers(0, 300)})),
    st.tuples(st.just("registered_unemployment_rate"), st.sampled_from(COUNTIES), st.sampled_from(QUARTERS),
              st.integers(1, 100_000).flatmap(lambda den: st.fixed_dictionaries(
                  {"registered_unemployed": st.integers(0, den), "urban_labour_force": st.just(den)}))),
)


class Rollback(Exception):
    pass


def _state(codes):
    return {(s.plan.code, s.indicator.code, s.region_id, s.year, s.quarter): tuple(getattr(s, f) for f in SNAPSHOT_FIELDS)
            for s in Snapshot.objects.filter(indicator__code__in=codes).select_related("plan", "indicator")}


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(entries=st.lists(entry, min_size=1, max_size=12, unique_by=lambda e: (e[0], e[1], e[2])))
def test_incremental_equals_full(entries):
    codes = sorted({e[0] for e in entries})
    try:
        with transaction.atomic():
            successor(start=datetime.date(2025, 7, 1))
            for code, county, quarter, components in entries:
                approve(code, county, quarter, **components)  # each approval recomputes incrementally
            incremental = _state(codes)
            Snapshot.objects.all().delete()
            rollup(indicator_codes=codes)
            full = _state(codes)
            raise Rollback
    except Rollback:
        pass
    assert set(incremental) <= set(full)
    for key, values in incremental.items():
        assert values == full[key], key
    # what only the full run wrote are counties that never reported: no value, no status
    for key in set(full) - set(incremental):
        assert full[key][SNAPSHOT_FIELDS.index("value")] is None, key
    assert any(v[SNAPSHOT_FIELDS.index("units_reported")] > 0 for v in full.values())  # not vacuous
    assert all(isinstance(v[SNAPSHOT_FIELDS.index("value")], (D, type(None))) for v in full.values())
