"""Two of everything (issue 19, part 4): two gunicorn processes and two Celery workers against one
PostgreSQL database and one Redis, as a deployment past one machine runs. Shown here, on real
processes started and stopped by process id:

(a) no roll-up of an indicator runs twice at once: two roll-up jobs, one on each worker, both
    wait on the indicator's row lock (the database's lock, so it holds across processes and
    machines); the one that goes second recomputes from what the first wrote and writes nothing;
(b) caches stay coherent: a return approved through web process A is on web process B's next
    dashboard request (the roll-up generation lives in Redis, not in either process);
(c) nothing is lost when a worker is killed: a whole worker (main process and pool) is SIGKILLed
    while its roll-up job waits inside; the job, never acknowledged, is given back after the
    visibility timeout (short here) and the other worker runs it to the end.

PostgreSQL and Redis are needed: skipped on the embedded default, failing in CI
(REQUIRE_SERVICES=1). The shared Redis is never touched: the drill starts its own."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal as D
from pathlib import Path

import httpx
import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from accounts.roles import Role
from ankang_jobs.celery import app
from divisions.models import Region
from reports.models import CountyReturn, ReportingPeriod
from reports.services import county_return_open, county_return_save, county_return_submit, periods_generate
from targets.models import RollupRun, Snapshot
from tests.conftest import PASSWORD, make_city_stats_officer, make_user, reference_data_load
from tests.platform.test_services import need_service
from tests.services_helpers import Gunicorn, OwnRedis, login, shared_test_database_url, wait_for
from tests.targets.test_rollup_worker import _approve

RATE = "surveyed_unemployment_rate"
VISIBILITY = 20  # seconds: longer than any job here, short enough for a drill


@pytest.fixture
def loaded(transactional_db):
    """Transactional: the servers and workers started here read what the test commits."""
    if not Region.objects.exists():
        reference_data_load(periods=False)
    periods_generate(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    ReportingPeriod.objects.filter(year=2024, quarter=3).update(locks_after=dt.date(2099, 12, 31))  # open


class Worker:
    """``celery -A ankang_jobs worker`` (prefork, one pool process), in its own process group so
    that the whole worker can be killed at once."""

    def __init__(self, name: str, env: dict[str, str]):
        self.name = f"{name}-{os.getpid()}@{os.uname().nodename}"
        self.log = Path(f"/tmp/drill-worker-{name}-{os.getpid()}.log")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ankang_jobs", "worker", "--pool", "prefork", "--concurrency", "1",
             "--loglevel", "INFO", "--hostname", self.name, "--without-gossip", "--without-mingle"],
            cwd=settings.BASE_DIR, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True)

    def ready(self) -> bool:
        assert self.process.poll() is None, self.output()
        return " ready." in self.output()

    def owns(self, pid: int) -> bool:
        """Whether ``pid`` is this worker's main process or one of its pool processes."""
        try:
            return os.getpgid(pid) == self.process.pid
        except ProcessLookupError:
            return False

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _waiting_on_a_lock(cursor) -> int:
    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                   "AND wait_event_type = 'Lock' AND query ILIKE '%%targets_indicator%%FOR UPDATE%%'")
    return cursor.fetchone()[0]


def test_two_web_processes_and_two_workers_on_one_database_and_one_redis(loaded):
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    need_service(settings.CELERY_BROKER_URL.startswith("redis://"), "CELERY_BROKER_URL is not a Redis URL")
    from targets.jobs import rollup_job

    admin = make_user("two_admin", roles=[Role.CITY_ADMIN], department="市人社局")
    make_user("two_leader", roles=[Role.LEADER])
    stats = make_city_stats_officer("two_stats")
    _approve("urban_new_jobs", "汉滨区", "2024Q1", value="1500")
    _approve("urban_new_jobs", "紫阳县", "2024Q1", value="500")
    Snapshot.objects.all().delete()  # the jobs below have everything to write
    city = Region.objects.get(level="city")

    redis = OwnRedis().start()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.worker_test",
           "DATABASE_URL": shared_test_database_url(), "CELERY_BROKER_URL": redis.url(0), "REDIS_URL": redis.url(0),
           "BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY), "DRILL_FAST_RESTORE": "1"}
    workers = [Worker("one", env), Worker("two", env)]
    webs = []
    lock = psycopg2.connect(shared_test_database_url().replace("postgres://", "postgresql://"))
    watch = psycopg2.connect(shared_test_database_url().replace("postgres://", "postgresql://"))
    watch.autocommit = True
    started = time.monotonic()
    try:
        webs = [Gunicorn(env), Gunicorn(env)]
        for w in workers:
            wait_for(w.ready, f"worker {w.name} to be ready", timeout=90)
        app.conf.task_always_eager = False

        def send(trigger: str) -> None:
            with app.connection_for_write(redis.url(0)) as conn:
                rollup_job.apply_async(kwargs={"indicator_codes": ["urban_new_jobs"], "trigger": trigger},
                                       connection=conn)

        # (a) two roll-ups of one indicator at once, one on each worker: one at a time
        with lock.cursor() as cur:  # the test holds the lock first, so both jobs are inside and waiting
            cur.execute("SELECT id FROM targets_indicator WHERE code = 'urban_new_jobs' FOR UPDATE")
        send("lock-drill")
        send("lock-drill")
        runs = RollupRun.objects.filter(trigger="lock-drill")
        wait_for(lambda: runs.count() == 2, "both workers to start a roll-up", timeout=60)
        pids = [int(r.process.rsplit(":", 1)[1]) for r in runs.all()]
        assert {i for i, w in enumerate(workers) for pid in pids if w.owns(pid)} == {0, 1}  # one on each worker
        with watch.cursor() as cur:
            wait_for(lambda: _waiting_on_a_lock(cur) == 2, "both roll-ups to wait on the indicator's lock")
        lock.rollback()
        wait_for(lambda: runs.filter(status=RollupRun.Status.SUCCEEDED).count() == 2, "both roll-ups to finish",
                 timeout=60)
        total = Snapshot.objects.filter(indicator__code="urban_new_jobs").count()
        assert total > 0
        assert sorted((r.created, r.updated, r.unchanged) for r in runs.all()) == [(0, 0, total), (total, 0, 0)]

        # (b) approved through web process A, read on web process B's next request
        r = county_return_open(region=city, period=_period(), user=stats)
        r = county_return_save(county_return=r, figures={RATE: {"value": "5.1"}}, version=r.version, user=stats)
        r = county_return_submit(county_return=r, version=r.version, user=stats)
        page = f"/dashboards/targets/{RATE}/?quarter=2024Q3"
        with httpx.Client(base_url=webs[0].base, timeout=30) as a, httpx.Client(base_url=webs[1].base,
                                                                                  timeout=30) as b:
            assert login(b, "two_leader", PASSWORD).status_code == 302
            before = b.get(page)
            assert before.status_code == 200, webs[1].output()
            assert login(a, admin.username, PASSWORD).status_code == 302
            url = f"/reports/returns/{city.code}/2024Q3/"
            token = _token(a.get(url).text)
            approved = a.post(url, data={"csrfmiddlewaretoken": token, "action": "approve", "version": r.version},
                              headers={"Referer": webs[0].base + url})
            assert approved.status_code == 302, approved.text[-2000:]
            assert CountyReturn.objects.get(pk=r.pk).state == "approved"
            wait_for(lambda: Snapshot.objects.filter(indicator__code=RATE, region=city, year=2024, quarter=3,
                                                     value=D("5.1")).exists(), "the approval's roll-up", timeout=60)
            wait_for(lambda: RollupRun.objects.filter(trigger="approval", status="succeeded").exists(),
                     "the roll-up run to close (and change the generation)", timeout=30)
            after = b.get(page)  # B's next request, after the roll-up a worker ran for A's approval
            assert after.status_code == 200
            assert _figure(before.text) is None and _figure(after.text) == 5.1

        # (c) a whole worker killed mid-job: the other worker runs the job to the end
        Snapshot.objects.filter(indicator__code="urban_new_jobs").delete()
        with lock.cursor() as cur:
            cur.execute("SELECT id FROM targets_indicator WHERE code = 'urban_new_jobs' FOR UPDATE")
        send("kill-drill")
        killed_runs = RollupRun.objects.filter(trigger="kill-drill").order_by("pk")
        first = wait_for(lambda: killed_runs.first(), "a worker to start the job", timeout=60)
        victim = next(w for w in workers if w.owns(int(first.process.rsplit(":", 1)[1])))
        survivor = next(w for w in workers if w is not victim)
        victim.kill()  # main process and pool, at once: nobody is left to reject the job
        lock.rollback()
        second = wait_for(lambda: killed_runs.filter(status=RollupRun.Status.SUCCEEDED).first(),
                          "the job to be given back and run by the other worker", timeout=VISIBILITY + 60)
        assert survivor.owns(int(second.process.rsplit(":", 1)[1])), survivor.output()
        first.refresh_from_db()
        # killed mid-job: never finished (the rerun closes it as abandoned once it is older than the
        # visibility timeout)
        assert first.status == RollupRun.Status.RUNNING or first.error.startswith("abandoned"), first.error
        assert second.created == Snapshot.objects.filter(indicator__code="urban_new_jobs").count() > 0
        city_figure = Snapshot.objects.get(plan__code="ankang-2022", indicator__code="urban_new_jobs",
                                           region=city, year=2024, quarter=1)
        assert city_figure.period_value == D(2000)
        assert time.monotonic() - started < 180, "the drill should take under three minutes"
        for w in workers:
            w.passed = True
    finally:
        app.conf.task_always_eager = True
        lock.close()
        watch.close()
        for w in workers:
            w.stop()
            if getattr(w, "passed", False):  # kept for reading after a failure
                w.log.unlink(missing_ok=True)
        for web in webs:
            web.stop()
        redis.stop()


def _period():
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def _figure(html: str) -> float | None:
    """The target page's figure for 2024Q3, from its chart data."""
    import json

    start = html.index('<script id="chart-data" type="application/json">') + len(
        '<script id="chart-data" type="application/json">')
    trend = json.loads(html[start:html.index("</script>", start)])["trend"]
    if "2024年第三季度" not in trend["quarters"]:
        return None  # no figure for the quarter yet
    return trend["value"][trend["quarters"].index("2024年第三季度")]


def _token(html: str) -> str:
    import re

    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
