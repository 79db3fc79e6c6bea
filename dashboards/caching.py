"""Compute once, serve many: the dashboards' figures cached per roll-up generation and per scope.

Everything cached here is read from snapshots (and the quotas and targets a roll-up reads), so it
changes only when a roll-up runs — and every roll-up changes the generation (targets/generation.py).
The first request after a roll-up computes; the others read. A key names the generation, the
plan, the reader's scope (the whole city, one county, or one role's view), the language and
whatever the page was asked for, so a county officer's entry is never another county's, and a
page in English never serves the Chinese one.

Reporting records that no roll-up follows (returns submitted, task reports, deadlines) are not
cached: the pages read them live.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.utils.translation import get_language

from accounts.scoping import officer_county_id, sees_whole_city
from targets.generation import generation_current

T = TypeVar("T")
TIMEOUT = 24 * 3600  # an entry outlives its generation only until then; a roll-up makes it unreachable at once


def scope_of(user) -> str:
    """Whose view this is: every reader who sees the whole city shares one; anyone else's is their
    own county, town or department with their roles (what the querysets' ``for_user`` looks at)."""
    if sees_whole_city(user):
        return "city"
    roles = ",".join(sorted(user.role_codes))
    return f"county={officer_county_id(user)};region={user.region_id};dept={user.department_id};roles={roles}"


def key_for(name: str, *, user, plan, parts: tuple = ()) -> str:
    raw = "|".join(str(p) for p in (name, generation_current(), plan.pk, scope_of(user), get_language() or "", *parts))
    return "dash:" + hashlib.sha256(raw.encode()).hexdigest()


def per_generation(name: str, *, user, plan, parts: tuple = (), compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned for the same key since the last roll-up."""
    key = key_for(name, user=user, plan=plan, parts=parts)
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    cache.set(key, value, TIMEOUT)
    return value
