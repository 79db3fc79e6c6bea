"""Celery jobs of the targets engine (``jobs.py``, not ``tasks.py``: see ankang_jobs/celery.py)."""

from __future__ import annotations

from celery import shared_task

from .rollup import rollup
from .rollup_sql import since_of


@shared_task(name="targets.rollup", acks_late=True)
def rollup_job(indicator_codes: list[str] | None = None, county_ids: list[int] | None = None,
               trigger: str = "job", since: list[int] | None = None) -> dict:
    """Recompute snapshots; takes codes and ids only, safe to run twice (the second writes nothing)."""
    run = rollup(indicator_codes=indicator_codes, county_ids=county_ids, trigger=trigger, since=since_of(since))
    return {"run": run.pk, "status": run.status, "created": run.created, "updated": run.updated,
            "unchanged": run.unchanged}
