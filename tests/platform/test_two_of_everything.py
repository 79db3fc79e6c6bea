"""Two of everything (docs/performance.md "Two of everything"): two web processes and two Celery
workers against one PostgreSQL and one Redis, as a deployment past one machine runs. Processes
are started and stopped here by their ids (tests/services_helpers.py); the shared servers are
never stopped. PostgreSQL and Redis are needed: skipped on the embedded default, failing in CI
(REQUIRE_SERVICES=1)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal as D

import httpx
import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from ankang_jobs.celery import app
from divisions.models import Region
from targets.models import IndicatorValue, RollupRun
from tests.conftest import PASSWORD, make_user, reference_data_load
from tests.platform.test_services import need_service
from tests.services_helpers import Gunicorn, OwnRedis, login, shared_test_database_url, wait_for
from tests.targets.test_rollup_worker import _approve

TARGET = "/dashboards/targets/urban_new_jobs/?quarter=2024Q1"


@pytest.fixture
def loaded(transactional_db):
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    if not Region.objects.exists():
        reference_data_load(periods=False)


def _city_2024q1(web: httpx.Client) -> float:
    import json

    html = web.get(TARGET).text
    marker = '<script id="chart-data" type="application/json">'
    data = json.loads(html[html.index(marker) + len(marker):html.index("</script>", html.index(marker))])
    return data["trend"]["value"][data["trend"]["quarters"].index("2024Q1")]


def _worker(env: dict, name: str) -> subprocess.Popen:
    log = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log", delete=False)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ankang_jobs", "worker", "--pool", "prefork", "--concurrency", "1",
         "--loglevel", "INFO", "--hostname", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


def test_two_web_processes_and_two_workers_no_double_rollup_no_stale_page_nothing_lost(loaded):
    """Both web processes serve the figure from their shared cache; a changed value is rolled up
    by two jobs at once on two workers, one of which is SIGKILLed mid-job: the job is run again,
    the two roll-ups never write at the same time (the second finds nothing to do), and the very
    next page on either web process shows the new figure."""
    from targets.jobs import rollup_job

    _approve("urban_new_jobs", "汉滨区", "2024Q1", value="1500")
    _approve("urban_new_jobs", "紫阳县", "2024Q1", value="500")
    make_user("two_leader", roles=[Role.LEADER])
    own = OwnRedis().start()
    env = {"DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.worker_test", "DATABASE_URL": shared_test_database_url(),
           "CELERY_BROKER_URL": own.url(0), "REDIS_URL": own.url(1), "CONN_MAX_AGE": "60"}
    webs, workers, clients, lock = [], [], [], None
    try:
        webs = [Gunicorn(env, workers=1, threads=2) for _ in range(2)]
        workers = [_worker({**os.environ, **env}, f"two{i}") for i in range(2)]
        for server in webs:
            client = httpx.Client(base_url=server.base, timeout=60)
            assert login(client, "two_leader", PASSWORD).status_code == 302, server.output()
            clients.append(client)
        assert [_city_2024q1(c) for c in clients] == [2000.0, 2000.0]
        assert [_city_2024q1(c) for c in clients] == [2000.0, 2000.0]  # now from the shared cache

        # a corrected value, approved; its roll-up is asked for twice at once (an approval and the
        # nightly run, say), and each worker takes one job
        IndicatorValue.objects.filter(indicator__code="urban_new_jobs", region__name="汉滨区", year=2024,
                                      quarter=1).update(value=D(1800))
        lock = psycopg2.connect(shared_test_database_url().replace("postgres://", "postgresql://"))
        with lock.cursor() as cur:  # both jobs stop mid-way, at the indicator's row lock
            cur.execute("SELECT id FROM targets_indicator WHERE code = 'urban_new_jobs' FOR UPDATE")
        app.conf.task_always_eager = False
        with app.connection_for_write(own.url(0)) as conn:
            for _ in range(2):
                rollup_job.apply_async(kwargs={"indicator_codes": ["urban_new_jobs"], "trigger": "two-drill"},
                                       connection=conn)
        runs = RollupRun.objects.filter(trigger="two-drill").order_by("pk")
        wait_for(lambda: runs.count() == 2, "both workers to start a roll-up", timeout=240)
        pids = {int(run.process.rsplit(":", 1)[1]) for run in runs}
        assert len(pids) == 2  # two processes at once, both inside the job
        killed = runs.first()
        time.sleep(0.5)
        os.kill(int(killed.process.rsplit(":", 1)[1]), signal.SIGKILL)
        time.sleep(5)  # the worker notices its lost process and puts the job back on the queue
        # the pages still show the figure of the last finished roll-up, on both processes
        assert [_city_2024q1(c) for c in clients] == [2000.0, 2000.0]
        lock.rollback()  # let them through
        wait_for(lambda: runs.filter(status=RollupRun.Status.SUCCEEDED).count() == 2, "both jobs to finish",
                 timeout=300)
        assert runs.count() == 3  # the killed job ran again: nothing lost
        killed.refresh_from_db()
        assert killed.status == RollupRun.Status.RUNNING and killed.finished_at is None  # it died mid-job
        done = list(runs.filter(status=RollupRun.Status.SUCCEEDED))
        # one at a time: the first through the lock wrote the change, the second found it written
        first, second = sorted(done, key=lambda run: run.unchanged)
        assert first.updated > 0, [(r.created, r.updated, r.unchanged) for r in done]
        assert (second.created, second.updated) == (0, 0) and second.unchanged == first.created + first.updated + \
            first.unchanged, [(r.created, r.updated, r.unchanged) for r in done]
        assert [_city_2024q1(c) for c in clients] == [2300.0, 2300.0]  # no stale page on either process
    finally:
        app.conf.task_always_eager = True
        if lock is not None:
            lock.close()
        for client in clients:
            client.close()
        for worker in workers:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                worker.kill()
        for server in webs:
            server.stop()
        own.stop()
