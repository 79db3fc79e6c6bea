"""The Redis cache's client (kernel/cache.py): one ``redis.Redis`` per connection pool, shared by
every thread, and still degrading to a miss while Redis is down. On a Redis of the test's own
(redis-server on a free port): skipped where redis-server is missing, failing in CI
(REQUIRE_SERVICES=1)."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from kernel.cache import DegradingRedisCache
from tests.platform.test_services import need_service
from tests.services_helpers import OwnRedis


@pytest.fixture
def own_redis():
    need_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    server = OwnRedis().start()
    yield server
    server.stop()


def _cache(url: str) -> DegradingRedisCache:
    return DegradingRedisCache(url, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})


def test_every_operation_and_thread_shares_one_client_per_pool(own_redis):
    cache = _cache(own_redis.url())
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is first  # one server: reads and writes share a pool

    def roundtrip(n: int) -> int:
        cache.set(f"k{n}", n)
        return cache.get(f"k{n}")

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(roundtrip, range(200))) == list(range(200))
    assert cache._cache.get_client() is first
    assert cache.get_many(["k1", "k2", "nope"]) == {"k1": 1, "k2": 2}


def test_a_shared_client_still_degrades_while_redis_is_down_and_recovers(own_redis):
    cache = _cache(own_redis.url())
    cache.set("kept", "yes")
    assert cache.get("kept") == "yes"
    port = own_redis.port
    own_redis.stop()
    assert cache.get("kept", "missed") == "missed"  # a miss, not an error
    assert cache.set("other", 1) is None
    restarted = OwnRedis(port).start()
    try:
        cache.set("again", 2)
        assert cache.get("again") == 2  # the same client, reconnected by its pool
    finally:
        restarted.stop()
