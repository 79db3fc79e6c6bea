"""django-import-export Resources, one per import kind: the columns (Chinese headers), the widgets
that clean each cell with the platform's number rules, and the row → instance mapping.

The library does the part it is good at — turning a row of cells into a cleaned, model-validated
instance, row by row, collecting the errors of each field — and nothing else: ``save_instance``
never saves. It records the change the row asks for (``self.changes``); the import kind
(imports/kinds.py) shows them as the preview and, on confirmation, writes them through the apps'
own services (scoping, row locks, versions, history, audit) in one transaction.

The preview runs ``Resource.import_data(dataset, dry_run=True, raise_errors=False)``: one outer
transaction rolled back at the end (nothing is written in it anyway), no savepoint per row
(``use_bulk``; the bulk lists stay empty), no HTML diffs (the preview carries its own before/after).
Model validation is on (``clean_model_instances``) for the fields a file sets; uniqueness and the
database constraints stay the services' and the database's (checking them here would cost a
query per row and per constraint, and the services check them under a lock anyway).
"""

from __future__ import annotations

from decimal import Decimal

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.results import RowResult

from communities.models import Application
from communities.pipeline import application_can_open, checklist_figure
from divisions.models import CommunityProfile
from reports.models import SelfStatus, TaskReport, TaskReportPart
from targets.models import IndicatorValue

from .reading import FULL_WIDTH, CellError, Table, read_decimal, read_whole, read_yes_no

# ---------------------------------------------------------------- widgets: one cell each


class WholeNumberWidget(widgets.Widget):
    """A count (households, people): whole and ≥ 0; full-width digits and correct thousands
    separators are read, anything else is an error naming the value (imports/reading.py)."""

    def clean(self, value, row=None, **kwargs):
        return read_whole(value)  # NotANumber is a ValueError: the library files it under the field


class FigureWidget(widgets.Widget):
    """A figure (Decimal) under the same rules; Excel floats read as their shortest text."""

    def clean(self, value, row=None, **kwargs):
        return read_decimal(value)


class YesNoWidget(widgets.Widget):
    """是/否 (and y/n, 1/0, √); an empty cell is 否."""

    def clean(self, value, row=None, **kwargs):
        return read_yes_no(value)


class AnswerWidget(widgets.Widget):
    """A checklist statement: 是 (met), 否 (not met), or empty (not answered)."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return read_yes_no(value)


class CodeWidget(widgets.Widget):
    """An NBS code or any other code as text: Excel may have stored 610902001001 as a number."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).translate(FULL_WIDTH).strip() if value is not None else ""


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


class ChoiceWidget(widgets.Widget):
    """A choice written as its code, its English label or its Chinese label; empty is ""."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            return ""
        from django.utils.translation import override

        for code, label in self.choices:
            names = {str(code).lower(), str(label).lower()}
            with override("zh-hans"):
                names.add(str(label).lower())
            with override("en"):
                names.add(str(label).lower())
            if text.lower() in names:
                return code
        with override("zh-hans"):
            allowed = "、".join(str(label) for _code, label in self.choices)
        raise ValueError(_("“%(value)s” is not one of %(allowed)s") % {"value": text, "allowed": allowed})


# ---------------------------------------------------------------- the base Resource


class _RowResult(RowResult):
    def add_instance_info(self, instance):
        """Not kept: the preview has its own record of each row, and str() of every instance (the
        library's object_repr, for the admin's log) cost a third of the preview's time."""


class ServiceResource(resources.ModelResource):
    """A Resource whose rows are previewed, never saved by the library.

    Subclasses map a row to an instance (``get_or_init_instance``, from maps loaded once, not a
    query per row), add the checks that need the platform (``row_checks``), decide what is
    unchanged (``is_unchanged``) and describe the change (``change``)."""

    class Meta:
        use_bulk = True  # no savepoint per row; the bulk lists stay empty since save_instance records only
        skip_diff = True  # the preview carries its own before/after; no deepcopy of every instance
        skip_html_diff = True
        clean_model_instances = True
        report_skipped = False
        batch_size = None

    def __init__(self, *, user, batch, context: dict | None = None):
        super().__init__()
        self.user, self.batch, self.context = user, batch, context or {}
        self.changes: list[dict] = []
        self.unchanged = 0
        self.row_numbers: list[int] = []  # dataset row → spreadsheet row

    # ---- the library's hooks
    @classmethod
    def get_row_result_class(cls):
        return _RowResult

    def get_or_init_instance(self, instance_loader, row):
        raise NotImplementedError

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field, message in self.row_checks(instance, row, number=self.number(kwargs)):
            errors.setdefault(field, []).append(ValidationError(message))
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model validation (field by field, and the model's clean()) of what the file sets;
        uniqueness and constraints are the services' (under a lock) and the database's."""
        errors = dict(import_validation_errors or {})
        if self._meta.clean_model_instances:
            exclude = [f.name for f in instance._meta.fields if f.name not in self.validated_fields()] + list(errors)
            try:
                instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors:
            return False
        if self.is_unchanged(instance, row):
            self.unchanged += 1
            return True
        return False

    def save_instance(self, instance, is_create, row, **kwargs):
        """Never saves: records the change for the service that will write it."""
        self.changes.append({"row": self.number(kwargs), **self.change(instance, is_create, row)})

    def delete_instance(self, instance, row, **kwargs):  # pragma: no cover - for_delete is always False
        raise NotImplementedError("imports never delete")

    # ---- what subclasses say
    def validated_fields(self) -> set[str]:
        return {f.attribute for f in self.fields.values() if f.attribute}

    def row_checks(self, instance, row, *, number: int) -> list[tuple[str, str]]:
        return []

    def is_unchanged(self, instance, row) -> bool:
        return False

    def change(self, instance, is_create: bool, row) -> dict:
        raise NotImplementedError

    # ---- running it
    def number(self, kwargs) -> int:
        return self.row_numbers[kwargs["row_number"] - 1]

    def cell(self, row, field: str):
        column = self.fields[field].column_name
        return row.get(column)

    def run(self, table: Table, cols: dict[str, int]) -> tuple[list[CellError], list[int]]:
        """Clean and map every row of ``table`` (``cols``: field → column index) with the library,
        dry run. Returns the located errors and the spreadsheet rows that had one."""
        present = [name for name in self.fields if name in cols]
        dataset = tablib.Dataset(headers=[self.fields[name].column_name for name in present])
        for number, cells in table.rows:
            dataset.append([cells[cols[name]] if cols[name] < len(cells) else None for name in present])
            self.row_numbers.append(number)
        result = self.import_data(dataset, dry_run=True, raise_errors=False)
        if result.base_errors:
            raise result.base_errors[0].error
        for error_row in result.error_rows:  # not a bad cell: a fault of the platform's, not to be hidden
            raise error_row.errors[0].error
        letters = {name: _letter(index) for name, index in cols.items()}
        errors, bad_rows = [], []
        for invalid in result.invalid_rows:
            number = self.row_numbers[invalid.number - 1]
            bad_rows.append(number)
            for field, messages in invalid.error_dict.items():
                for message in messages:
                    text = message if isinstance(message, str) else " ".join(ValidationError(message).messages)
                    errors.append(CellError(table.sheet, number, "" if field == NON_FIELD_ERRORS else
                                            letters.get(field, ""), text))
        return errors, bad_rows


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------- shared row checks


def county_named_error(raw, county) -> str | None:
    """A county column is allowed but never decides anything: naming another county than the
    one the row is imported for is an error for that row."""
    if raw is None or not str(raw).strip() or county is None:
        return None
    text = str(raw).translate(FULL_WIDTH).strip()
    if text in (county.name, county.short_name, county.code):
        return None
    return _("the row names %(named)s, but it is imported for %(county)s; the county comes from your account, "
             "not from the file") % {"named": text, "county": county.name}


def period_named_error(raw, period) -> str | None:
    """A quarter column is allowed but never decides anything: naming another quarter than the
    one the import is for is an error for that row."""
    import re

    if raw is None or not str(raw).strip():
        return None
    match = re.match(PERIOD_TEXT, str(raw).translate(FULL_WIDTH).strip(), re.IGNORECASE)
    if match and (int(match[1]), int(match[2])) == (period.year, period.quarter):
        return None
    return _("the row is for %(given)s, but this import is for %(period)s") % {"given": str(raw).strip(),
                                                                              "period": period.label}


class VillageRowsMixin:
    """Rows keyed by a village's or community's NBS code: the code, the name and county columns
    checked against the platform; ``context['villages']``: code → Region (with its county)."""

    def village_of(self, row):
        code = self.fields["code"].clean(row)
        return code, self.context["villages"].get(code)

    def village_checks(self, region, code: str, row, *, number: int, own_county=None) -> list[tuple[str, str]]:
        errors = []
        seen = self.context.setdefault("seen", {})
        if not code:
            errors.append(("code", _("the NBS code is empty")))
        elif region is None:
            errors.append(("code", _("%(code)s is not the NBS code of a village or community of Ankang") % {
                "code": code}))
        elif code in seen:
            errors.append(("code", _("%(code)s is also on row %(row)s") % {"code": code, "row": seen[code]}))
        else:
            seen[code] = number
            named = county_named_error(self.cell(row, "county") if "county" in self.fields else None,
                                       own_county or region.county)
            if named:
                errors.append(("county", named))
            if region.pk not in self.context["editable"]:
                errors.append(("code", _("%(name)s (%(code)s) is in %(county)s, not your county; you cannot import "
                                         "its data") % {"name": region.name, "code": code,
                                                        "county": region.county.name}))
            name = self.cell(row, "name")
            if name is not None and str(name).strip() and str(name).strip() not in (region.name, region.short_name):
                errors.append(("name", _("%(code)s is %(name)s, not %(given)s: check the row") % {
                    "code": code, "name": region.name, "given": str(name).strip()}))
        return errors


# ---------------------------------------------------------------- village and community data


class CommunityProfileResource(VillageRowsMixin, ServiceResource):
    """Households, population and relocation status of villages and communities (CommunityProfile),
    one row per NBS code; written by divisions.services.community_profiles_bulk_save with community_profile_save's rules."""

    code = fields.Field(column_name="统计用区划代码", widget=CodeWidget())
    name = fields.Field(column_name="名称", widget=TextWidget())
    county = fields.Field(column_name="县（市、区）")
    households = fields.Field(attribute="households", column_name="户数", widget=WholeNumberWidget())
    population = fields.Field(attribute="population", column_name="人口", widget=WholeNumberWidget())
    is_relocation = fields.Field(attribute="is_relocation", column_name="易地搬迁社区", widget=YesNoWidget())

    class Meta:
        from divisions.models import CommunityProfile

        model = CommunityProfile
        fields = ("code", "name", "county", "households", "population", "is_relocation")

    EMPTY = {"households": None, "population": None, "is_relocation": False}

    def get_or_init_instance(self, instance_loader, row):

        code, region = self.village_of(row)
        profile = self.context["profiles"].get(region.pk) if region is not None else None
        if profile is None:
            profile, new = CommunityProfile(region=region) if region is not None else CommunityProfile(), True
            profile._import_old = None
        else:
            new = False
            profile._import_old = {f: getattr(profile, f) for f in self.EMPTY}
        profile._import_code, profile._import_region = code, region
        return profile, new

    def row_checks(self, instance, row, *, number):
        return self.village_checks(instance._import_region, instance._import_code, row, number=number,
                                   own_county=self.context["own_county"])

    def new_values(self, instance) -> dict:
        return {f: getattr(instance, f) for f in self.EMPTY}

    def is_unchanged(self, instance, row) -> bool:
        new = self.new_values(instance)
        return instance._import_old == new or (instance._import_old is None and new == self.EMPTY)

    def change(self, instance, is_create, row) -> dict:
        region = instance._import_region
        return {"code": region.code, "name": region.name, "county": region.county.name,
                "outcome": "created" if is_create else "updated", "old": instance._import_old,
                "new": self.new_values(instance), "version": instance.version if not is_create else 1}


# ---------------------------------------------------------------- county return figures


class CountyReturnResource(ServiceResource):
    """One figure of a county's return per row: indicator code, component code, value. Each row is
    cleaned and model-validated here (IndicatorValue.value: 18 digits, 4 decimals); the figures of
    one indicator are checked together afterwards (reports.services.county_return_preview) and
    written by reports.services.county_return_save."""

    indicator = fields.Field(column_name="指标代码", widget=CodeWidget())
    component = fields.Field(column_name="分项代码", widget=CodeWidget())
    value = fields.Field(attribute="value", column_name="数值", widget=FigureWidget())
    county = fields.Field(column_name="县（市、区）")
    period = fields.Field(column_name="季度")

    class Meta:
        from targets.models import IndicatorValue

        model = IndicatorValue
        fields = ("indicator", "component", "value", "county", "period")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.blank = 0
        self.bad_codes: set[str] = set()
        self.seen: dict[tuple[str, str], int] = {}

    def get_or_init_instance(self, instance_loader, row):

        ctx = self.context
        code, component = self.fields["indicator"].clean(row), self.fields["component"].clean(row)
        value = IndicatorValue(region=ctx["county"], year=ctx["period"].year, quarter=ctx["period"].quarter)
        indicator = ctx["indicators"].get(code)
        if indicator is not None:
            value.indicator = indicator
            if component in ctx["components"].get(code, {}):
                value.component = ctx["components"][code][component]
        value._import_code, value._import_component = code, component
        return value, True

    def row_checks(self, instance, row, *, number):

        ctx = self.context
        errors = []
        named = county_named_error(self.cell(row, "county"), ctx["county"])
        if named:
            errors.append(("county", named))
        named = period_named_error(self.cell(row, "period"), ctx["period"])
        if named:
            errors.append(("period", named))
        code, component = instance._import_code, instance._import_component
        roles = ctx["components"]
        if code not in roles:
            errors.append(("indicator", _("%(code)s is not an indicator counties report") % {"code": code or "—"}
                           if ctx["county"].level == "county" else
                           _("%(code)s is not in the city's return (the city reports only its own figures)")
                           % {"code": code or "—"}))
        elif component not in roles[code]:
            errors.append(("component", _("%(indicator)s has no component %(component)s (it has %(codes)s)") % {
                "indicator": code, "component": component or "—", "codes": "、".join(sorted(roles[code]))}))
        elif (code, component) in self.seen:
            errors.append(("indicator", _("%(code)s %(component)s is also on row %(row)s") % {
                "code": code, "component": component, "row": self.seen[(code, component)]}))
        else:
            self.seen[(code, component)] = number
        if instance.value is not None and instance.value < 0:
            errors.append(("value", _("%(code)s cannot be negative (%(value)s).") % {
                "code": component, "value": instance.value}))
        return errors

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError:
            # the indicator's other rows are not checked as a whole: one error, not a cascade
            self.bad_codes.add(instance._import_code)
            raise

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not import_validation_errors and instance.value is None:
            self.blank += 1  # a figure left empty: the return keeps what it has
            return True
        return False  # unchanged figures are judged per indicator, by county_return_preview

    def change(self, instance, is_create, row) -> dict:
        return {"indicator": instance._import_code, "component": instance._import_component, "value": instance.value}


PERIOD_TEXT = r"^(\d{4})\s*(?:年)?\s*[-_ ]?\s*(?:q|第)?\s*([1-4])\s*(?:季度)?$"


# ---------------------------------------------------------------- certification applications


class ApplicationResource(VillageRowsMixin, ServiceResource):
    """A county's villages and communities applying for one tier, with the checklist answers: one
    row per NBS code, one column per active criterion of the tier (是/否 for a statement, the
    figure for a measure; an empty cell keeps the answer the application has). Opens the
    application (communities.pipeline.application_create) or updates a draft or returned one
    (application_checklist_save); evidence is attached in the browser."""

    code = fields.Field(column_name="统计用区划代码", widget=CodeWidget())
    name = fields.Field(column_name="名称", widget=TextWidget())
    county = fields.Field(column_name="县（市、区）")
    summary = fields.Field(attribute="summary", column_name="申请说明", widget=TextWidget())

    class Meta:
        from communities.models import Application

        model = Application
        fields = ("code", "name", "county", "summary")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for criterion in self.context["criteria"]:
            widget = FigureWidget() if criterion.kind == "measure" else AnswerWidget()
            self.fields[f"c{criterion.pk}"] = fields.Field(column_name=criterion.name, widget=widget)

    def get_or_init_instance(self, instance_loader, row):

        code, region = self.village_of(row)
        existing = self.context["open"].get(region.pk) if region is not None else None
        application = existing or Application(tier=self.context["tier"], state=Application.State.DRAFT)
        if existing is None and region is not None:
            application.community, application.county_id = region, region.county_id
        application._import_code, application._import_region = code, region
        application._import_old_summary = application.summary
        return application, existing is None

    def row_checks(self, instance, row, *, number):

        region = instance._import_region
        errors = self.village_checks(region, instance._import_code, row, number=number,
                                     own_county=self.context["own_county"])
        if errors:
            return errors
        tier = self.context["tier"]
        if instance.pk is None:
            try:
                application_can_open(community=region, tier=tier, user=self.user)
            except ValidationError as exc:
                errors.append(("code", " ".join(exc.messages)))
        elif instance.state == Application.State.IN_REVIEW:
            errors.append(("code", _("%(name)s's application for %(tier)s is in review and cannot be changed by an "
                                     "import.") % {"name": region.name, "tier": tier.name}))
        old = self.context["answers"].get(instance.pk, {})
        answers = {}
        for criterion in self.context["criteria"]:
            name = f"c{criterion.pk}"
            previous = old.get(criterion.pk, {"met": None, "value": None, "note": ""})
            if name not in self.fields or self.fields[name].column_name not in row:
                answers[str(criterion.pk)] = previous
                continue
            try:
                cleaned = self.fields[name].clean(row)
            except ValueError as exc:
                errors.append((name, str(exc)))
                continue
            if cleaned is None:
                answers[str(criterion.pk)] = previous
            elif criterion.kind == "measure":
                try:  # the checklist's rules for a figure (whole counts, within the registry's size)
                    value = checklist_figure(cleaned, criterion, region)
                except ValidationError as exc:
                    errors.append((name, " ".join(exc.messages)))
                    continue
                answers[str(criterion.pk)] = {**previous, "value": str(value)}
            else:
                answers[str(criterion.pk)] = {**previous, "met": cleaned}
        if not instance.summary:  # an empty 申请说明 keeps what the application says
            instance.summary = instance._import_old_summary
        instance._import_answers = answers
        instance._import_old_answers = {str(k): v for k, v in old.items()}
        return errors

    def is_unchanged(self, instance, row) -> bool:
        return (instance.pk is not None and instance._import_answers == instance._import_old_answers
                and instance.summary == instance._import_old_summary)

    def describe(self, answers: dict) -> str:
        parts = []
        for criterion in self.context["criteria"]:
            answer = answers.get(str(criterion.pk)) or {}
            if criterion.kind == "measure":
                shown = answer.get("value")
                shown = "—" if shown is None else f"{shown}{criterion.unit}"
            else:
                shown = {True: _("met"), False: _("not met")}.get(answer.get("met"), "—")
            parts.append(f"{criterion.name}：{shown}")
        return "；".join(parts)

    def change(self, instance, is_create, row) -> dict:
        region = instance._import_region
        return {"code": region.code, "name": region.name, "county": region.county.name,
                "outcome": "created" if is_create else "updated", "application": instance.pk,
                "version": instance.version if not is_create else None, "summary": instance.summary,
                "answers": instance._import_answers,
                "old": self.describe(instance._import_old_answers) if not is_create else None,
                "new": self.describe(instance._import_answers)}


# ---------------------------------------------------------------- department report parts


REPORT_FIELDS = ("measures", "progress", "problems", "next_steps", "self_status")


class TaskReportResource(ServiceResource):
    """A department's quarterly reports on its tasks, one row per task: for a task it co-leads,
    its part (reports.services.task_part_save); for a task it leads, the compiled report
    (task_report_save). The department and the quarter come from the user and the page; an
    empty cell keeps what the report says."""

    task = fields.Field(column_name="任务序号", widget=CodeWidget())
    department = fields.Field(column_name="单位")
    period = fields.Field(column_name="季度")
    measures = fields.Field(attribute="measures", column_name="采取的措施", widget=TextWidget())
    progress = fields.Field(attribute="progress", column_name="任务指标进展", widget=TextWidget())
    problems = fields.Field(attribute="problems", column_name="存在问题", widget=TextWidget())
    next_steps = fields.Field(attribute="next_steps", column_name="下步打算", widget=TextWidget())
    self_status = fields.Field(attribute="self_status", column_name="自评状态", widget=ChoiceWidget([]))

    class Meta:
        from reports.models import TaskReportPart

        model = TaskReportPart
        fields = ("task", "department", "period", "measures", "progress", "problems", "next_steps", "self_status")

    def __init__(self, **kwargs):

        super().__init__(**kwargs)
        self.fields["self_status"].widget = ChoiceWidget(SelfStatus.choices)

    def get_or_init_instance(self, instance_loader, row):

        ctx = self.context
        number = self.fields["task"].clean(row)
        task, role = ctx["tasks"].get(number, (None, ""))
        record = ctx["records"].get((role, task.pk)) if task is not None else None
        new = record is None
        if new:
            record = TaskReport(period=ctx["period"]) if role == "lead" else TaskReportPart(period=ctx["period"])
            if task is not None:
                record.task = task
        record._import_task, record._import_number, record._import_role = task, number, role
        record._import_old = {f: getattr(record, f) for f in REPORT_FIELDS}
        return record, new

    def row_checks(self, instance, row, *, number):

        ctx = self.context
        errors = []
        task, role = instance._import_task, instance._import_role
        seen = ctx.setdefault("seen", {})
        if not instance._import_number:
            errors.append(("task", _("the task number is empty")))
        elif task is None:
            errors.append(("task", _("task %(number)s is not a task of %(department)s in the current plan") % {
                "number": instance._import_number, "department": ctx["department"].name}))
        elif task.pk in seen:
            errors.append(("task", _("task %(number)s is also on row %(row)s") % {
                "number": task.number, "row": seen[task.pk]}))
        else:
            seen[task.pk] = number
            if instance.pk is not None:
                editable = (instance.state == TaskReportPart.State.DRAFT if role == "co"
                            else instance.is_editable_state)
                if not editable:
                    errors.append(("task", _("the report on task %(number)s is %(state)s and cannot be changed by an "
                                             "import") % {"number": task.number,
                                                          "state": instance.get_state_display()}))
        department = self.cell(row, "department")
        if department is not None and str(department).strip() and str(department).strip() not in (
                ctx["department"].name, ctx["department"].full_name):
            errors.append(("department", _("the row names %(named)s, but it is imported for %(department)s; the "
                                           "department comes from your account, not from the file") % {
                "named": str(department).strip(), "department": ctx["department"].name}))
        named = period_named_error(self.cell(row, "period"), ctx["period"])
        if named:
            errors.append(("period", named))
        for field in REPORT_FIELDS:  # an empty cell keeps what the report says
            if not getattr(instance, field):
                setattr(instance, field, instance._import_old[field])
        errors += self._measure_checks(instance, number)
        return errors

    def _measure_checks(self, instance, number: int) -> list[tuple[str, str]]:
        """The row's task measures (its columns 【code】…): only the task's own, read by the form's
        rule (reports.services.measure_figures_read); an empty cell keeps the figure."""
        from reports.services import measure_figures_read, measures_entered_by

        ctx, task = self.context, instance._import_task
        instance._import_figures, instance._import_figures_old = {}, {}
        cells = ctx.get("cells", {}).get(number, [])
        raw = {code: cells[index] for code, index in ctx.get("measure_cols", {}).items()
               if index < len(cells) and cells[index] not in (None, "") and str(cells[index]).strip()}
        if not raw or task is None:
            return []
        own = {m.code: m for m in measures_entered_by(task=task, department=ctx["department"], period=ctx["period"])}
        errors = [(f"m__{code}", _("task %(number)s does not report %(code)s in this quarter; leave the cell "
                                   "empty") % {"number": task.number, "code": code}) for code in raw if code not in own]
        for code, value in raw.items():
            if code not in own:
                continue
            try:
                read = measure_figures_read(measures=[own[code]], figures={code: str(value).strip()})
            except ValidationError as exc:
                errors += [(f"m__{code}", message) for message in exc.messages]
                continue
            instance._import_figures[code] = str(read[code])
        if not errors and instance._import_figures:
            try:  # the rules across measures (a part "其中…" not above its whole)
                measure_figures_read(measures=list(own.values()), figures=dict(instance._import_figures))
            except ValidationError as exc:
                errors += [(NON_FIELD_ERRORS, message) for message in exc.messages]
        from reports.models import TaskMeasureFigure

        instance._import_figures_old = {f.measure.code: str(f.value) for f in TaskMeasureFigure.objects.filter(
            period=ctx["period"], department=ctx["department"], measure__code__in=list(instance._import_figures),
            measure__task=task).select_related("measure")}
        return errors

    def _figures_changed(self, instance) -> dict:
        old = getattr(instance, "_import_figures_old", {})
        return {code: value for code, value in getattr(instance, "_import_figures", {}).items()
                if old.get(code) is None or Decimal(old[code]) != Decimal(value)}

    def new_values(self, instance) -> dict:
        return {f: getattr(instance, f) for f in REPORT_FIELDS}

    def is_unchanged(self, instance, row) -> bool:
        return (instance.pk is not None and self.new_values(instance) == instance._import_old
                and not self._figures_changed(instance))

    def change(self, instance, is_create, row) -> dict:
        task = instance._import_task
        role = instance._import_role
        kind = _("lead's report") if role == "lead" else _("part")
        return {"task": task.number, "task_id": task.pk, "role": role, "record": instance.pk, "version": instance.version if instance.pk
                else None, "name": f"{_('Task %(number)s') % {'number': task.number}} · {kind}",
                "outcome": "created" if is_create else "updated", "fields": self.new_values(instance),
                "figures": self._figures_changed(instance),
                "old": _short(instance._import_old) if not is_create else None, "new": _short(self.new_values(instance))}


def _short(values: dict) -> str:
    text = "；".join(str(v) for v in values.values() if v)
    return text if len(text) <= 80 else text[:79] + "…"
