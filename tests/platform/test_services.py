"""The real services CI runs against. With REQUIRE_SERVICES=1 (set by .ci/run) a missing
PostgreSQL or Redis fails these tests; without it (a laptop on the embedded default) they are
skipped and say why."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection


def need_service(condition: bool, what: str) -> None:
    if condition:
        return
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {what}")
    pytest.skip(f"{what} (embedded default; CI sets REQUIRE_SERVICES=1)")


def test_database_is_postgresql(db):
    need_service(connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


def test_celery_broker_is_redis_and_reachable():
    from ankang_jobs.celery import app

    need_service(settings.CELERY_BROKER_URL.startswith("redis://"), "CELERY_BROKER_URL is not a Redis URL")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=2)
        queue = f"ci-probe-{uuid.uuid4().hex}"
        simple = conn.SimpleQueue(queue)
        simple.put({"probe": queue})
        message = simple.get(timeout=5)
        assert message.payload == {"probe": queue}
        message.ack()
        simple.queue.delete()
        simple.close()


def test_cache_is_redis_and_round_trips():
    need_service("RedisCache" in settings.CACHES["default"]["BACKEND"], "the cache is not Redis")
    key = f"ci-probe-{uuid.uuid4().hex}"
    cache.set(key, "安康", 30)
    assert cache.get(key) == "安康"
    cache.delete(key)
