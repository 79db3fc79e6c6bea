"""Helpers for the targets tests: enter, submit and approve figures through the real services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import TestCase

from divisions.models import Region
from kernel.quarters import Quarter
from targets.models import IndicatorValue, Snapshot
from targets.services import values_approve, values_bulk_record, values_submit
from tasks.models import Plan


def county(name: str) -> Region:
    return Region.objects.get(level=Region.Level.COUNTY, name=name)


def city() -> Region:
    return Region.objects.get(level=Region.Level.CITY)


def record(code: str, region: Region | str, quarter: str, *, submit: bool = False, user=None,
           **components) -> list[IndicatorValue]:
    """Enter one unit's figures of one indicator as a draft through ``values_bulk_record`` (the save
    behind every return, import and API push: all of ``figures_validate``'s rules, approved figures
    locked); with ``submit``, send them for review as a return's submission does (``values_submit``).
    Refused whole with the service's ValidationError; nothing is written then."""
    region = county(region) if isinstance(region, str) else region
    q = Quarter.parse(quarter)
    values_bulk_record(region=region, quarter=q, figures={code: components}, user=user)
    rows = list(IndicatorValue.objects.filter(indicator__code=code, region=region, year=q.year, quarter=q.number))
    if submit:
        values_submit(values=rows, user=user, reason="test submitted")
    return rows


def approve(code: str, region: Region | str, quarter: str, **components) -> None:
    """Record and approve one unit's figures (the roll-up then runs after commit, eagerly)."""
    # Tests run inside a transaction that never commits: run the on-commit roll-up as a commit would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        record_approved(code, region, quarter, **components)


def record_approved(code: str, region: Region | str, quarter: str, **components) -> None:
    """Enter, submit and approve one unit's figures (``record``, then ``values_approve``, the step
    of a return's approval that makes figures official and enqueues their roll-up)."""
    rows = record(code, region, quarter, submit=True, **{k: Decimal(str(v)) for k, v in components.items()})
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
