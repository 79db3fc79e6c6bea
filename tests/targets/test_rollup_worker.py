"""The roll-up on the real services: two workers at once on PostgreSQL, and a real Celery worker
consuming from the real Redis. Skipped on the embedded default; failing in CI if a service is
missing (REQUIRE_SERVICES=1)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.db import connection

from ankang_jobs.celery import app
from divisions.models import Region
from targets.models import RollupRun, Snapshot
from targets.rollup import rollup
from tests.conftest import reference_data_load
from tests.platform.test_services import need_service
from tests.targets_helpers import record_approved


@pytest.fixture
def loaded(transactional_db):
    """Transactional tests empty the tables afterwards, so each loads what it needs itself."""
    if not Region.objects.exists():
        reference_data_load(periods=False)


def _approve(code: str, county: str, quarter: str, **components) -> None:
    record_approved(code, Region.objects.get(level="county", name=county), quarter,
                    **{k: D(v) for k, v in components.items()})


def test_two_rollups_at_once_one_proceeds_the_other_finds_nothing_to_do(loaded):
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    _approve("urban_new_jobs", "汉滨区", "2023Q1", value="1200")
    _approve("urban_new_jobs", "石泉县", "2023Q2", value="800")
    Snapshot.objects.all().delete()
    barrier, errors = threading.Barrier(2), []

    def work():
        try:
            barrier.wait()
            rollup(indicator_codes=["urban_new_jobs"], trigger="concurrent")
        except Exception as exc:  # reported below: a lost race would be an IntegrityError here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    runs = list(RollupRun.objects.filter(trigger="concurrent"))
    total = Snapshot.objects.filter(indicator__code="urban_new_jobs").count()
    assert len(runs) == 2 and all(r.status == "succeeded" for r in runs)
    assert sorted((r.created, r.unchanged) for r in runs) == [(0, total), (total, 0)]
    city = Snapshot.objects.get(indicator__code="urban_new_jobs", region__level="city", year=2023, quarter=2)
    assert city.value == D(2000)


@pytest.fixture
def celery_worker(loaded):
    need_service(settings.CELERY_BROKER_URL.startswith("redis://"), "CELERY_BROKER_URL is not a Redis URL")
    need_service(connection.vendor == "postgresql", "the worker needs a database it can share (PostgreSQL)")
    db = connection.settings_dict
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="ankang_jobs.settings.worker_test",
               DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ankang_jobs", "worker", "--pool", "solo", "--loglevel", "INFO",
         "--hostname", f"ci-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1, destination=[f"ci-{os.getpid()}@{os.uname().nodename}"]):
            assert worker.poll() is None, worker.stdout.read()
            assert time.monotonic() < deadline, "the Celery worker did not start"
        app.conf.task_always_eager = False  # for this test only: send jobs to Redis
        yield worker
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        worker.wait(30)


def test_approval_is_rolled_up_by_a_real_worker_through_redis(celery_worker):
    _approve("urban_new_jobs", "汉滨区", "2024Q1", value="1500")
    _approve("urban_new_jobs", "紫阳县", "2024Q1", value="500")
    runs = RollupRun.objects.filter(trigger="approval", status="succeeded")
    deadline = time.monotonic() + 60
    while True:
        city = Snapshot.objects.filter(indicator__code="urban_new_jobs", region__level="city", year=2024,
                                       quarter=1).first()
        # the snapshots commit per indicator, the run is recorded as finished after its last one: wait
        # for both (a snapshot can be seen a moment before its run says it succeeded)
        if city is not None and city.period_value == D(2000) and runs.count() >= 2:
            break
        assert celery_worker.poll() is None, celery_worker.stdout.read()
        assert time.monotonic() < deadline, "no snapshot and finished runs from the worker within 60 s"
        time.sleep(0.5)
    assert runs.count() == 2  # one job per approval
    assert all(not r.process.endswith(f":{os.getpid()}") for r in runs)  # run by the worker, not in-process
