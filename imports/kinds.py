"""The import kinds: which columns each file has, how its rows are checked against the platform
(the preview), and how the checked changes are written through the same services as the forms.

A preview is plain JSON (kept on the batch): ``changes`` (one per row that would create or change
something, with the old and new values and the version of the record it was checked against),
``unchanged`` (a count), ``errors`` (sheet, row, column, message) and ``notes``. Applying a preview
calls the services with the versions recorded in it, so a record changed by someone else between
preview and confirmation is refused (and with it the whole import).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from accounts.roles import Role
from accounts.scoping import is_city_admin, officer_county_id, officer_reporting_region_id
from communities.models import Application, ApplicationCheck, Tier
from communities.pipeline import application_checklist_save, application_create
from divisions.models import CommunityProfile, Region
from divisions.services import RowRefused, community_profiles_bulk_save
from kernel.refusals import Locked
from kernel.versioning import Conflict
from reports.models import CountyReturn, TaskReport, TaskReportPart
from reports.services import (
    county_return_open,
    county_return_preview,
    county_return_save,
    period_closed_message,
    period_is_open_for,
    reported_by,
    return_catalogue,
    task_part_open,
    task_part_save,
    task_report_open,
    task_report_save,
)
from targets.models import Indicator, IndicatorComponent, IndicatorValue
from tasks.models import Responsibility, Task
from tasks.selectors import plan_current_for_user

from .reading import FULL_WIDTH, CellError, Table
from .resources import (
    ApplicationResource,
    CommunityProfileResource,
    CountyReturnResource,
    TaskReportResource,
    county_named_error,
)

Progress = Callable[[int, int], None]


class ImportFailed(Exception):
    """Applying the import was refused; the transaction rolls back and nothing is written.
    ``errors``: located messages (sheet, row, column, message)."""

    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors


def _norm_header(text: str) -> str:
    return re.sub(r"[\s*＊]", "", text.translate(str.maketrans("（）", "()"))).lower()


class Importer:
    kind: str = ""
    # True when one version (checked by the services when applying) covers every record the
    # preview read, so a confirmation can apply the preview straight away and re-read the file
    # only if that version moved (imports/services.py: import_apply).
    version_guards_whole_preview = False
    # field → (header aliases, required)
    columns: dict[str, tuple[tuple[str, ...], bool]] = {}

    def __init__(self, *, user, batch):
        self.user, self.batch = user, batch

    # ------------------------------------------------------------ columns
    def map_columns(self, table: Table) -> tuple[dict[str, int], list[CellError]]:
        aliases = {_norm_header(a): f for f, (names, _required) in self.columns.items() for a in names}
        found: dict[str, int] = {}
        errors: list[CellError] = []
        for index, text in enumerate(table.header):
            name = aliases.get(_norm_header(text)) if text else None
            if name is None:
                continue
            if name in found:
                errors.append(CellError(table.sheet, table.header_row, get_column_letter(index + 1),
                                        _("the column %(header)s appears twice") % {"header": text}))
            found[name] = index
        missing = [names[0] for f, (names, required) in self.columns.items() if required and f not in found]
        if missing:
            errors.append(CellError(table.sheet, table.header_row, "", _(
                "the header row lacks the columns %(names)s (the first row with anything in it is read as the "
                "header)") % {"names": "、".join(missing)}))
        return found, errors

    @staticmethod
    def cell(cells: list, index: int | None):
        if index is None or index >= len(cells):
            return None
        return cells[index]

    @staticmethod
    def letter(index: int | None) -> str:
        return get_column_letter(index + 1) if index is not None else ""

    # ------------------------------------------------------------ the user's county
    def county_column_error(self, raw, county: Region | None) -> str | None:
        return county_named_error(raw, county)

    # ------------------------------------------------------------ the platform's templates
    def template_errors(self, meta: dict) -> list[str]:
        """A workbook made from one of the platform's templates names, in its hidden sheet, what it
        was made for; a template of another kind, county, department or quarter is refused."""
        return self._template_mismatch(meta)

    def _template_mismatch(self, meta: dict, **expected: tuple[str, str]) -> list[str]:
        from .templates import TEMPLATE_VERSION

        if not meta:
            return []  # not made from a template: any file with the right columns is read
        kind = meta.get("kind", "")
        if kind not in expected:
            return [_("This workbook is the platform's template for %(kind)s; it cannot be imported here.") % {
                "kind": meta.get("kind_label") or kind}]
        if meta.get("version") != TEMPLATE_VERSION:
            return [_("This template is of an older version (%(version)s); download the template again and copy "
                      "your figures into it.") % {"version": meta.get("version") or "—"}]
        scope, period = expected[kind]
        if (meta.get("scope", ""), meta.get("period", "")) != (scope, period):
            return [_("This template was made for %(made_for)s; this import is for %(this)s. Download the template "
                      "from this page.") % {"made_for": meta.get("label") or "—", "this": self.scope_label()}]
        return []

    def scope_label(self) -> str:
        batch = self.batch
        parts = [str(p) for p in (batch.scope_region.name if batch.scope_region else "",
                                  batch.period.label if batch.period else "") if p]
        return " ".join(parts)

    def preview(self, table: Table) -> dict:
        raise NotImplementedError

    def apply(self, preview: dict, *, progress: Progress) -> dict:
        raise NotImplementedError


def _code_text(raw) -> str:
    """An NBS code as text: Excel may have stored 610902001001 as a number."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).translate(FULL_WIDTH).strip() if raw is not None else ""


class CommunityProfileImporter(Importer):
    """Village and community data (CommunityProfile): households, population, relocation, keyed by
    the NBS code. Rows are cleaned and mapped by imports.resources.CommunityProfileResource; the
    rules are divisions.services.community_profile_save's, applied in bulk by community_profiles_bulk_save: a
    county officer imports their own county's villages and communities; the city administrator any
    county's."""

    kind = "community_profiles"
    resource_class = CommunityProfileResource
    columns = {
        "code": (("统计用区划代码", "区划代码", "代码", "NBS code", "code"), True),
        "name": (("名称", "村（社区）名称", "村（社区）", "name"), False),
        "county": (("县（市、区）", "所属县（市、区）", "县区", "county"), False),
        "households": (("户数", "households"), True),
        "population": (("人口", "人口数", "population"), True),
        "is_relocation": (("易地搬迁社区", "是否易地搬迁社区", "relocation community", "is_relocation"), True),
    }

    def preview(self, table: Table) -> dict:
        cols, errors = self.map_columns(table)
        if errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        context = {
            "own_county": None if is_city_admin(self.user) else self.user.region,
            "villages": {r.code: r for r in Region.objects.filter(level=Region.Level.VILLAGE).select_related("county")},
            "editable": set(Region.objects.editable_by(self.user).filter(level=Region.Level.VILLAGE)
                            .values_list("pk", flat=True)),
            "profiles": {p.region_id: p for p in CommunityProfile.objects.all()},
        }
        resource = self.resource_class(user=self.user, batch=self.batch, context=context)
        row_errors, _bad = resource.run(table, cols)
        return {"changes": resource.changes, "unchanged": resource.unchanged,
                "errors": [e.as_dict() for e in row_errors]}

    def apply(self, preview: dict, *, progress: Progress) -> dict:

        changes = preview["changes"]
        sheet = preview.get("sheet", "")
        reason = f"import #{self.batch.pk} {self.batch.file_name}"[:300]
        for start in range(0, len(changes), CHUNK):  # all chunks in the caller's one transaction
            try:
                community_profiles_bulk_save(changes=changes[start:start + CHUNK], user=self.user, reason=reason)
            except RowRefused as refused:
                change, exc = refused.change, refused.exc
                if isinstance(exc, Conflict):
                    message = _("%(name)s was changed after your preview: %(detail)s") % {
                        "name": change["name"], "detail": " ".join(exc.messages)}
                elif isinstance(exc, ValidationError):
                    message = " ".join(exc.messages)
                else:
                    message = _("you may no longer change %(name)s") % {"name": change["name"]}
                raise ImportFailed([{"sheet": sheet, "row": change["row"], "column": "", "message": message}]) from exc
            progress(min(start + CHUNK, len(changes)), len(changes))
        return {"created": sum(c["outcome"] == "created" for c in changes),
                "updated": sum(c["outcome"] == "updated" for c in changes)}


CHUNK = 500  # rows per bulk write: the progress bar moves between chunks


class CountyReturnImporter(Importer):
    """A county's figures for one quarter (indicator code, component code, value), written through
    reports.services.county_return_save — the same rules, locks, versions, history and audit as the
    return's form and the API push. The county is the officer's; the quarter is the page's. Rows
    are cleaned by imports.resources.CountyReturnResource; the figures of one indicator are
    checked together by reports.services.county_return_preview, the dry run the API's push uses
    too. The platform's own template (imports/templates.py) imports as it is."""

    kind = "county_return"
    resource_class = CountyReturnResource
    columns = {
        "indicator": (("指标代码", "indicator code", "indicator"), True),
        "component": (("分项代码", "数据项代码", "component code", "figure code", "component"), True),
        "value": (("数值", "本期数值", "value"), True),
        "county": (("县（市、区）", "所属县（市、区）", "县区", "county"), False),
        "period": (("季度", "报告期", "period", "quarter"), False),
    }

    def _context(self):

        county, period = self.batch.scope_region, self.batch.period  # a county, or the city's own return
        if officer_reporting_region_id(self.user) != county.pk:
            raise PermissionDenied
        return county, period, CountyReturn.objects.filter(region=county, period=period).first()

    def template_errors(self, meta: dict) -> list[str]:
        county, period = self.batch.scope_region, self.batch.period
        return self._template_mismatch(meta, county_return=(county.code, period.label))

    def preview(self, table: Table) -> dict:
        from django.utils import timezone


        county, period, county_return = self._context()
        errors: list[CellError] = []
        if county_return is not None and not county_return.is_editable_state:
            errors.append(CellError("", 0, "", _("The %(period)s return is %(state)s and cannot be changed by an "
                                                 "import.") % {"period": period.label,
                                                               "state": county_return.get_state_display()}))
        if not period_is_open_for(period=period, today=timezone.localdate(), region=county):
            errors.append(CellError("", 0, "", period_closed_message(period)))
        cols, header_errors = self.map_columns(table)
        errors += header_errors
        if header_errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        indicators = {i.code: i for i in Indicator.objects.filter(reported_by=reported_by(county))}
        components: dict[str, dict] = {code: {} for code in indicators}
        code_of = {i.pk: code for code, i in indicators.items()}
        for component in IndicatorComponent.objects.filter(indicator__reported_by=reported_by(county)).only(
                "id", "indicator_id", "code", "role", "name"):
            components[code_of[component.indicator_id]][component.code] = component
        resource = self.resource_class(user=self.user, batch=self.batch, context={
            "county": county, "period": period, "indicators": indicators, "components": components})
        row_errors, _bad = resource.run(table, cols)
        errors += row_errors
        groups: dict[str, dict[str, tuple[int, Decimal]]] = defaultdict(dict)
        for posted in resource.changes:
            if posted["indicator"] not in resource.bad_codes:
                groups[posted["indicator"]][posted["component"]] = (posted["row"], posted["value"])
        # the figures, each indicator completed with what the return has, checked as the save will
        # check them: the reporting layer's one preview, the API's dry run's too
        checked = county_return_preview(region=county, period=period, county_return=county_return,
                                        catalogue=return_catalogue(county),
                                        figures={code: {c: v for c, (_n, v) in posted.items()}
                                                 for code, posted in groups.items()})
        changes, unchanged = [], 0
        value_col = self.letter(cols["value"])
        for code, posted in groups.items():
            if code in checked.refused:
                for row_number, _v in posted.values():
                    errors.append(CellError(table.sheet, row_number, value_col, " ".join(checked.refused[code])))
                continue
            outcomes, validated, current = checked.outcomes[code], checked.validated[code], checked.current.get(code, {})
            for c, (number, _v) in sorted(posted.items(), key=lambda item: item[1][0]):
                if outcomes[c] == "unchanged":
                    unchanged += 1
                    continue
                old = current.get(c)
                changes.append({"row": number, "indicator": code, "component": c,
                                "name": f"{indicators[code].name} · {components[code][c].name}", "outcome": outcomes[c],
                                "old": str(old) if old is not None else None, "new": str(validated[c])})
        errors.sort(key=lambda e: e.row)
        preview = {"changes": changes, "unchanged": unchanged, "errors": [e.as_dict() for e in errors],
                   "version": county_return.version if county_return is not None else None,
                   # each changed indicator complete (what the file gives over what the return has)
                   "figures": checked.figures(sorted({c["indicator"] for c in changes}))}
        if resource.blank:
            preview["notes"] = [_("%(n)s rows have no value; those figures stay as they are.") % {"n": resource.blank}]
        return preview

    version_guards_whole_preview = True  # the county return's version: any figure saved since moves it

    def apply(self, preview: dict, *, progress: Progress) -> dict:

        county, period, county_return = self._context()
        total = len(preview["changes"])
        progress(0, total)
        try:
            if county_return is None:  # refused, and nothing created, for a period closed or not yet open
                county_return = county_return_open(region=county, period=period, user=self.user)
                version = county_return.version if preview["version"] is None else preview["version"]
            else:
                version = preview["version"] if preview["version"] is not None else -1  # created since the preview
            county_return_save(county_return=county_return, figures=preview["figures"], version=version,
                               user=self.user, source=IndicatorValue.Source.IMPORT,
                               source_ref=f"{county_return.source_ref} import:{self.batch.pk}")
        except (Conflict, Locked) as exc:
            raise ImportFailed([{"sheet": "", "row": 0, "column": "", "message": " ".join(exc.messages)}]) from exc
        except ValidationError as exc:
            raise ImportFailed([{"sheet": "", "row": 0, "column": "", "message": m} for m in exc.messages]) from exc
        progress(total, total)
        return {"created": sum(c["outcome"] == "created" for c in preview["changes"]),
                "updated": sum(c["outcome"] == "updated" for c in preview["changes"])}



class ApplicationImporter(Importer):
    """Certification applications for one tier: a county's villages and communities, one row each,
    with the checklist answers. Through communities.pipeline (application_create,
    application_checklist_save): the county officer's own county only; evidence is attached and
    the application submitted in the browser, one by one, as before."""

    kind = "applications"
    resource_class = ApplicationResource
    base_columns = {
        "code": (("统计用区划代码", "区划代码", "代码", "NBS code", "code"), True),
        "name": (("名称", "村（社区）名称", "村（社区）", "name"), False),
        "county": (("县（市、区）", "所属县（市、区）", "县区", "county"), False),
        "summary": (("申请说明", "摘要", "summary"), False),
    }

    def __init__(self, *, user, batch):

        super().__init__(user=user, batch=batch)
        self.tier = Tier.objects.get(code=batch.options["tier"])
        self.criteria = list(self.tier.criteria.filter(is_active=True).order_by("order", "code"))
        self.columns = {**self.base_columns, **{
            f"c{c.pk}": ((c.name, f"{c.name}（{c.unit}）" if c.unit else c.name, c.code), False) for c in self.criteria}}

    def template_errors(self, meta: dict) -> list[str]:
        return self._template_mismatch(meta, applications=(self.batch.scope_region.code, self.tier.code))

    def preview(self, table: Table) -> dict:

        if officer_county_id(self.user) is None or officer_county_id(self.user) != self.batch.scope_region_id:
            raise PermissionDenied
        cols, errors = self.map_columns(table)
        if errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        county = self.batch.scope_region
        open_ = {a.community_id: a for a in Application.objects.open().filter(county=county, tier=self.tier)}
        answers: dict[int, dict] = defaultdict(dict)
        for check in ApplicationCheck.objects.filter(application__in=list(open_.values())):
            answers[check.application_id][check.criterion_id] = {
                "met": check.met, "value": None if check.value is None else str(check.value), "note": check.note}
        context = {
            "own_county": county, "tier": self.tier, "criteria": self.criteria, "open": open_, "answers": answers,
            "villages": {r.code: r for r in Region.objects.filter(level=Region.Level.VILLAGE, county=county)
                         .select_related("county")},
            "editable": set(Region.objects.editable_by(self.user).filter(level=Region.Level.VILLAGE)
                            .values_list("pk", flat=True)),
        }
        # another county's code reads as "not your county", not as unknown
        for r in Region.objects.filter(level=Region.Level.VILLAGE, code__in=[
                _code_text(self.cell(cells, cols["code"])) for _n, cells in table.rows]).select_related("county"):
            context["villages"].setdefault(r.code, r)
        resource = self.resource_class(user=self.user, batch=self.batch, context=context)
        row_errors, _bad = resource.run(table, cols)
        return {"changes": resource.changes, "unchanged": resource.unchanged,
                "errors": [e.as_dict() for e in row_errors]}

    def apply(self, preview: dict, *, progress: Progress) -> dict:

        changes, sheet = preview["changes"], preview.get("sheet", "")
        villages = {r.code: r for r in Region.objects.filter(code__in=[c["code"] for c in changes])}
        for done, change in enumerate(changes, start=1):
            try:
                if change["application"] is None:
                    application = application_create(community=villages[change["code"]], tier=self.tier,
                                                      user=self.user, summary=change["summary"])
                    version = application.version
                else:
                    application = Application.objects.get(pk=change["application"])
                    version = change["version"]
                application_checklist_save(application=application, summary=change["summary"], version=version,
                                           user=self.user,
                                           answers={int(k): v for k, v in change["answers"].items()})
            except (ValidationError, PermissionDenied) as exc:
                raise ImportFailed([{"sheet": sheet, "row": change["row"], "column": "", "message": _(
                    "%(name)s: %(detail)s") % {"name": change["name"], "detail": " ".join(
                        getattr(exc, "messages", None) or [str(exc) or _("not allowed")])}}]) from exc
            progress(done, len(changes))
        return {"created": sum(c["outcome"] == "created" for c in changes),
                "updated": sum(c["outcome"] == "updated" for c in changes)}


MEASURE_HEADER = re.compile(r"^【([^】]+)】")


class TaskReportImporter(Importer):
    """A department's reports for one quarter, one row per task: its part of a task it is
    co-responsible for, the compiled report of a task it leads. Through reports.services
    (task_part_open/save, task_report_open/save): drafts, as if typed in the form; submitting
    stays on the task report page."""

    kind = "task_reports"
    resource_class = TaskReportResource
    columns = {
        "task": (("任务序号", "任务编号", "序号", "task", "task number"), True),
        "department": (("单位", "部门", "department"), False),
        "period": (("季度", "报告期", "period", "quarter"), False),
        "measures": (("采取的措施", "工作措施", "measures"), False),
        "progress": (("任务指标进展", "工作进展", "进展", "progress"), False),
        "problems": (("存在问题", "问题", "problems"), False),
        "next_steps": (("下步打算", "下一步打算", "next steps", "next_steps"), False),
        "self_status": (("自评状态", "自评", "self-assessed status", "self_status"), False),
    }

    def _department(self):
        department = self.user.department if self.user.has_role(Role.DEPT_OFFICER) else None
        if department is None or department.pk != self.batch.options.get("department"):
            raise PermissionDenied
        return department

    def template_errors(self, meta: dict) -> list[str]:
        return self._template_mismatch(meta, task_reports=(str(self.batch.options.get("department")),
                                                           self.batch.period.label))

    def preview(self, table: Table) -> dict:
        from django.utils import timezone


        department, period = self._department(), self.batch.period
        errors: list[CellError] = []
        if not period_is_open_for(period=period, today=timezone.localdate(), department=department):
            errors.append(CellError("", 0, "", period_closed_message(period)))
        cols, header_errors = self.map_columns(table)
        errors += header_errors
        if errors:
            return {"changes": [], "unchanged": 0, "errors": [e.as_dict() for e in errors]}
        plan = plan_current_for_user(self.user)
        tasks = {str(r.task.number): (r.task, r.role) for r in Responsibility.objects.filter(
            department=department, task__plan=plan, task__kind="task").select_related("task")}
        task_ids = [t.pk for t, _r in tasks.values()]
        records = {("lead", r.task_id): r for r in TaskReport.objects.filter(period=period, task_id__in=task_ids)}
        records.update({("co", p.task_id): p for p in TaskReportPart.objects.filter(
            period=period, department=department, task_id__in=task_ids)})
        # the task measures' columns (【code】name（unit）, see imports.templates.measure_header)
        measure_cols = {}
        for index, text in enumerate(table.header):
            found = MEASURE_HEADER.match(str(text or "").strip())
            if found:
                measure_cols[found.group(1)] = index
                cols[f"m__{found.group(1)}"] = index
        resource = self.resource_class(user=self.user, batch=self.batch, context={
            "department": department, "period": period, "tasks": tasks, "records": records,
            "measure_cols": measure_cols, "cells": dict(table.rows)})
        row_errors, _bad = resource.run(table, cols)
        return {"changes": resource.changes, "unchanged": resource.unchanged,
                "errors": [e.as_dict() for e in row_errors]}

    def apply(self, preview: dict, *, progress: Progress) -> dict:

        department, period = self._department(), self.batch.period
        changes, sheet = preview["changes"], preview.get("sheet", "")
        for done, change in enumerate(changes, start=1):
            try:
                task = Task.objects.get(pk=change["task_id"])
                if change["role"] == "co":
                    part = (TaskReportPart.objects.get(pk=change["record"]) if change["record"] else
                            task_part_open(task=task, department=department, period=period, user=self.user))
                    version = change["version"] if change["record"] else part.version
                    task_part_save(part=part, fields=change["fields"], version=version, user=self.user,
                                   figures=change.get("figures") or None)
                else:
                    report = (TaskReport.objects.get(pk=change["record"]) if change["record"] else
                              task_report_open(task=task, period=period, user=self.user))
                    version = change["version"] if change["record"] else report.version
                    task_report_save(report=report, fields=change["fields"], version=version, user=self.user,
                                     figures=change.get("figures") or None)
            except (ValidationError, PermissionDenied) as exc:
                raise ImportFailed([{"sheet": sheet, "row": change["row"], "column": "", "message": _(
                    "%(name)s: %(detail)s") % {"name": change["name"], "detail": " ".join(
                        getattr(exc, "messages", None) or [str(exc) or _("not allowed")])}}]) from exc
            progress(done, len(changes))
        return {"created": sum(c["outcome"] == "created" for c in changes),
                "updated": sum(c["outcome"] == "updated" for c in changes)}


IMPORTERS: dict[str, type[Importer]] = {
    CommunityProfileImporter.kind: CommunityProfileImporter,
    CountyReturnImporter.kind: CountyReturnImporter,
    ApplicationImporter.kind: ApplicationImporter,
    TaskReportImporter.kind: TaskReportImporter,
}
