"""Serializers of the v1 API. Codes are the identifiers: plan code, task number, NBS region code,
indicator code, period label like 2024Q3."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from communities.models import Certification
from divisions.models import Region
from kernel.numbers import figure, whole_number
from reports.models import CountyReturn, ReportingPeriod, SelfStatus, TaskMeasureFigure, TaskReport, TaskReportPart
from targets.models import Indicator, IndicatorComponent, IndicatorValue, Snapshot, Target
from tasks.models import Department, Plan, Task, TaskMeasure

CHANGED_AT_HELP = "When the row last changed: pass the last one you received as updated_since next time."


class ChangedAt(serializers.DateTimeField):
    """``changed_at``: annotated by the list views (api.sync.SyncedList)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, help_text=CHANGED_AT_HELP, **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, "changed_at", None)


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["code", "doc_number", "title", "title_en", "issuer", "issue_date", "period_start", "period_end"]


class DepartmentSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Department
        fields = ["name", "name_en", "kind", "aliases"]


class TaskSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(read_only=True, slug_field="code")
    section = serializers.CharField(source="section.title", read_only=True)
    lead_department = serializers.SerializerMethodField()
    co_departments = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["plan", "number", "title", "title_en", "kind", "section", "clause", "addressed_to",
                  "lead_department", "co_departments"]

    def get_lead_department(self, task) -> str | None:
        return next((r.department.name for r in task.responsibilities.all() if r.role == "lead"), None)

    def get_co_departments(self, task) -> list[str]:
        return [r.department.name for r in task.responsibilities.all() if r.role == "co"]


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(read_only=True, slug_field="code")
    county = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = Region
        fields = ["code", "name", "short_name", "level", "kind", "parent", "county", "vintage"]


class RegionDetailSerializer(RegionSerializer):
    children = RegionSerializer(many=True, read_only=True)

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "children"]


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorComponent
        fields = ["code", "name", "name_en", "role", "unit"]


class IndicatorSerializer(serializers.ModelSerializer):
    components = ComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "unit", "kind", "direction", "reported_by", "period_type", "scale",
                  "components"]


class TargetSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(read_only=True, slug_field="code")
    indicator = serializers.SlugRelatedField(read_only=True, slug_field="code")
    task = serializers.IntegerField(source="task.number", read_only=True, allow_null=True)
    quotas = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ["plan", "code", "name", "name_en", "indicator", "category", "task", "direction", "value", "value_max",
                  "unit", "span", "scope", "clause", "quotas"]

    def get_quotas(self, target) -> dict[str, str]:
        """The newest issued county quotas: NBS code → value."""
        latest = max(target.quota_sets.all(), key=lambda q: q.version, default=None)
        return {q.region.code: str(q.value) for q in latest.quotas.all()} if latest else {}


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["label", "year", "quarter", "due_on", "locks_after"]


class SnapshotSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(read_only=True, slug_field="code")
    indicator = serializers.SlugRelatedField(read_only=True, slug_field="code")
    region = serializers.SlugRelatedField(read_only=True, slug_field="code")
    period = serializers.CharField(source="quarter_label", read_only=True)
    as_of = serializers.DateTimeField(source="computed_at", read_only=True)

    class Meta:
        model = Snapshot
        fields = ["plan", "indicator", "region", "period", "period_value", "value", "numerator", "denominator", "target_value",
                  "percent_achieved", "percent_time_elapsed", "expected_to_date", "status", "status_reason",
                  "projected_end_value", "required_run_rate", "units_reported", "units_expected", "data_as_of",
                  "as_of", "changed_at"]

    changed_at = ChangedAt(allow_null=True)


class TaskReportStateSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task.number", read_only=True)
    period = serializers.CharField(source="period.label", read_only=True)
    changed_at = ChangedAt(allow_null=True)

    class Meta:
        model = TaskReport
        fields = ["task", "period", "state", "self_status", "first_submitted_at", "reviewed_at", "version",
                  "changed_at"]


class ValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(read_only=True, slug_field="code")
    component = serializers.SlugRelatedField(read_only=True, slug_field="code")
    region = serializers.SlugRelatedField(read_only=True, slug_field="code")
    period = serializers.SerializerMethodField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4, read_only=True,
                                     help_text="As a string, exactly: e.g. \"1234.0000\"")
    changed_at = ChangedAt(allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "component", "region", "period", "value", "status", "version", "submitted_at",
                  "approved_at", "changed_at"]

    def get_period(self, value) -> str:
        return f"{value.year}Q{value.quarter}"


class CertificationSerializer(serializers.ModelSerializer):
    community = serializers.SlugRelatedField(read_only=True, slug_field="code")
    community_name = serializers.CharField(source="community.name", read_only=True)
    county = serializers.CharField(source="community.county.code", read_only=True)
    tier = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = Certification
        fields = ["certificate_number", "community", "community_name", "county", "tier", "certified_on",
                  "valid_until", "withdrawn_on", "withdrawal_reason", "changed_at"]

    changed_at = ChangedAt(allow_null=True)


class CountyReturnSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(read_only=True, slug_field="code")
    period = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = CountyReturn
        fields = ["region", "period", "state", "version", "first_submitted_at", "submitted_at", "reviewed_at",
                  "review_comment", "changed_at"]

    changed_at = ChangedAt(allow_null=True)


# ---- writes

MAX_VALUES = 20000


FIGURE_SCHEMA = {"type": "string", "pattern": r"^-?[0-9]{1,14}(\.[0-9]{1,4})?$", "example": "1234",
                 "description": "A figure as a string of ASCII digits (up to 4 decimals), kept exact; a JSON number "
                                "is accepted too."}


@extend_schema_field(FIGURE_SCHEMA)
class PlainDecimalField(serializers.DecimalField):
    """A figure as a JSON number or a string of ASCII digits, by the platform's one rule and in its
    words (kernel.numbers.figure), never DRF's default wording. Python would read full-width digits
    (１２３) as 123; an official figure typed that way is refused, so nobody is surprised."""

    def to_internal_value(self, data):
        try:
            return figure(data, label=_("the figure"), places=self.decimal_places,
                          whole_digits=self.max_digits - self.decimal_places, allow_negative=True)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class PlainIntegerField(serializers.IntegerField):
    """A whole number (a version) by the platform's rule and in its words (kernel.numbers)."""

    def to_internal_value(self, data):
        try:
            return whole_number(data, label=str(self.label or self.field_name), minimum=self.min_value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ValueInSerializer(serializers.Serializer):
    indicator = serializers.SlugField(max_length=60)
    region = serializers.RegexField(r"^\d{12}$", help_text="NBS 12-digit code of the county")
    component = serializers.SlugField(max_length=60)
    value = PlainDecimalField(max_digits=18, decimal_places=4, coerce_to_string=False,
                              help_text="A number (a JSON number or a string of ASCII digits)")


class BulkValuesSerializer(serializers.Serializer):
    values = ValueInSerializer(many=True, allow_empty=False, max_length=MAX_VALUES)
    dry_run = serializers.BooleanField(default=False)
    version = PlainIntegerField(required=False, min_value=0, label=_lazy("version"),
                                help_text="The return's version you last read; a stale one is a 409.")


class BackfillValueInSerializer(ValueInSerializer):
    period = serializers.RegexField(r"^[0-9]{4}Q[1-4]$", help_text="The value's quarter, e.g. 2024Q2")


class BackfillValuesSerializer(serializers.Serializer):
    values = BackfillValueInSerializer(many=True, allow_empty=False, max_length=MAX_VALUES)
    dry_run = serializers.BooleanField(default=False)
    versions = serializers.DictField(child=PlainIntegerField(min_value=0, label=_lazy("version")), required=False,
                                     help_text="Per period (e.g. {\"2024Q2\": 3}): the version of that return you "
                                               "last read; a stale one is a 409 and nothing is written.")


class ResultSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    period = serializers.CharField(required=False, help_text="In a back-fill: the value's period.")
    indicator = serializers.CharField()
    component = serializers.CharField()
    outcome = serializers.ChoiceField(["created", "updated", "unchanged", "rejected"])
    reason = serializers.CharField(required=False)


class ImportSummarySerializer(serializers.Serializer):
    detail = serializers.CharField(required=False)
    dry_run = serializers.BooleanField()
    written = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = ResultSerializer(many=True)
    return_state = serializers.CharField(allow_null=True)
    return_version = serializers.IntegerField(allow_null=True)


class PeriodOutcomeSerializer(serializers.Serializer):
    period = serializers.CharField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    return_state = serializers.CharField(allow_null=True)
    return_version = serializers.IntegerField(allow_null=True)


class BackfillSummarySerializer(ImportSummarySerializer):
    return_state = None
    return_version = None
    periods = PeriodOutcomeSerializer(many=True)


class SubmitSerializer(serializers.Serializer):
    version = PlainIntegerField(min_value=0, label=_lazy("version"))
    explanation = serializers.CharField(required=False, allow_blank=True, default="")


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")
_NBS = re.compile(r"[0-9]{12}")
_PLAIN_FIGURE = re.compile(r"-?[0-9]{1,14}(\.[0-9]{1,4})?")
_FOUR_PLACES = Decimal("0.0001")


def bulk_values_validate(data) -> dict:
    """What ``BulkValuesSerializer(data=data).is_valid(raise_exception=True)`` returns, ~20× faster
    for a large push: DRF's ``many=True`` builds and runs four field validators per value. Each
    value is taken on a fast path only when it is certainly valid and DRF would read it the same way
    (ASCII slugs and codes without surrounding spaces, a plain figure of at most 14 + 4 digits or a
    small integer); anything else goes through the DRF field itself, and the first error of any
    kind hands the whole payload to the serializer, so errors keep DRF's exact shape and wording."""
    if not isinstance(data, Mapping):
        return _bulk_values_slow(data)
    values = data.get("values")
    dry_run = data.get("dry_run", False)
    version = data.get("version", empty)
    if (not isinstance(values, list) or not values or len(values) > MAX_VALUES or not isinstance(dry_run, bool)
            or not (version is empty or (type(version) is int and version >= 0))):
        return _bulk_values_slow(data)
    fields = ValueInSerializer().fields
    slug, nbs, figure, quantize = _SLUG.fullmatch, _NBS.fullmatch, _PLAIN_FIGURE.fullmatch, _FOUR_PLACES
    out = []
    try:
        for item in values:
            if type(item) is not dict:
                return _bulk_values_slow(data)
            indicator, region, component, value = (item.get("indicator"), item.get("region"), item.get("component"),
                                                    item.get("value"))
            if not (type(indicator) is str and slug(indicator)):
                indicator = fields["indicator"].run_validation(item.get("indicator", empty))
            if not (type(region) is str and nbs(region)):
                region = fields["region"].run_validation(item.get("region", empty))
            if not (type(component) is str and slug(component)):
                component = fields["component"].run_validation(item.get("component", empty))
            if type(value) is str and figure(value):
                value = Decimal(value).quantize(quantize)
            elif type(value) is int and -10**14 < value < 10**14:
                value = Decimal(value).quantize(quantize)
            else:
                value = fields["value"].run_validation(item.get("value", empty))
            out.append({"indicator": indicator, "region": region, "component": component, "value": value})
    except (serializers.ValidationError, DjangoValidationError):
        return _bulk_values_slow(data)
    result = {"values": out, "dry_run": dry_run}
    if version is not empty:
        result["version"] = version
    return result


def _bulk_values_slow(data) -> dict:
    payload = BulkValuesSerializer(data=data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


# ---- department systems: task reports and parts

class ReportContentInSerializer(serializers.Serializer):
    """What a department writes about a task for a quarter; a field left out keeps its text."""

    version = PlainIntegerField(required=False, min_value=0, label=_lazy("version"),
                                help_text="The report's (or part's) version you last read; a stale one is a 409.")
    measures = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    progress = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    problems = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    next_steps = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    self_status = serializers.ChoiceField(SelfStatus.choices, required=False, allow_blank=True)
    figures = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True, max_length=40), required=False,
        help_text="Task measures (任务指标) the department enters for this task and quarter: measure code → figure "
                  "as a string (\"1200\"; \"\" or null clears it). The same rules as the page: whole numbers for "
                  "counts, two decimals for money, a part not above its whole; refused whole (400) naming each "
                  "measure. A measure left out keeps its figure. GET /api/v1/task-measures/ lists the codes.")

    def validate_figures(self, value):
        if len(value) > 200:
            raise serializers.ValidationError(_("At most 200 figures in one request."))
        return value


def _record_figures(record) -> dict[str, str]:
    return {f.measure.code: f"{f.value:f}" for f in record.figures.select_related("measure").order_by(
        "measure__order", "measure__code")}


class TaskReportSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task.number", read_only=True)
    period = serializers.CharField(source="period.label", read_only=True)
    figures = serializers.SerializerMethodField(help_text="The task measures' figures entered in this report.")

    class Meta:
        model = TaskReport
        fields = ["task", "period", "state", "version", "measures", "progress", "problems", "next_steps",
                  "self_status", "submitted_at", "first_submitted_at", "reviewed_at", "review_comment", "figures"]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_figures(self, report) -> dict[str, str]:
        return _record_figures(report)


class TaskReportPartSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task.number", read_only=True)
    period = serializers.CharField(source="period.label", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    figures = serializers.SerializerMethodField(help_text="The task measures' figures entered in this part.")

    class Meta:
        model = TaskReportPart
        fields = ["task", "period", "department", "state", "version", "measures", "progress", "problems",
                  "next_steps", "self_status", "submitted_at", "first_submitted_at", "figures"]

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_figures(self, part) -> dict[str, str]:
        return _record_figures(part)


class TaskMeasureSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task.number", read_only=True)
    reporting_units = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    entered = serializers.BooleanField(source="is_entered", read_only=True,
                                       help_text="False: counted from other records or computed, not entered.")
    kind = serializers.CharField(read_only=True, help_text="flow | stock | ratio")
    period = serializers.CharField(read_only=True, help_text="quarter | year (entered in the fourth quarter)")

    class Meta:
        model = TaskMeasure
        fields = ["code", "task", "name", "clause", "unit", "kind", "period", "reporting_units", "entered"]


class TaskMeasureFigureSerializer(serializers.ModelSerializer):
    measure = serializers.CharField(source="measure.code", read_only=True)
    task = serializers.IntegerField(source="measure.task.number", read_only=True)
    period = serializers.CharField(source="period.label", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    entered_in = serializers.SerializerMethodField(help_text="report (the lead's) or part (a co-responsible unit's)")
    state = serializers.SerializerMethodField(help_text="The state of the report or part it was entered in.")
    changed_at = ChangedAt(allow_null=True)

    class Meta:
        model = TaskMeasureFigure
        fields = ["measure", "task", "period", "department", "value", "entered_in", "state", "version",
                  "changed_at"]

    def get_entered_in(self, row) -> str:
        return "part" if row.part_id else "report"

    def get_state(self, row) -> str:
        return (row.part or row.report).state
