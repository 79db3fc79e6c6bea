"""Compute once, serve many: the dashboards' figures cached per roll-up generation and per scope.

Everything cached here is read from snapshots (and the quotas and targets a roll-up reads), so it
changes only when a roll-up runs — and every roll-up changes the generation (targets/generation.py).
The first request after a roll-up computes; the others read. A key names the generation, the
plan, the reader's scope (the whole city, one county, or one role's view), the language and
whatever the page was asked for, so a county officer's entry is never another county's, and a
page in English never serves the Chinese one.

Whole pages (``cached_page``) are cached under two generations: the roll-up's and the reporting
records' (kernel/generations.py: a return submitted, a task report reviewed, an instruction closed,
a certification granted moves it; dashboards/apps.py connects it), and the day, since what is due
or overdue changes with it. A warm request then costs the reader's own lookups (session, the user
with their roles, notifications badge, plan switcher) and one read of the cache: both generations
and the page together.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from accounts.scoping import officer_county_id, sees_whole_city
from kernel.generations import RECORDS, generations_with
from targets.generation import KEY as ROLLUP_KEY
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


# ---------------------------------------------------------------- whole pages: the body, its charts and tables


@dataclass
class CachedPage:
    """What a dashboard page computed, ready to serve: its body (the ``dashboard`` block, rendered,
    as UTF-8 bytes spliced into the response as they are), its chart data (the ``<script
    type="application/json">`` elements, likewise), the few objects its frame names (the plan for
    the switcher, the title's target, county or quarter) and its tables (for the exports: kept in
    an entry of their own, read only when a file is asked for). The navigation, the notifications
    badge and the plan switcher are each reader's own: rendered around it on every request, never
    cached."""

    body: bytes
    scripts: bytes
    stem: str
    frame: dict
    tables: list | None = None


IGNORED_PARAMS = ("export", "format")  # an export reads the tables of the page's own entry


def page_key(request, name: str, *, per_user: bool = False) -> str:
    """The day (what is due or overdue changes with it), the reader's scope and roles (what the
    page may show them), the language and the address asked for (its plan, quarter, period…); the
    reader's own id only where the page shows something of theirs (``per_user``). The generations
    are not in the key but in the entry (``cached_page``)."""
    user = request.user
    params = sorted((k, v) for k, values in request.GET.lists() if k not in IGNORED_PARAMS for v in values)
    raw = "|".join(str(p) for p in (
        name, timezone.localdate().isoformat(), scope_of(user), ",".join(sorted(user.role_codes)),
        user.pk if per_user else "", get_language() or "", request.path, params))
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_page(request, name: str, compute: Callable[[], CachedPage], *, per_user: bool = False,
                tables: bool = False) -> CachedPage:
    """The page from the cache (with its tables if ``tables``), or ``compute()`` (which may raise
    Http404: nothing is cached then).

    Each entry holds the roll-up's and the reporting records' generations read before its page was
    computed, and is served only while both are still those: the generations and the entry are
    read in one round trip. A roll-up or a reporting change makes every entry stale at once; the
    next request computes and puts its page in the same place. Two requests racing across a change
    can only leave an entry of the older generations there, which the next request recomputes —
    never serves."""
    key = page_key(request, name, per_user=per_user)
    entries = (key, key + ":tables") if tables else (key,)
    generations, found = generations_with((ROLLUP_KEY, RECORDS), entries)
    if all(found.get(entry, (None,))[0] == generations for entry in entries):
        page = found[key][1]
        return replace(page, tables=found[key + ":tables"][1]) if tables else page
    page = compute()
    cache.set_many({key: (generations, replace(page, tables=None)), key + ":tables": (generations, page.tables)},
                   TIMEOUT)
    return page
