"""Bulk writes for imports that the apps' single-record services would make too slow.

``community_profiles_bulk_save`` applies communities.services.community_profile_save's rules to
many villages and communities at once — the user may edit each one (``Region.editable_by``), each
profile is locked and its version checked (a stale one is refused naming who changed it), the
version goes up by one (two for a new profile, as get_or_create then save does), who and when are
recorded, and every created or changed profile gets its history row and audit event — in a fixed
number of queries per chunk instead of about eight per row (1,924 rows: 21 s → see
docs/benchmarks.md). It belongs beside community_profile_save in communities/services.py; it is
here only to keep this branch's edits to the communities app (being changed in parallel) minimal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from communities.models import CommunityProfile, Region
from kernel.versioning import refuse_if_stale

FIELDS = ["households", "population", "is_relocation", "version", "updated_by", "updated_at"]


class RowRefused(Exception):
    def __init__(self, change: dict, exc: Exception):
        super().__init__(str(exc))
        self.change, self.exc = change, exc


@transaction.atomic
def community_profiles_bulk_save(*, changes: list[dict], user, reason: str) -> None:
    """``changes``: dicts with ``code``, ``version`` (seen by the user; 1 for a profile not yet
    recorded) and ``new`` (households, population, is_relocation, already read as whole numbers
    and a boolean). Raises RowRefused naming the first row refused; nothing is written then."""
    from audit.services import audit_events_bulk, changes_created, changes_updated

    codes = [c["code"] for c in changes]
    regions = {r.code: r for r in Region.objects.editable_by(user).filter(level=Region.Level.VILLAGE, code__in=codes)}
    existing = {p.region_id: p for p in CommunityProfile.objects.select_for_update(of=("self",))
                .select_related("updated_by", "region").filter(region__code__in=codes)}
    now = timezone.now()
    to_create, to_update, audit_rows = [], [], []
    for change in changes:
        region = regions.get(change["code"])
        if region is None:
            raise RowRefused(change, PermissionDenied())
        new = change["new"]
        for name in ("households", "population"):
            if new[name] is not None and (not isinstance(new[name], int) or new[name] < 0):
                raise RowRefused(change, ValueError(name))
        profile = existing.get(region.pk)
        if profile is None:
            if change["version"] != 1:  # it was recorded when previewed and has gone since
                raise RowRefused(change, PermissionDenied())
            to_create.append(CommunityProfile(region=region, households=new["households"], population=new["population"],
                                              is_relocation=bool(new["is_relocation"]), version=2, updated_by=user,
                                              updated_at=now))
            continue
        try:
            refuse_if_stale(profile, change["version"])
        except Exception as exc:
            raise RowRefused(change, exc) from exc
        old = {name: getattr(profile, name) for name in ("households", "population", "is_relocation")}
        profile.households, profile.population = new["households"], new["population"]
        profile.is_relocation = bool(new["is_relocation"])
        profile.version += 1
        profile.updated_by, profile.updated_at = user, now
        to_update.append(profile)
        audit_rows.append((profile, "changed", changes_updated(profile, old)))
    if to_create:
        bulk_create_with_history(to_create, CommunityProfile, batch_size=1000, default_user=user,
                                 default_change_reason=reason, default_date=now)
        audit_rows += [(p, "created", changes_created(p)) for p in to_create]
    if to_update:
        bulk_update_with_history(to_update, CommunityProfile, FIELDS, batch_size=1000, default_user=user,
                                 default_change_reason=reason, default_date=now)
    audit_events_bulk(rows=audit_rows, actor=user, reason=reason, when=now)
