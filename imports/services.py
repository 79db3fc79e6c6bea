"""Imports: upload → preview → confirm, all or nothing.

``import_upload`` judges the file (the gate), keeps it with its SHA-256, reads it and previews what
it would change, without writing anything but the batch. ``import_confirm`` applies a previewed
batch — at once, or through a Celery job when it changes more than ``IMPORT_ASYNC_ROWS`` rows.
Applying re-reads the kept file, checks its hash and previews it again against the data as they
are now: a preview that no longer holds is shown again instead of being applied, and the writes
go through the apps' own services with the versions the user saw, in one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import types

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from accounts.scoping import is_city_admin, officer_county_id, officer_department_id, officer_reporting_region_id
from audit.services import audit_bulk_load
from brands.models import LabourBrand
from communities.models import Application
from divisions.models import CommunityProfile
from kernel.loading import LoadSummary
from kernel.refusals import refuse
from outbox.services import job_enqueue
from reports.models import TaskReportPart
from targets.models import IndicatorValue
from tasks.models import Plan

from . import (
    brand_kind,  # noqa: F401  (registers the labour brands' kind in IMPORTERS)
    plan_kind,  # noqa: F401  (registers the successor-plan workbook's kind in IMPORTERS)
)
from .gate import FileRefused, gate, gate_size
from .kinds import IMPORTERS, ImportFailed
from .models import ImportBatch
from .reading import read_sheets, read_table

MAX_SHOWN_ERRORS = 1000  # a file with more errors than this is not worth listing them all




def import_allowed(*, user, kind: str, region=None) -> bool:
    """Who may import what: village and community data — a county officer (their county) or the
    city administrator (any county); a county return and certification applications — that
    county's officer only (the city's own return: the city's statistics officer); task reports — a department's officer (their department's); labour brands — a county officer (their county's)."""
    if not (user.is_authenticated and user.is_active):
        return False
    county_id = officer_county_id(user)
    if kind == ImportBatch.Kind.COMMUNITY_PROFILES:
        return bool(is_city_admin(user) or county_id)
    if kind == ImportBatch.Kind.COUNTY_RETURN:  # a county's return, or the city's own (its statistics officer)
        unit_id = officer_reporting_region_id(user)
        return bool(unit_id and region is not None and unit_id == region.pk)
    if kind == ImportBatch.Kind.APPLICATIONS:
        return bool(county_id and region is not None and county_id == region.pk)
    if kind == ImportBatch.Kind.TASK_REPORTS:
        return officer_department_id(user) is not None
    if kind == ImportBatch.Kind.PLAN:
        return is_city_admin(user)
    if kind == ImportBatch.Kind.LABOUR_BRANDS:  # a county officer, their own county's brands
        return bool(county_id)
    return False


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def progress_get(batch: ImportBatch) -> dict:
    """How far a running import is: kept in the cache, since the import's own transaction is not
    visible to other connections until it commits."""
    return cache.get(progress_key(batch.pk)) or {"done": 0, "total": batch.summary.get("to_change", 0)}


@contextlib.contextmanager
def _acting_as(user):
    """History rows written outside a request (a Celery job) name the importing user."""
    context = HistoricalRecords.context
    if getattr(getattr(context, "request", None), "user", None) is not None:
        yield
        return
    context.request = types.SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def _digest(preview: dict) -> str:
    """What an apply would write: the changes, with the versions they were checked against."""
    keep = {k: preview.get(k) for k in ("changes", "figures", "version")}
    return hashlib.sha256(json.dumps(keep, sort_keys=True, default=str).encode()).hexdigest()


def _read_and_preview(*, batch: ImportBatch, user, data: bytes) -> dict:
    """Gate, read and preview; raise FileRefused for a file that cannot be read at all."""
    gated = gate(name=batch.file_name, data=data)
    batch.file_type = gated.label
    importer = IMPORTERS[batch.kind](user=user, batch=batch)
    if getattr(importer, "whole_workbook", False):  # a plan: every sheet of its workbook
        if gated.kind != "xlsx":
            raise FileRefused(_("This import reads a whole workbook (.xlsx) with the template's sheets; a CSV file "
                                "holds one sheet only. Download the template."))
        tables = read_sheets(data=data)
        batch.rows_total = sum(len(t.rows) for t in tables)
        refused = importer.template_errors(tables[0].meta if tables else {})
        if refused:
            raise FileRefused(refused)
        preview = importer.preview(tables)
        preview["errors"] = [e.as_dict() for t in tables for e in t.errors] + preview["errors"]
        preview.setdefault("notes", [])
        preview["sheet"] = ""
        return preview
    table = read_table(gated=gated, data=data)
    batch.rows_total = len(table.rows)
    refused = importer.template_errors(table.meta)
    if refused:
        raise FileRefused(refused)
    preview = importer.preview(table)
    preview["errors"] = [e.as_dict() for e in table.errors] + preview["errors"]
    preview["notes"] = table.notes + preview.get("notes", [])
    preview["sheet"] = table.sheet
    return preview


def _summarise(batch: ImportBatch, preview: dict) -> None:
    changes = preview["changes"]
    batch.preview = preview
    batch.errors = preview["errors"][:MAX_SHOWN_ERRORS]
    batch.summary = {
        "rows": batch.rows_total,
        "created": sum(c["outcome"] == "created" for c in changes),
        "updated": sum(c["outcome"] == "updated" for c in changes),
        "unchanged": preview["unchanged"], "errors": len(preview["errors"]), "to_change": len(changes),
    }
    if preview["errors"]:
        batch.state = ImportBatch.State.REFUSED
    elif not changes:
        batch.state = ImportBatch.State.UNCHANGED
    else:
        batch.state = ImportBatch.State.READY


@transaction.atomic
def import_upload(*, user, kind: str, upload, period=None, region=None, tier=None) -> ImportBatch:
    """Judge, keep and preview an uploaded file. Returns the batch: REFUSED (with the reasons),
    UNCHANGED (the platform already holds exactly this) or READY (waiting for confirmation).
    ``tier``: the tier certification applications are for; task reports are the user's
    department's."""
    if not import_allowed(user=user, kind=kind, region=region):
        raise PermissionDenied
    if kind in (ImportBatch.Kind.COUNTY_RETURN, ImportBatch.Kind.TASK_REPORTS) and period is None:
        refuse(_("A return import needs its quarter."))
    if kind == ImportBatch.Kind.APPLICATIONS and tier is None:
        refuse(_("An import of applications needs its tier."))
    options = {}
    if kind == ImportBatch.Kind.APPLICATIONS:
        options = {"tier": tier.code}
    elif kind == ImportBatch.Kind.TASK_REPORTS:
        options = {"department": user.department_id}
    name = (getattr(upload, "name", "") or "upload").rsplit("/", 1)[-1][:200]
    scope = (user.region if kind not in (ImportBatch.Kind.TASK_REPORTS, ImportBatch.Kind.PLAN) and (
        not is_city_admin(user) or kind != ImportBatch.Kind.COMMUNITY_PROFILES) else None)
    batch = ImportBatch(kind=kind, created_by=user, scope_region=scope, period=period, file_name=name, options=options,
                        file_size=upload.size or 0, file_sha256="", state=ImportBatch.State.REFUSED)
    try:
        gate_size(name=name, size=upload.size or 0)  # before a byte is read
        data = upload.read(settings.IMPORT_MAX_BYTES + 1)
        gate_size(name=name, size=len(data))  # a size that was declared wrongly
        batch.file_sha256 = hashlib.sha256(data).hexdigest()
        preview = _read_and_preview(batch=batch, user=user, data=data)
    except FileRefused as exc:
        batch.errors = [{"sheet": "", "row": 0, "column": "", "message": m} for m in exc.messages]
        batch.summary = {"errors": len(batch.errors)}
        batch.save()
        return batch
    _summarise(batch, preview)
    earlier = (ImportBatch.objects.filter(kind=kind, scope_region=scope, options=options, file_sha256=batch.file_sha256,
                                          state=ImportBatch.State.APPLIED).select_related("created_by").first())
    if earlier is not None:
        batch.summary["same_file_as"] = {"id": earlier.pk, "at": timezone.localtime(earlier.finished_at or earlier.created_at)
                                         .strftime("%Y-%m-%d %H:%M"), "by": earlier.created_by.full_name or earlier.created_by.username}
    extension = "xlsx" if batch.file_type == "xlsx" else "csv"
    batch.file.save(f"{batch.file_sha256[:20]}.{extension}", ContentFile(data), save=False)
    batch.save()
    return batch


@transaction.atomic
def import_confirm(*, batch: ImportBatch, user) -> ImportBatch:
    """Apply a previewed import: now, or (more than IMPORT_ASYNC_ROWS changes) through a Celery job
    enqueued after the commit. Only the uploader confirms, and only a READY batch."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not ImportBatch.objects.editable_by(user).filter(pk=batch.pk).exists():
        raise PermissionDenied
    if batch.state != ImportBatch.State.READY:
        refuse(_("This import is %(state)s; it cannot be confirmed."), state=batch.get_state_display())
    batch.confirmed_at = timezone.now()
    if batch.summary.get("to_change", 0) > settings.IMPORT_ASYNC_ROWS:

        batch.state = ImportBatch.State.QUEUED
        batch.save()
        cache.set(progress_key(batch.pk), {"done": 0, "total": batch.summary["to_change"]}, 24 * 3600)
        job_enqueue(job="imports.apply", kwargs={"batch_id": batch.pk})
        return batch
    batch.state = ImportBatch.State.RUNNING
    batch.save()
    return import_apply(batch=batch)


def import_apply(*, batch: ImportBatch) -> ImportBatch:
    """Re-check and apply a confirmed batch (state RUNNING); the batch ends APPLIED, FAILED (nothing
    written) or READY again with a new preview when the data changed since the one confirmed."""
    user = batch.created_by
    with _acting_as(user):
        try:
            with transaction.atomic():
                data = batch.file.open("rb").read()
                batch.file.close()
                if hashlib.sha256(data).hexdigest() != batch.file_sha256:
                    raise ImportFailed([{"sheet": "", "row": 0, "column": "", "message": _(
                        "The kept file no longer matches the one previewed; nothing was imported.")}])
                importer = IMPORTERS[batch.kind](user=user, batch=batch)

                def progress(done: int, total: int) -> None:
                    cache.set(progress_key(batch.pk), {"done": done, "total": total}, 24 * 3600)

                result = None
                if importer.version_guards_whole_preview:
                    # One version guards everything the preview read (a county return's): applying the
                    # preview as confirmed is refused if anything changed since, and only then is the
                    # file read again to show what changed. Saves reading and checking it twice.
                    try:
                        with transaction.atomic():
                            result = importer.apply(batch.preview, progress=progress)
                    except ImportFailed:
                        result = None
                if result is None:
                    fresh = _read_and_preview(batch=batch, user=user, data=data)
                    if fresh["errors"]:
                        raise ImportFailed(fresh["errors"])
                    if _digest(fresh) != _digest(batch.preview):
                        return _repreview(batch, fresh)
                    result = importer.apply(batch.preview, progress=progress)
                _audit(batch, result)
                batch.state, batch.finished_at = ImportBatch.State.APPLIED, timezone.now()
                batch.summary = {**batch.summary, **result}
                batch.save()
                return batch
        except (ImportFailed, FileRefused, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                messages = [{"sheet": "", "row": 0, "column": "", "message": _("You may no longer make this import.")}]
            elif isinstance(exc, ImportFailed):
                messages = exc.errors
            else:
                messages = [{"sheet": "", "row": 0, "column": "", "message": m} for m in exc.messages]
            batch.state, batch.finished_at = ImportBatch.State.FAILED, timezone.now()
            batch.errors = messages[:MAX_SHOWN_ERRORS]
            batch.summary = {**batch.summary, "errors": len(messages)}
            batch.save()
            return batch


def _repreview(batch: ImportBatch, fresh: dict) -> ImportBatch:
    _summarise(batch, fresh)
    batch.summary["stale_preview"] = True
    batch.confirmed_at = None
    batch.save()
    return batch


def _audit(batch: ImportBatch, result: dict) -> None:
    """One audit event naming the file (and its hash) beside each record's own history rows."""

    model = {ImportBatch.Kind.COMMUNITY_PROFILES: CommunityProfile, ImportBatch.Kind.COUNTY_RETURN: IndicatorValue,
             ImportBatch.Kind.APPLICATIONS: Application, ImportBatch.Kind.TASK_REPORTS: TaskReportPart,
             ImportBatch.Kind.PLAN: Plan, ImportBatch.Kind.LABOUR_BRANDS: LabourBrand}[batch.kind]
    summary = LoadSummary()
    for status in ("created", "updated"):
        if result.get(status):
            summary.add(model, status, result[status])
    summary.add(model, "unchanged", batch.summary.get("unchanged", 0))
    audit_bulk_load(model=model, source=f"import #{batch.pk} {batch.file_name} sha256:{batch.file_sha256}",
                    summary=summary, when=timezone.now(), actor=batch.created_by)
