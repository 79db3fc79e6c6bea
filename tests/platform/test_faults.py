"""Fault drills, on real processes started and stopped by process id here:
Redis stopped under a running gunicorn, PostgreSQL restarted under it, a Celery worker process
killed mid roll-up. PostgreSQL and Redis are needed: skipped on the embedded default, failing
in CI (REQUIRE_SERVICES=1). The shared servers are never stopped: each drill starts its own."""

from __future__ import annotations

import csv
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal as D

import httpx
import psycopg2
import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import Role
from ankang_jobs.celery import app
from api.services import api_client_create
from divisions.models import Region
from outbox.models import OutboxMessage
from reports.models import CountyReturn, ReportingPeriod
from reports.services import periods_generate
from targets.models import RollupRun, Snapshot
from tests.conftest import PASSWORD, make_user, reference_data_load
from tests.platform.test_services import need_service
from tests.services_helpers import (
    Gunicorn,
    HungBroker,
    OwnPostgres,
    OwnRedis,
    csrf,
    login,
    shared_test_database_url,
    wait_for,
)
from tests.targets.test_rollup_worker import _approve

PERIOD = "2026Q3"
HANBIN = "610902000000"


def _need_postgresql():
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")


@pytest.fixture
def loaded(transactional_db):
    """Transactional: the servers started here read what the test commits."""
    if not Region.objects.exists():
        reference_data_load(periods=False)
    periods_generate(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    ReportingPeriod.objects.filter(year=2026, quarter=3).update(locks_after=dt.date(2099, 12, 31))


def _figures() -> list[dict]:
    sample = settings.BASE_DIR / "imports" / "samples" / "county_return_2026Q4.csv"
    with open(sample, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))[1:]
    return [{"indicator": r[0], "component": r[2], "region": HANBIN, "value": r[5]} for r in rows]


# ---------------------------------------------------------------- Redis stopped

def test_with_redis_stopped_pages_logins_submissions_work_and_rollups_wait_in_the_outbox(loaded):
    _need_postgresql()
    own = OwnRedis().start()
    county = make_user("drill_county", roles=[Role.COUNTY_OFFICER], county="汉滨区")
    admin = make_user("drill_admin", roles=[Role.CITY_ADMIN], department="市人社局")
    _, key = api_client_create(name="演练", region=county.region, access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=admin)
    server = Gunicorn({"DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.worker_test",
                       "DATABASE_URL": shared_test_database_url(), "CELERY_BROKER_URL": own.url(0),
                       "REDIS_URL": own.url(1), "API_RATE_LIMIT": "3/min"})
    api = httpx.Client(base_url=server.base, headers={"Authorization": f"Api-Key {key}"}, timeout=30)
    try:
        # Redis up: the rate limit holds (so letting requests through below is the fallback's doing)
        codes = [api.get("/api/v1/indicators/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429], server.output()

        own.stop()
        assert [api.get("/api/v1/regions/").status_code for _ in range(5)] == [200] * 5, server.output()
        push = api.post(f"/api/v1/returns/{PERIOD}/values/", json={"values": _figures()})
        assert push.status_code == 200 and push.json()["written"], push.text
        version = push.json()["return_version"]
        submitted = api.post(f"/api/v1/returns/{PERIOD}/submit/", json={"version": version, "explanation": "演练"})
        assert submitted.status_code == 200, submitted.text

        web = httpx.Client(base_url=server.base, timeout=30)
        assert login(web, "drill_admin", PASSWORD).status_code == 302, server.output()
        for path in ("/reports/my/", "/dashboards/", "/targets/", f"/reports/returns/{HANBIN}/{PERIOD}/"):
            assert web.get(path).status_code == 200, (path, server.output())
        page = f"/reports/returns/{HANBIN}/{PERIOD}/"
        county_return = CountyReturn.objects.get(region=county.region, period__year=2026, period__quarter=3)
        approved = web.post(page, data={"csrfmiddlewaretoken": csrf(web, page), "action": "approve",
                                        "version": county_return.version}, headers={"Referer": server.base + page})
        assert approved.status_code == 302, (approved.status_code, server.output(60000))
        county_return.refresh_from_db()
        assert county_return.state == CountyReturn.State.APPROVED

        pending = list(OutboxMessage.objects.filter(sent_at=None))
        assert len(pending) >= 1 and {m.job for m in pending} == {"targets.rollup"}
        assert pending[0].attempts >= 1 and pending[0].last_error  # the relay tried, kept it and stopped there

        own.start()  # Redis is back (empty, as after a restart without persistence)
        relay = subprocess.run([sys.executable, "manage.py", "outbox_relay"], cwd=settings.BASE_DIR,
                               capture_output=True, text=True, timeout=60,
                               env={**os.environ, "DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.worker_test",
                                    "DATABASE_URL": shared_test_database_url(), "CELERY_BROKER_URL": own.url(0),
                                    "REDIS_URL": own.url(1)})
        assert relay.returncode == 0, relay.stderr
        assert f"sent {len(pending)}, still pending 0" in relay.stdout
        assert not OutboxMessage.objects.filter(sent_at=None).exists()
        assert redis.Redis.from_url(own.url(0)).llen("celery") == len(pending)  # on the queue for a worker
    finally:
        server.stop()
        own.stop()


# ---------------------------------------------------------------- a hung broker

def test_a_hung_broker_neither_fails_nor_holds_an_approval_and_the_job_goes_out_once_it_is_back(loaded):
    """The broker accepts connections and never answers. The approval used to
    wait on the publish for ever (and came back as an error after the worker was killed, although
    it had committed). Now every broker call is bounded (BROKER_TIMEOUT), the relay after the
    commit makes one attempt for the whole transaction, and the job waits in the outbox until the
    broker is back. "Quickly" is a bound, not a measurement: the client gives up after 20 s, the
    unbounded publish never returns."""
    _need_postgresql()
    hung, cache = HungBroker().start(), OwnRedis().start()
    county = make_user("drill_county", roles=[Role.COUNTY_OFFICER], county="汉滨区")
    admin = make_user("drill_admin", roles=[Role.CITY_ADMIN], department="市人社局")
    _, key = api_client_create(name="演练", region=county.region, access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=admin)
    env = {"DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.worker_test", "DATABASE_URL": shared_test_database_url(),
           "CELERY_BROKER_URL": hung.url(0), "REDIS_URL": cache.url(1), "BROKER_TIMEOUT": "2"}
    server = Gunicorn(env)
    back = None
    try:
        api = httpx.Client(base_url=server.base, headers={"Authorization": f"Api-Key {key}"}, timeout=20)
        push = api.post(f"/api/v1/returns/{PERIOD}/values/", json={"values": _figures()})
        assert push.status_code == 200 and push.json()["written"], push.text
        submitted = api.post(f"/api/v1/returns/{PERIOD}/submit/",
                             json={"version": push.json()["return_version"], "explanation": "演练"})
        assert submitted.status_code == 200, submitted.text

        web = httpx.Client(base_url=server.base, timeout=20)
        assert login(web, "drill_admin", PASSWORD).status_code == 302, server.output()
        page = f"/reports/returns/{HANBIN}/{PERIOD}/"
        county_return = CountyReturn.objects.get(region=county.region, period__year=2026, period__quarter=3)
        approved = web.post(page, data={"csrfmiddlewaretoken": csrf(web, page), "action": "approve",
                                        "version": county_return.version}, headers={"Referer": server.base + page})
        assert approved.status_code == 302, (approved.status_code, server.output(60000))  # success, in time
        county_return.refresh_from_db()
        assert county_return.state == CountyReturn.State.APPROVED  # committed
        pending = list(OutboxMessage.objects.filter(sent_at=None))
        assert pending and {m.job for m in pending} == {"targets.rollup"}
        # one relay for the commit, one attempt, stopped at the first timeout
        assert sum(m.attempts for m in pending) == 1 and "Timeout" in pending[0].last_error, [
            (m.attempts, m.last_error) for m in pending]
        assert web.get("/reports/my/").status_code == 200  # the worker was not held
        assert " 500 " not in server.output() and "WORKER TIMEOUT" not in server.output()

        hung.stop()
        back = OwnRedis(port=hung.port).start()  # the broker is back, where it was
        relay = subprocess.run([sys.executable, "manage.py", "outbox_relay"], cwd=settings.BASE_DIR,
                               capture_output=True, text=True, timeout=60, env={**os.environ, **env})
        assert relay.returncode == 0, relay.stderr
        assert f"sent {len(pending)}, still pending 0" in relay.stdout
        assert redis.Redis.from_url(back.url(0)).llen("celery") == len(pending)  # on the queue for a worker
    finally:
        server.stop()
        if back is not None:
            back.stop()
        hung.stop()
        cache.stop()


def test_the_outbox_is_written_in_the_transaction_and_a_rollback_sends_nothing(loaded):
    with pytest.raises(RuntimeError), transaction.atomic():
        _approve("urban_new_jobs", "汉滨区", "2023Q1", value="10")
        assert OutboxMessage.objects.filter(sent_at=None).count() == 1
        raise RuntimeError("the change fails after the job was written")
    assert not OutboxMessage.objects.exists()
    _approve("urban_new_jobs", "汉滨区", "2023Q1", value="10")  # eager in tests: sent and run after the commit
    message = OutboxMessage.objects.get()
    assert message.sent_at is not None and message.job == "targets.rollup"
    assert RollupRun.objects.filter(trigger="approval", status="succeeded").count() == 1


# ---------------------------------------------------------------- PostgreSQL restarted

def test_a_postgresql_restart_is_a_503_with_retry_after_and_the_platform_recovers_by_itself(loaded):
    _need_postgresql()
    admin = make_user("drill_admin", roles=[Role.CITY_ADMIN], department="市人社局")
    _, key = api_client_create(name="演练", region=Region.objects.get(name="汉滨区"), access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=admin)
    own = OwnPostgres().start()
    server = None
    try:
        # the drill's database: a copy of the test database (its schema, plan and users)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(own.port), "-U", "postgres", "drill"], check=True)
        dump = subprocess.Popen(["pg_dump", "--format=custom", "--no-owner", "--dbname", shared_test_database_url()
                                 .replace("postgres://", "postgresql://")], stdout=subprocess.PIPE)
        subprocess.run(["pg_restore", "--no-owner", "--dbname", own.url("drill").replace("postgres://", "postgresql://")],
                       stdin=dump.stdout, check=True)
        assert dump.wait(60) == 0
        server = Gunicorn({"DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.test", "DATABASE_URL": own.url("drill"),
                           "CONN_MAX_AGE": "600"})  # persistent connections: the harder case to recover
        web = httpx.Client(base_url=server.base, timeout=30)
        api = httpx.Client(base_url=server.base, headers={"Authorization": f"Api-Key {key}"}, timeout=30)
        assert login(web, "drill_admin", PASSWORD).status_code == 302, server.output()
        assert web.get("/reports/my/").status_code == 200
        assert api.get("/api/v1/regions/").status_code == 200

        own.stop()
        page = web.get("/reports/my/")
        assert page.status_code == 503, (page.status_code, server.output())
        assert page.headers["Retry-After"] == str(settings.DATABASE_OUTAGE_RETRY_AFTER)
        assert "服务暂时不可用" in page.text and "数据库暂时无法连接" in page.text
        for internal in ("Traceback", "OperationalError", "psycopg", "127.0.0.1", str(own.port), "drill"):
            assert internal not in page.text
        answer = api.get("/api/v1/regions/")
        assert answer.status_code == 503 and "Retry-After" in answer.headers and "detail" in answer.json()
        assert web.get("/healthz").status_code == 503

        own.start()  # same port: the running gunicorn is not told anything
        assert web.get("/reports/my/").status_code == 200, server.output()
        assert api.get("/api/v1/regions/").status_code == 200
        assert " 500 " not in server.output()
    finally:
        if server is not None:
            server.stop()
        own.remove()


def test_an_operational_error_on_a_live_connection_stays_a_500(db, rf):
    """A lock or statement timeout is not an outage: no 503 to hide a bug behind."""
    from django.db import InterfaceError, OperationalError

    from kernel.db_outage import DatabaseUnavailableMiddleware

    with connection.cursor() as cursor:  # the connection is open and usable
        cursor.execute("SELECT 1")
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    request = rf.get("/reports/my/")
    assert middleware.process_exception(request, OperationalError("canceling statement due to lock timeout")) is None
    assert middleware.process_exception(request, ValueError("not a database error")) is None
    response = middleware.process_exception(request, InterfaceError("connection already closed"))
    assert response.status_code == 503 and response["Retry-After"] == str(settings.DATABASE_OUTAGE_RETRY_AFTER)


# ---------------------------------------------------------------- a worker killed mid roll-up

@pytest.mark.parametrize("naive", [
    False,
    pytest.param(True, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=(
        "the naive control: without CELERY_TASK_REJECT_ON_WORKER_LOST the killed job is never rerun, "
        "and the drill must see that"))),
], ids=["reject-on-worker-lost", "naive-worker"])
def test_a_worker_killed_mid_rollup_has_the_job_run_again_and_the_figures_come_out_right(loaded, naive):
    """The pool process running the roll-up is SIGKILLed while it waits inside the job (on the
    indicator's row lock, which the test holds); late acknowledgement and reject-on-worker-lost
    put the job back on the queue, another pool process runs it, and the city's figure is right.
    Without CELERY_TASK_REJECT_ON_WORKER_LOST (the naive worker, an expected failure) the job is
    acknowledged as failed and never rerun."""
    _need_postgresql()
    from targets.jobs import rollup_job

    _approve("urban_new_jobs", "汉滨区", "2024Q1", value="1500")
    _approve("urban_new_jobs", "紫阳县", "2024Q1", value="500")
    Snapshot.objects.filter(indicator__code="urban_new_jobs").delete()  # the job has everything to write
    own = OwnRedis().start()
    lock = psycopg2.connect(shared_test_database_url().replace("postgres://", "postgresql://"))
    with lock.cursor() as cur:  # held until released below: the job stops mid-way, at its row lock
        cur.execute("SELECT id FROM targets_indicator WHERE code = 'urban_new_jobs' FOR UPDATE")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ankang_jobs.settings.worker_test",
           "DATABASE_URL": shared_test_database_url(), "CELERY_BROKER_URL": own.url(0), "REDIS_URL": own.url(1),
           "DRILL_NAIVE_WORKER": "1" if naive else "0"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ankang_jobs", "worker", "--pool", "prefork", "--concurrency", "1",
         "--loglevel", "INFO", "--hostname", f"drill-{os.getpid()}@%h", "--without-gossip", "--without-mingle"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    runs = RollupRun.objects.filter(trigger="kill-drill").order_by("pk")
    try:
        app.conf.task_always_eager = False
        with app.connection_for_write(own.url(0)) as conn:
            rollup_job.apply_async(kwargs={"indicator_codes": ["urban_new_jobs"], "trigger": "kill-drill"},
                                   connection=conn)
        first = wait_for(lambda: runs.first(), "the worker to start the roll-up", timeout=90)
        pid = int(first.process.rsplit(":", 1)[1])
        assert pid != worker.pid  # the pool process, not the worker's main process
        time.sleep(0.5)  # inside the job, blocked on the lock
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: runs.count() == 2, "the job to be delivered again", timeout=20 if naive else 60)
        lock.rollback()  # let it through
        wait_for(lambda: runs.filter(status=RollupRun.Status.SUCCEEDED).exists(), "the rerun to finish", timeout=60)
        first.refresh_from_db()
        second = runs.last()
        assert first.status == RollupRun.Status.RUNNING and first.finished_at is None  # killed mid-job
        assert second.status == RollupRun.Status.SUCCEEDED and second.process != first.process
        city = Snapshot.objects.get(indicator__code="urban_new_jobs", region__level="city", year=2024, quarter=1)
        assert city.period_value == D(2000)
    finally:
        app.conf.task_always_eager = True
        lock.close()
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
        own.stop()
