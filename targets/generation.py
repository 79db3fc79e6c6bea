"""The roll-up generation: a number in the shared cache that every finished roll-up changes.

Pages that show snapshots (the dashboards) cache what they computed under the generation they
read before computing, so after a roll-up every web process, on every machine, computes afresh
once and then reads: the number lives in the shared cache (Redis), never in one process's
memory. With no number in the cache (Redis restarted, the key evicted) a new one is drawn from
the clock, which no earlier entry carries; with Redis down every read is a miss and pages compute
as they would without a cache (kernel/cache.py).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

KEY = "targets:rollup-generation"


def generation_current() -> int:
    """The generation now: read it before computing anything cached under it."""
    value = cache.get(KEY)
    if value is None:
        value = time.time_ns()
        if not cache.add(KEY, value, timeout=None):  # another process drew one first: theirs counts
            value = cache.get(KEY, value)
    return value


def generation_bump() -> None:
    """Called by the roll-up when it has written: now, and again once the surrounding transaction
    (if any) commits, so that no page caches the figures from before the commit under the new number."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(KEY)
    except ValueError:  # no number yet (or the cache is down): a fresh one
        cache.set(KEY, time.time_ns(), timeout=None)
