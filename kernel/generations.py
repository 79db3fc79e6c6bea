"""A generation number in the shared cache that a kind of change moves forward.

Pages cache what they computed under the numbers they read before computing; a change moves its
number, so every web process, on every machine, computes afresh once and then reads again. The
number lives in the shared cache (Redis), never in one process's memory. With no number in the
cache (Redis restarted, the key evicted) a new one is drawn from the clock, which no earlier entry
carries; with Redis down every read is a miss (kernel/cache.py).

``RECORDS`` moves whenever a record the dashboards read live changes (a return submitted, a task
report reviewed, an instruction closed, a certification granted…: dashboards/apps.py connects it
to those models' saves and deletes; bulk writes call ``generation_bump(RECORDS)`` themselves). The
roll-up's own number is targets/generation.py.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

RECORDS = "kernel:records-generation"


def generations_current(*keys: str) -> tuple[int, ...]:
    """The numbers now, read in one round trip: read them before computing anything cached under them."""
    return generations_with(keys)[0]


def generations_with(keys: tuple[str, ...], entries: tuple[str, ...] = ()) -> tuple[tuple[int, ...], dict]:
    """The numbers now and, in the same round trip, the cache's ``entries`` (those it holds): a
    cached page and the generations it must have been computed under, read together."""
    found = cache.get_many([*keys, *entries])
    return _numbers(keys, found), {key: found[key] for key in entries if key in found}


def _numbers(keys: tuple[str, ...], found: dict) -> tuple[int, ...]:
    values = []
    for key in keys:
        value = found.get(key)
        if value is None:
            value = time.time_ns()
            if not cache.add(key, value, timeout=None):  # another process drew one first: theirs counts
                value = cache.get(key, value)
        values.append(value)
    return tuple(values)


def generation_bump(key: str) -> None:
    """Now, and again once the surrounding transaction (if any) commits, so that no page caches
    what it read before the commit under the new number (once per transaction, however many
    records it writes)."""
    _bump(key)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(isinstance(entry[1], _AtCommit) and entry[1].key == key
                                          for entry in connection.run_on_commit):
        return
    transaction.on_commit(_AtCommit(key))


class _AtCommit:
    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self) -> None:
        _bump(self.key)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # no number yet (or the cache is down): a fresh one
        cache.set(key, time.time_ns(), timeout=None)
