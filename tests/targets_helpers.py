"""Helpers for the targets tests: enter, submit and approve figures through the real services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import TestCase

from divisions.models import Region
from kernel.quarters import Quarter
from targets.models import Indicator, Snapshot
from targets.services import value_record, values_approve
from tasks.models import Plan


def county(name: str) -> Region:
    return Region.objects.get(level=Region.Level.COUNTY, name=name)


def city() -> Region:
    return Region.objects.get(level=Region.Level.CITY)


def approve(code: str, region: Region | str, quarter: str, **components) -> None:
    """Record and approve one unit's figures (the roll-up then runs after commit, eagerly)."""
    region = county(region) if isinstance(region, str) else region
    # Tests run inside a transaction that never commits: run the on-commit roll-up as a commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        _approve(code, region, quarter, components)


def _approve(code, region, quarter, components) -> None:
    rows = value_record(indicator=Indicator.objects.get(code=code), region=region, quarter=Quarter.parse(quarter),
                        components={k: Decimal(str(v)) for k, v in components.items()}, user=None, submit=True)
    values_approve(values=rows, approver=None)


def snap(code: str, region: Region | str, quarter: str, plan: str = "ankang-2022") -> Snapshot:
    """The snapshot of ``plan``'s target on the indicator (the 2022 plan unless told)."""
    region = county(region) if isinstance(region, str) else region
    q = Quarter.parse(quarter)
    return Snapshot.objects.get(plan__code=plan, indicator__code=code, region=region, year=q.year, quarter=q.number)


def successor(*, start: datetime.date = datetime.date(2026, 1, 1), end: datetime.date = datetime.date(2030, 12, 31),
              code: str = "ankang-2026") -> Plan:
    """A successor to the 2022 plan, cloned from it (same indicators, same targets), for ``start``–``end``."""
    from seeding.plan import plan_clone

    return plan_clone(source=Plan.objects.get(code="ankang-2022"), code=code, title="安康市就业规划（后续）",
                      doc_number=f"安政办发〔{start.year}〕1号", period_start=start, period_end=end)
