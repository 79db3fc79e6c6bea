"""The targets engine's data: indicators and how they aggregate, the plan's targets and their
county quotas, the values counties report, and the snapshots the roll-up computes from them.

How a figure aggregates is decided by its indicator's kind (DOMAIN.md):
- flow: summed across units, summed over time (cumulative since the plan or the year starts);
- stock: summed across units, the value at the period's end;
- ratio: numerator and denominator each summed across units, the rate computed at every level;
- city_only: entered for the city, never derived from counties;
- derived: counted from records (certifications), never typed in.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import PlanDataQuerySet

from .querysets import IndicatorValueQuerySet, SnapshotQuerySet


class Indicator(models.Model):
    class Kind(models.TextChoices):
        FLOW = "flow", _("Flow (summed over time)")
        STOCK = "stock", _("Stock (value at period end)")
        RATIO = "ratio", _("Ratio (numerator / denominator)")
        CITY_ONLY = "city_only", _("City-only (entered for the city)")
        DERIVED = "derived", _("Derived (counted from records)")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")
        ZERO = "zero", _("Must reach zero")

    class ReportedBy(models.TextChoices):
        COUNTY = "county", _("Counties report it")
        CITY = "city", _("The city reports it")
        RECORDS = "records", _("Counted from records")

    class PeriodType(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly (accumulates within each year)")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=10)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    reported_by = models.CharField(_("reported by"), max_length=10, choices=ReportedBy.choices)
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices,
                                   default=PeriodType.QUARTERLY)
    scale = models.DecimalField(_("scale"), max_digits=8, decimal_places=2, default=Decimal("1"),
                                help_text=_("A ratio's rate is numerator / denominator × scale (100 for %)."))
    numerator_within_denominator = models.BooleanField(
        _("numerator cannot exceed denominator"), default=True,
        help_text=_("For ratios whose numerator is a part of the denominator."))
    description = models.TextField(_("description"), blank=True)
    usual_low = models.DecimalField(_("usual range from"), max_digits=10, decimal_places=2, null=True, blank=True,
                                    help_text=_("A rate outside the usual range is a warning that needs a comment."))
    usual_high = models.DecimalField(_("usual range to"), max_digits=10, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="city_only") | models.Q(reported_by="city"),
                name="indicator_city_only_is_reported_by_the_city",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="derived") | models.Q(reported_by="records"),
                name="indicator_derived_comes_from_records",
            ),
            models.CheckConstraint(condition=models.Q(scale__gt=0), name="indicator_scale_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cumulative(self) -> bool:
        return self.kind == self.Kind.FLOW


# Units of counts — people, households, villages and communities, posts, units of anything: a
# figure in one of these is a whole number (12.5 persons is refused: services.figures_validate).
COUNT_UNITS = frozenset({"人", "户", "个", "家", "村", "岗", "人次", "名", "项"})


class IndicatorComponent(models.Model):
    """What a unit enters for an indicator: one value, or a ratio's numerator and denominator."""

    class Role(models.TextChoices):
        VALUE = "value", _("Value")
        NUMERATOR = "numerator", _("Numerator")
        DENOMINATOR = "denominator", _("Denominator")

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="components")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    unit = models.CharField(_("unit"), max_length=10)

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator component")
        verbose_name_plural = _("indicator components")
        ordering = ["indicator", "-role"]  # value, numerator, denominator
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="component_unique_code"),
            models.UniqueConstraint(fields=["indicator", "role"], name="component_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.name}"

    @property
    def is_count(self) -> bool:
        """A count of people, households, villages, posts…: whole numbers only."""
        return self.unit in COUNT_UNITS


class Target(models.Model):
    class Category(models.TextChoices):
        MAIN = "main", _("Main target")
        TASK = "task", _("Task-level figure")

    Direction = Indicator.Direction

    class Span(models.TextChoices):
        PLAN = "plan", _("Whole plan period")
        YEAR = "year", _("Each year")

    class Scope(models.TextChoices):
        CITY = "city", _("City-wide")
        PER_COUNTY = "per_county", _("Each county")

    plan = models.ForeignKey("tasks.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="targets")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("task"), null=True, blank=True, on_delete=models.PROTECT, related_name="targets",
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=4)
    value_max = models.DecimalField(
        _("upper value"), max_digits=14, decimal_places=4, null=True, blank=True,
        help_text=_("For a range such as 1–2 labour brands per county."),
    )
    unit = models.CharField(_("unit"), max_length=10)
    span = models.CharField(_("span"), max_length=10, choices=Span.choices, default=Span.PLAN)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices, default=Scope.CITY)
    clause = models.TextField(_("clause"), help_text=_("The words of the plan this target comes from."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_unique_code_per_plan"),
            models.CheckConstraint(
                condition=models.Q(category="main", task__isnull=True) | models.Q(category="task", task__isnull=False),
                name="target_task_figures_name_their_task",
            ),
            models.CheckConstraint(
                condition=models.Q(direction="zero", value=0) | ~models.Q(direction="zero"),
                name="target_zero_direction_has_zero_value",
            ),
            models.CheckConstraint(
                condition=models.Q(value_max__isnull=True) | models.Q(value_max__gte=models.F("value")),
                name="target_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.task_id and self.plan_id and self.task.plan_id != self.plan_id:
            raise ValidationError({"task": _("The task belongs to another plan.")})

    @property
    def display_value(self) -> str:
        """The target as the plan would say it, by the platform's one number rule: ≥ 100,000 人, ≤ 4.00%, 1–2 个."""
        from kernel.numbers import figure_text

        if self.direction == self.Direction.ZERO:
            return figure_text(0, self.unit)
        if self.value_max is not None:
            return f"{figure_text(self.value, self.unit, suffix=False)}–{figure_text(self.value_max, self.unit)}"
        sign = "≥" if self.direction == self.Direction.AT_LEAST else "≤"
        return f"{sign} {figure_text(self.value, self.unit)}"


class QuotaSet(models.Model):
    """One issue (分解下达) of a target's split across the counties. Versions are kept: a new
    issue supersedes the last; the figures of every version stay readable."""

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="quota_sets")
    version = models.PositiveSmallIntegerField(_("version"))
    issued_on = models.DateField(_("issued on"))
    document = models.CharField(_("document"), max_length=200, blank=True,
                                help_text=_("The notice that issued the split, if any."))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county quota set")
        verbose_name_plural = _("county quota sets")
        ordering = ["target", "-version"]
        constraints = [models.UniqueConstraint(fields=["target", "version"], name="quota_set_unique_version")]

    def __str__(self) -> str:
        return f"{self.target} · v{self.version}"


class Quota(models.Model):
    quota_set = models.ForeignKey(QuotaSet, verbose_name=_("quota set"), on_delete=models.CASCADE, related_name="quotas")
    region = models.ForeignKey("divisions.Region", verbose_name=_("county"), on_delete=models.PROTECT,
                               related_name="quotas", limit_choices_to={"level": "county"})
    value = models.DecimalField(_("quota"), max_digits=14, decimal_places=4)

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county quota")
        verbose_name_plural = _("county quotas")
        ordering = ["quota_set", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["quota_set", "region"], name="quota_unique_county"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="quota_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.value}"


class YearlyAllocation(models.Model):
    """Optional: how much of a cumulative target the city expects in each year (for the pace
    line); ``region`` empty means the city as a whole."""

    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="allocations")
    region = models.ForeignKey("divisions.Region", verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("allocation"), max_digits=14, decimal_places=4)

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly allocation")
        verbose_name_plural = _("yearly allocations")
        ordering = ["target", "region", "year"]
        constraints = [
            models.UniqueConstraint(fields=["target", "region", "year"], condition=models.Q(region__isnull=False),
                                    name="allocation_unique_county_year"),
            models.UniqueConstraint(fields=["target", "year"], condition=models.Q(region__isnull=True),
                                    name="allocation_unique_city_year"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="allocation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.year}: {self.value}"


class IndicatorValue(models.Model):
    """One figure: an indicator's component for one unit and one quarter. Decimal, never float.
    Carries where it came from and who is answerable for it; only approved values count in
    official figures."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    class Source(models.TextChoices):
        FORM = "form", _("Form")
        IMPORT = "import", _("Excel import")
        API = "api", _("API")
        SYSTEM = "system", _("System")

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values")
    component = models.ForeignKey(IndicatorComponent, verbose_name=_("component"), on_delete=models.PROTECT,
                                  related_name="values")
    region = models.ForeignKey("divisions.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="indicator_values")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.FORM)
    source_ref = models.CharField(_("source reference"), max_length=200, blank=True,
                                  help_text=_("Which return, import file or API request."))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = IndicatorValueQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "region__code", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "component", "region", "year", "quarter"],
                                    name="value_unique_per_unit_quarter_component"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="value_quarter_1_to_4"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="value_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_at__isnull=False),
                name="value_approved_has_approval_time",
            ),
        ]
        indexes = [
            # the roll-up: one indicator's approved values, by quarter
            models.Index(fields=["indicator", "status", "year", "quarter"], name="value_rollup_idx"),
            # a county's return for one quarter
            models.Index(fields=["region", "year", "quarter"], name="value_region_quarter_idx"),
        ]

    def __str__(self) -> str:
        return self.describe(indicator_code=self.indicator.code, region_id=self.region_id, year=self.year,
                             quarter=self.quarter, component_code=self.component.code, value=self.value)

    @staticmethod
    def describe(*, indicator_code: str, region_id: int, year: int, quarter: int, component_code: str,
                 value) -> str:
        """The figure's name in the audit trail; bulk writes call this without building instances."""
        return f"{indicator_code} {region_id} {year}Q{quarter} {component_code}={value}"


class Snapshot(models.Model):
    """Where one plan's target on an indicator stands for one unit at the end of one quarter,
    computed by the roll-up from approved values. A reported value is a fact about a region and a
    quarter and may count toward several plans; a snapshot is that value seen by one plan (its
    window, its target, its pace), so each plan has its own. Everything a dashboard shows is read
    from here, for one plan."""

    class Status(models.TextChoices):
        GREEN = "green", _("On track")
        AMBER = "amber", _("At risk")
        RED = "red", _("Behind")
        NONE = "none", _("No data")

    plan = models.ForeignKey("tasks.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="snapshots")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="snapshots")
    target = models.ForeignKey(Target, verbose_name=_("target"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="snapshots", help_text=_("The plan's target on the indicator."))
    region = models.ForeignKey("divisions.Region", verbose_name=_("region"), on_delete=models.CASCADE,
                               related_name="snapshots")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    period_value = models.DecimalField(_("value in the quarter"), max_digits=20, decimal_places=4, null=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True,
                                help_text=_("Cumulative for flows; at the quarter's end for stocks and ratios."))
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4, null=True)
    target_value = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True)
    percent_achieved = models.DecimalField(_("percent achieved"), max_digits=10, decimal_places=2, null=True)
    percent_time_elapsed = models.DecimalField(_("percent of time elapsed"), max_digits=6, decimal_places=2, null=True)
    expected_to_date = models.DecimalField(_("expected to date"), max_digits=20, decimal_places=4, null=True)
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.NONE)
    status_reason = models.CharField(_("status rule"), max_length=300, blank=True)
    projected_end_value = models.DecimalField(_("projected end value"), max_digits=20, decimal_places=4, null=True)
    required_run_rate = models.DecimalField(_("needed per quarter from now"), max_digits=20, decimal_places=4,
                                            null=True)
    units_reported = models.PositiveIntegerField(_("units reported"), default=0)
    units_expected = models.PositiveIntegerField(_("units expected"), default=0)
    data_as_of = models.DateTimeField(_("data as of"), null=True,
                                      help_text=_("Latest approval among the values behind this figure."))
    computed_at = models.DateTimeField(_("computed at"))
    run = models.ForeignKey("RollupRun", verbose_name=_("roll-up run"), null=True, on_delete=models.SET_NULL,
                            related_name="+")

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["indicator", "region__code", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "region", "year", "quarter"],
                                    name="snapshot_unique_per_plan"),
        ]
        indexes = [
            # dashboards: one plan, one indicator, one quarter, every region
            models.Index(fields=["plan", "indicator", "year", "quarter"], name="snapshot_plan_quarter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.indicator.code} {self.region_id} {self.year}Q{self.quarter}"

    @property
    def quarter_label(self) -> str:
        return f"{self.year}Q{self.quarter}"


class RollupRun(models.Model):
    """A record of each roll-up: what it covered, how it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    trigger = models.CharField(_("trigger"), max_length=30)
    scope = models.JSONField(_("scope"), default=dict)
    process = models.CharField(_("process"), max_length=100, blank=True, help_text=_("host:pid that ran it"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True)
    created = models.PositiveIntegerField(_("snapshots created"), default=0)
    updated = models.PositiveIntegerField(_("snapshots updated"), default=0)
    unchanged = models.PositiveIntegerField(_("snapshots unchanged"), default=0)
    error = models.TextField(_("error"), blank=True)

    objects = PlanDataQuerySet.as_manager()

    class Meta:
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.trigger} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
