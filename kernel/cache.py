"""A Redis cache that degrades instead of failing while Redis is down.

Nothing the platform keeps in the cache is the only copy of anything: rate-limit counters, an
import's progress bar. So with Redis stopped a read is a miss, a write is dropped and the
failure is logged (once per call, at WARNING): pages, logins and submissions go on, rate limits
let requests through (api/throttling.py), and an import's progress bar shows 0 until Redis is
back. Sessions are in the database, not here.
"""

from __future__ import annotations

import functools
import logging

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)

UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def _degrades(fallback):
    def wrap(method):
        @functools.wraps(method)
        def degraded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as exc:
                log.warning("cache unavailable, %s degraded: %s", method.__name__, exc)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return degraded

    return wrap


def _missing(*args, **kwargs):
    raise ValueError("Key not found (the cache is unavailable)")


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every operation, and in redis-py 8 that
    costs ~150 µs — as much as the GET it serves (a cached dashboard makes two). One client per
    connection pool serves every thread: redis-py's clients are thread-safe (each command takes a
    connection from the pool and gives it back), and a pool reconnects in a forked process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    @_degrades(False)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_degrades(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degrades(None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_degrades(False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_degrades(False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrades(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrades(False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_degrades(_missing)  # as for a missing key: callers of incr() handle ValueError already
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrades(lambda data, timeout=DEFAULT_TIMEOUT, version=None: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_degrades(None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degrades(False)
    def clear(self):
        return super().clear()
