"""Writes of the targets engine: the indicator catalogue, county quotas, values and approvals."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from itertools import repeat
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_events_insert, changes_created_json, changes_created_row, changes_updated_row
from divisions.models import Region
from kernel.loading import LoadSummary, upsert
from kernel.pgcopy import copy_rows, next_ids
from kernel.quarters import Quarter
from kernel.refusals import refuse
from outbox.services import job_enqueue

from .models import COUNT_UNITS, Indicator, IndicatorComponent, IndicatorValue, Quota, QuotaSet, Target
from .selectors import RuleCatalogue, RuleIndicator, rule_catalogue

INDICATORS_FILE = Path(settings.BASE_DIR) / "targets" / "data" / "indicators.json"


@transaction.atomic
def indicators_load(*, path: Path = INDICATORS_FILE, summary: LoadSummary | None = None) -> LoadSummary:
    """Load the indicator catalogue (what each figure is and how it aggregates). Idempotent."""
    summary = summary if summary is not None else LoadSummary()
    reason = f"indicators_load {path.name}"
    for row in json.loads(path.read_text(encoding="utf-8"))["indicators"]:
        indicator = upsert(Indicator, summary, {"code": row["code"]}, {
            "name": row["name"], "name_en": row["name_en"], "unit": row["unit"], "kind": row["kind"],
            "direction": row["direction"], "reported_by": row["reported_by"], "period_type": row["period_type"],
            "scale": Decimal(row["scale"]).quantize(Decimal("0.01")),
            "numerator_within_denominator": row["numerator_within_denominator"],
            "description": row["description"], "order": row["order"],
            "usual_low": Decimal(row["usual_low"]).quantize(Decimal("0.01")) if row["usual_low"] else None,
            "usual_high": Decimal(row["usual_high"]).quantize(Decimal("0.01")) if row["usual_high"] else None,
        }, reason)
        for c in row["components"]:
            upsert(IndicatorComponent, summary, {"indicator": indicator, "code": c["code"]},
                   {"name": c["name"], "name_en": c["name_en"], "role": c["role"], "unit": c["unit"]}, reason)
    return summary


@transaction.atomic
def plan_targets_load(*, plan, targets: list[dict], tasks: dict, summary: LoadSummary, reason: str) -> None:
    """Load a plan's targets from its data file's ``targets`` (with the indicator catalogue they
    name); ``tasks``: the plan's tasks by number. Idempotent."""
    indicators_load(summary=summary)
    indicators = {i.code: i for i in Indicator.objects.all()}
    for t in targets:
        upsert(Target, summary, {"plan": plan, "code": t["code"]}, {
            "indicator": indicators[t["indicator"]], "name": t["name"], "name_en": t["name_en"], "category": t["category"],
            "task": tasks[t["task"]] if t["task"] else None, "direction": t["direction"],
            "value": _decimal(t["value"]), "value_max": _decimal(t["value_max"]) if t["value_max"] else None,
            "unit": t["unit"], "span": t["span"], "scope": t["scope"], "clause": t["clause"], "order": t["order"],
        }, reason)


def _decimal(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.0001"))


@transaction.atomic
def plan_targets_clone(*, source, plan, tasks: dict) -> None:
    """Copy ``source``'s targets into its successor ``plan``; ``tasks``: the successor's tasks by
    the source task's id (tasks.services.plan_clone)."""
    for target in Target.objects.filter(plan=source).order_by("order"):
        target.pk = None
        target.plan = plan
        target.task = tasks[target.task_id] if target.task_id else None
        target.save()


@transaction.atomic
def indicator_create(*, indicator: dict, components: list[dict], reason: str) -> Indicator:
    """A new indicator of the catalogue with its components (a value, or a ratio's numerator and
    denominator), e.g. one a successor plan's workbook defines. Saved row by row: history and audit."""
    if Indicator.objects.filter(code=indicator["code"]).exists():
        refuse(_("An indicator with the code %(code)s already exists."), code=indicator["code"])
    order = (Indicator.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    new = Indicator(**{"order": order, **indicator})
    new.full_clean()
    new._change_reason = reason
    new.save()
    for c in components:
        component = IndicatorComponent(indicator=new, **c)
        component.full_clean()
        component._change_reason = reason
        component.save()
    return new


@transaction.atomic
def plan_targets_create(*, plan, targets: list[dict], tasks: dict, reason: str) -> dict[str, Target]:
    """Create a new plan's targets from checked data (the successor-plan import): each with its
    indicator's ``indicator`` code and, for a task-level figure, its ``task`` number (``tasks``: the
    plan's tasks by number). Saved one by one, so each is in the history and the audit trail."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[t["indicator"] for t in targets])}
    created: dict[str, Target] = {}
    for order, t in enumerate(targets, start=1):
        target = Target(plan=plan, indicator=indicators[t["indicator"]], code=t["code"], name=t["name"],
                        category=t["category"], task=tasks[t["task"]] if t.get("task") else None,
                        direction=t["direction"], value=Decimal(t["value"]),
                        value_max=Decimal(t["value_max"]) if t.get("value_max") else None, unit=t["unit"],
                        span=t["span"], scope=t["scope"], clause=t.get("clause") or t["name"], order=order)
        target.full_clean()
        target._change_reason = reason
        target.save()
        created[target.code] = target
    return created


# Counts bounded by the registry (the division tree): a county's figure of these indicators cannot
# exceed the number of its units of that level (villages in the campaign ≤ the county's villages
# and communities; towns ≤ its towns and sub-districts).
REGISTRY_BOUNDS = {"fe_campaign_villages": (Region.Level.VILLAGE, "村（社区）"),
                   "fe_campaign_towns": (Region.Level.TOWN, "乡镇（街道）")}


def registry_counts(region: Region) -> dict[str, int]:
    """How many units of each level bounded by the registry (REGISTRY_BOUNDS) ``region`` has,
    in one query: level → count (a level it has none of: 0)."""
    from django.db.models import Count

    levels = sorted({level for level, _what in REGISTRY_BOUNDS.values()})
    counts = dict(Region.objects.filter(county_id=region.pk, level__in=levels).order_by().values_list("level")
                  .annotate(n=Count("id")).values_list("level", "n"))
    return {level: counts.get(level, 0) for level in levels}


def _component_names(indicator) -> dict[str, str]:
    """Component code → its name as users know it (read only when a figure is refused)."""
    return dict(IndicatorComponent.objects.filter(indicator_id=indicator.pk).values_list("code", "name"))


def _component_label(indicator, code: str) -> str:
    """What a refusal calls a figure: the indicator and component names (never the code)."""
    name = _component_names(indicator).get(code)
    return f"{indicator.name}（{name}）" if name else indicator.name


def figures_validate(*, indicator: Indicator | RuleIndicator, region: Region, components: dict[str, object],
                     expected: dict[str, str] | None = None, counts: dict[str, str] | None = None,
                     registry: dict[str, int] | None = None) -> dict[str, Decimal]:
    """The hard rules for one unit's figures of one indicator: who may report it, every component,
    numbers, not negative, counts whole, counts within the registry, a non-zero denominator, a part
    not above its whole. Returns the figures as Decimals; raises ValidationError (in Chinese) on the
    first broken rule. The one place these rules live: the return's form, its import and the API
    push all come here. ``counts``: component code → unit of the components that are counts (bulk
    callers pass it from the catalogue; read from the indicator otherwise). ``registry``: a dict
    the caller keeps for ``region`` across calls (bulk callers): filled with ``registry_counts``
    on first need, so the registry is counted once per save, not once per indicator."""
    if indicator.kind == Indicator.Kind.DERIVED:
        refuse(_("%(name)s is counted from records and cannot be entered."), name=indicator.name)
    if indicator.reported_by == Indicator.ReportedBy.CITY and region.level != Region.Level.CITY:
        refuse(_("%(name)s is reported for the city only, not by %(region)s."), name=indicator.name,
                region=region.name)
    if indicator.reported_by == Indicator.ReportedBy.COUNTY and region.level != Region.Level.COUNTY:
        refuse(_("%(name)s is reported by counties; %(region)s does not report it."), name=indicator.name,
                region=region.name)
    if expected is None:  # component code → role; bulk callers pass it, computed once per indicator
        expected = {c.code: c.role for c in indicator.components.all()}
    if set(components) != set(expected):
        names = _component_names(indicator)
        refuse(_("%(name)s needs exactly these figures: %(codes)s."), name=indicator.name,
                codes="、".join(names.get(code, code) for code in sorted(expected)))
    values = {}
    for code, raw in components.items():
        try:
            value = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            refuse(_("%(code)s: %(raw)s is not a number."), code=_component_label(indicator, code), raw=raw)
        if not value.is_finite():
            refuse(_("%(code)s: %(raw)s is not a number."), code=_component_label(indicator, code), raw=raw)
        if value < 0:
            refuse(_("%(code)s cannot be negative (%(value)s)."), code=_component_label(indicator, code),
                   value=value)
        values[code] = value.quantize(Decimal("0.0001"))
    if counts is None:
        counts = dict(IndicatorComponent.objects.filter(indicator_id=indicator.pk, unit__in=COUNT_UNITS)
                      .values_list("code", "unit"))
    for code, unit in counts.items():
        if code in values and values[code] != values[code].to_integral_value():
            refuse(_("%(name)s: %(code)s is a count (%(unit)s) and must be a whole number, not %(value)s."),
                   name=indicator.name, code=_component_names(indicator).get(code, code), unit=unit,
                   value=f"{values[code].normalize():f}")
    if indicator.code in REGISTRY_BOUNDS and region.level == Region.Level.COUNTY:
        level, what = REGISTRY_BOUNDS[indicator.code]
        registry = {} if registry is None else registry
        if not registry:
            registry.update(registry_counts(region))
        registered = registry[level]
        for value in values.values():
            if value > registered:
                refuse(_("%(name)s: %(value)s is more than the %(registered)s %(what)s %(region)s has in the "
                         "registry."), name=indicator.name, value=f"{value.normalize():f}", registered=registered,
                       what=what, region=region.name)
    if indicator.kind == Indicator.Kind.RATIO:
        num = next(values[c] for c, r in expected.items() if r == IndicatorComponent.Role.NUMERATOR)
        den = next(values[c] for c, r in expected.items() if r == IndicatorComponent.Role.DENOMINATOR)
        if den == 0:
            refuse(_("%(name)s: the denominator cannot be zero."), name=indicator.name)
        if indicator.numerator_within_denominator and num > den:
            refuse(_("%(name)s: the numerator (%(num)s) cannot exceed the denominator (%(den)s)."),
                    name=indicator.name, num=num, den=den)
    return values


def values_submit(*, values: Iterable[IndicatorValue], user, reason: str, when=None) -> None:
    """Send figures for review (a county return's submission: reports.services.county_return_submit);
    ``when``: the submission's time (now by default)."""
    _values_status_set(values, IndicatorValue.Status.SUBMITTED, reason=reason, submitted_by=user,
                       submitted_at=when or timezone.now())


def values_send_back(*, values: Iterable[IndicatorValue], reason: str) -> None:
    """Return figures to their unit for changes (reports.services.county_return_send_back)."""
    _values_status_set(values, IndicatorValue.Status.RETURNED, reason=reason)


def _values_status_set(values: Iterable[IndicatorValue], status: str, *, reason: str, **fields) -> None:
    """Move figures to a new status one row at a time, so each change is in the audit trail with
    its reason (a bulk UPDATE would bypass the history)."""
    for row in values:
        row.status = status
        for name, value in fields.items():
            setattr(row, name, value)
        row._change_reason = reason
        row.save()


@transaction.atomic
def values_approve(*, values: list[IndicatorValue], approver) -> int:
    """Approve submitted values; the affected snapshots are recomputed after the commit.

    Approval has one entry point, a return's review: reports.services.county_return_approve (who
    may approve, the return's state, the security log, the notification) calls this; no page, API
    or admin action approves figures otherwise."""
    pks = [v.pk for v in values]
    rows = list(IndicatorValue.objects.select_for_update().filter(pk__in=pks).select_related("indicator", "region"))
    not_submitted = [r for r in rows if r.status != IndicatorValue.Status.SUBMITTED]
    if not_submitted:
        refuse(_("Only submitted values can be approved (%(value)s is %(status)s)."),
                value=str(not_submitted[0]), status=not_submitted[0].get_status_display())
    now = timezone.now()
    for row in rows:
        row.status, row.approved_by, row.approved_at = IndicatorValue.Status.APPROVED, approver, now
        row.save()
    affected: dict[str, set[int]] = {}
    earliest: dict[str, Quarter] = {}
    for row in rows:
        affected.setdefault(row.indicator.code, set()).add(row.region.county_id or row.region_id)
        quarter = Quarter(row.year, row.quarter)
        earliest[row.indicator.code] = min(earliest.get(row.indicator.code, quarter), quarter)
    for code, county_ids in affected.items():
        rollups_enqueue(indicator_codes=[code], county_ids=county_ids, trigger="approval", since=earliest[code])
    return len(rows)


def rollups_enqueue(*, indicator_codes: Iterable[str] | None, trigger: str,
                    county_ids: Iterable[int] | None = None, since: Quarter | None = None) -> None:
    """The one way to ask for a roll-up: write a ``targets.rollup`` job to the outbox, in the
    caller's transaction, so it is sent after the commit (or when the broker is back if it is down:
    outbox/models.py) and never for a change that rolled back.

    ``indicator_codes``: the indicators to recompute (None: all); ``county_ids``: the counties whose
    figures changed (None or empty: every county, e.g. a new quota set changes every county's
    target); ``trigger``: why, recorded on the run (approval, quota, certification, admin);
    ``since``: the earliest quarter whose values changed (with ``county_ids``: only it and the
    quarters after it are recomputed; nothing earlier depends on it)."""

    codes = list(indicator_codes) if indicator_codes is not None else None
    counties = sorted(county_ids) if county_ids is not None else []
    kwargs = {"indicator_codes": codes, "county_ids": counties or None, "trigger": trigger}
    if since is not None and counties:
        kwargs["since"] = [since.year, since.number]
    job_enqueue(job="targets.rollup", kwargs=kwargs)


@transaction.atomic
def quota_set_issue(*, target: Target, quotas: dict[Region, Decimal], issued_on, user, document: str = "",
                    note: str = "") -> QuotaSet:
    """Issue a new version of a target's split across the counties (分解下达). Earlier versions
    stay; the newest counts. Quotas that do not add up are allowed (the city may hold a reserve
    or over-allocate) but are flagged wherever the set is shown (see selectors.quota_check)."""
    if any(r.level != Region.Level.COUNTY for r in quotas):
        refuse(_("Quotas are issued to counties only."))
    if any(Decimal(v) < 0 for v in quotas.values()):
        refuse(_("A quota cannot be negative."))
    last = QuotaSet.objects.select_for_update().filter(target=target).order_by("-version").first()
    quota_set = QuotaSet.objects.create(target=target, version=(last.version + 1) if last else 1, issued_on=issued_on,
                                        document=document, note=note, created_by=user)
    Quota.objects.bulk_create([Quota(quota_set=quota_set, region=r, value=Decimal(v)) for r, v in quotas.items()])
    for q in quota_set.quotas.all():  # bulk_create writes no history: record each quota in the trail
        q._change_reason = f"quota_set_issue v{quota_set.version}"
        q.save()
    if target.indicator_id:
        rollups_enqueue(indicator_codes=[target.indicator.code], trigger="quota")
    return quota_set


# Its own savepoint: a refusal raised here (ValidationError) must leave the caller's transaction
# usable (a caller may catch it and go on), with nothing of this call written.
@transaction.atomic
def values_bulk_record(*, region: Region, quarter: Quarter, figures: dict[str, dict[str, object]], user,
                       source: str = IndicatorValue.Source.FORM, source_ref: str = "",
                       catalogue: RuleCatalogue | None = None, use_copy: bool | None = None,
                       checked: bool = False) -> dict[str, int]:
    """Save many indicators' figures of one unit and quarter as drafts in a fixed number of
    queries: every rule of ``figures_validate`` per indicator (all errors reported, nothing written
    if any), approved figures locked, and each created or changed row kept in the history and the
    audit trail like a single save. Returns counts of created, updated and unchanged figures.

    ``catalogue``: the indicators the caller already read (``selectors.rule_catalogue``); a code not
    in it is refused. Rows are handled as plain dicts (attname → value), not model instances. On
    PostgreSQL (``use_copy`` defaults to it) the values, their history rows and audit events are
    written with COPY; elsewhere with bulk_create/bulk_update; both write the same rows.

    ``checked``: the caller has just run ``figures_validate`` on exactly these figures for this
    unit (reports.services.county_return_save given a preview's ``CheckedFigures``), and they are
    its Decimals: the rules are not run a second time."""
    from django.db import connection


    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    use_copy = use_copy and getattr(user, "pk", None) is not None  # simple-history's default user otherwise
    catalogue = catalogue or rule_catalogue()
    indicators = {code: catalogue.indicators[code] for code in figures if code in catalogue.indicators}
    by_id = {i.id: i.code for i in indicators.values()}
    component_rows = catalogue.components
    component_codes = {pk: code for comps in component_rows.values() for code, (pk, _role) in comps.items()}
    errors: dict[str, list[str]] = {}
    validated: dict[str, dict[str, Decimal]] = {}
    registry: dict[str, int] = {}
    for code, components in figures.items():
        if code not in indicators:
            errors[code] = [_("%(code)s is not an indicator counties report.") % {"code": code}]
            continue
        if checked:
            validated[code] = components
            continue
        try:
            validated[code] = figures_validate(
                indicator=indicators[code], region=region, components=components,
                expected={c: role for c, (_pk, role) in component_rows[code].items()},
                counts=catalogue.counts.get(code, {}), registry=registry)
        except ValidationError as exc:
            errors[code] = exc.messages
    if errors:
        raise ValidationError(errors)
    # of=self: lock only the figures, not the shared indicator rows other counties write against too.
    attnames = [f.attname for f in IndicatorValue._meta.concrete_fields]
    # The unit's whole quarter is read and locked (a 10,000-id IN list costs Django more than the
    # rows); only the figures of the indicators given are compared.
    existing = {(row["indicator_id"], row["component_id"]): row for row in (
        dict(zip(attnames, values, strict=True)) for values in IndicatorValue.objects.select_for_update(of=("self",))
        .filter(region=region, year=quarter.year, quarter=quarter.number).order_by().values_list(*attnames))
        if row["indicator_id"] in by_id}
    locked = sorted({indicators[by_id[r["indicator_id"]]].name for r in existing.values()
                     if r["status"] == IndicatorValue.Status.APPROVED})
    if locked:
        refuse(_("%(name)s for %(region)s %(quarter)s is approved and locked; ask for a correction."),
                name="、".join(locked), region=region.name, quarter=quarter.label)
    now = timezone.now()
    draft = IndicatorValue.Status.DRAFT
    to_create, to_update, audit_rows, unchanged = [], [], [], 0
    for code, values in validated.items():
        indicator_id = indicators[code].id
        components = component_rows[code]
        for component_code, value in values.items():
            component_id = components[component_code][0]
            row = existing.get((indicator_id, component_id))
            if row is None:
                to_create.append({
                    "id": None, "indicator_id": indicator_id, "component_id": component_id, "region_id": region.pk,
                    "year": quarter.year, "quarter": quarter.number, "value": value, "status": draft,
                    "source": source, "source_ref": source_ref, "submitted_by_id": None, "submitted_at": None,
                    "approved_by_id": None, "approved_at": None, "version": 1})
            elif row["value"] != value or row["status"] != draft or row["source_ref"] != source_ref:
                old = {"value": row["value"], "status": row["status"], "source": row["source"],
                       "source_ref": row["source_ref"]}
                row = {**row, "value": value, "status": draft, "source": source, "source_ref": source_ref,
                       "version": row["version"] + 1}
                to_update.append(row)
                audit_rows.append((row, "changed", changes_updated_row(IndicatorValue, row, old)))
            else:
                unchanged += 1
    reason = source_ref or "values_bulk_record"
    write = _values_write_copy if use_copy else _values_write_generic
    write(to_create=to_create, to_update=to_update, user=user, reason=reason, when=now)
    if use_copy:  # the same changes as JSON text, encoded in one pass
        audit_rows += zip(to_create, repeat("created"), changes_created_json(IndicatorValue, to_create))
    else:
        audit_rows += [(row, "created", changes_created_row(IndicatorValue, row)) for row in to_create]
    _values_audit(audit_rows, codes=by_id, component_codes=component_codes, user=user, reason=reason, when=now,
                  copy=use_copy)
    return {"created": len(to_create), "updated": len(to_update), "unchanged": unchanged}


def _values_audit(rows: list[tuple[dict, str, list[dict]]], *, codes: dict[int, str], component_codes: dict[int, str],
                  user, reason: str, when, copy: bool) -> None:
    """One audit event per created or changed figure, named as ``IndicatorValue.__str__`` names it."""

    if not rows:
        return
    audit_events_insert(model=IndicatorValue, rows=[
        (row["id"], IndicatorValue.describe(indicator_code=codes[row["indicator_id"]], region_id=row["region_id"],
                                            year=row["year"], quarter=row["quarter"],
                                            component_code=component_codes[row["component_id"]], value=row["value"]),
         action, changes) for row, action, changes in rows], actor=user, reason=reason, when=when, copy=copy)


def _values_write_generic(*, to_create: list[dict], to_update: list[dict], user, reason: str, when) -> None:
    """bulk_create / bulk_update with simple-history's bulk helpers; sets each created row's id."""
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    if to_create:
        instances = [IndicatorValue(**{k: v for k, v in row.items() if k != "id"}) for row in to_create]
        bulk_create_with_history(instances, IndicatorValue, batch_size=2000, default_user=user,
                                 default_change_reason=reason, default_date=when)
        for row, instance in zip(to_create, instances, strict=True):  # PostgreSQL and SQLite ≥ 3.35 set pks
            row["id"] = instance.pk
    if to_update:
        instances = [IndicatorValue(**row) for row in to_update]
        bulk_update_with_history(instances, IndicatorValue, ["value", "status", "source", "source_ref", "version"],
                                 batch_size=2000, default_user=user, default_change_reason=reason, default_date=when)


# Up to this many changed figures are sent as arrays in one UPDATE; more are COPYed into a temporary
# table first (four round trips, but no statement text growing with the rows).
UPDATE_BY_ARRAYS = 1000


def _values_write_copy(*, to_create: list[dict], to_update: list[dict], user, reason: str, when) -> None:
    """PostgreSQL: new figures COPYed with ids reserved from the sequence; changed figures COPYed
    into a temporary table and applied with one UPDATE … FROM; the history rows COPYed exactly as
    simple-history's bulk_history_create would write them."""
    from django.conf import settings
    from django.db import connection


    table = IndicatorValue._meta.db_table
    attnames = [f.attname for f in IndicatorValue._meta.concrete_fields]
    if to_create:
        for row, pk in zip(to_create, next_ids(table, len(to_create)), strict=True):
            row["id"] = pk
        copy_rows(table, attnames, ([row[a] for a in attnames] for row in to_create))
    if to_update and len(to_update) <= UPDATE_BY_ARRAYS:  # one statement, the rows as arrays
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS t SET value = c.value, status = c.status, source = c.source, "
                f"source_ref = c.source_ref, version = c.version FROM unnest(%s::bigint[], %s::numeric[], %s::text[], "
                f"%s::text[], %s::text[], %s::integer[]) AS c (id, value, status, source, source_ref, version) "
                f"WHERE t.id = c.id",
                [[r[k] for r in to_update] for k in ("id", "value", "status", "source", "source_ref", "version")])
    elif to_update:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE values_changed (id bigint, value numeric, status text, source text, "
                           "source_ref text, version integer) ON COMMIT DROP")
            copy_rows("values_changed", ("id", "value", "status", "source", "source_ref", "version"),
                      ((r["id"], r["value"], r["status"], r["source"], r["source_ref"], r["version"])
                       for r in to_update))
            cursor.execute(f"UPDATE {table} AS t SET value = c.value, status = c.status, source = c.source, "
                           f"source_ref = c.source_ref, version = c.version FROM values_changed AS c WHERE t.id = c.id")
            cursor.execute("DROP TABLE values_changed")
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = IndicatorValue.history.model
    tracked = [f.attname for f in history.tracked_fields]
    for kind, rows in (("+", to_create), ("~", to_update)):
        copy_rows(history._meta.db_table, tracked, ([row[a] for a in tracked] for row in rows), constants={
            "history_date": when, "history_change_reason": reason, "history_type": kind, "history_user_id": user.pk})


def values_withdraw(*, values: Iterable[IndicatorValue], reason: str) -> None:
    """Figures of a return its unit withdrew before review (reports.services.county_return_withdraw):
    drafts again."""
    _values_status_set(values, IndicatorValue.Status.DRAFT, reason=reason)
