"""Helpers for the targets tests: enter, submit and approve figures through the real services."""

from __future__ import annotations

from decimal import Decimal

from django.test import TestCase

from divisions.models import Region
from kernel.quarters import Quarter
from targets.models import Indicator, Snapshot
from targets.services import value_record, values_approve


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


def snap(code: str, region: Region | str, quarter: str) -> Snapshot:
    region = county(region) if isinstance(region, str) else region
    q = Quarter.parse(quarter)
    return Snapshot.objects.get(indicator__code=code, region=region, year=q.year, quarter=q.number)
