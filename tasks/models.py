"""The plan as data: a plan document, its sections and tasks, the departments it names and
who is responsible for what. A successor plan is a new row (see services.plan_clone), not code."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import PlanDataQuerySet
from kernel.quarters import Quarter

from .querysets import DepartmentQuerySet, PlanQuerySet, TaskQuerySet


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    doc_number = models.CharField(_("document number"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    notice_title = models.CharField(_("notice title"), max_length=300, blank=True)
    issuer = models.CharField(_("issuer"), max_length=100)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    period_label = models.CharField(_("period label"), max_length=100, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    full_text = models.TextField(_("full text"), blank=True)
    source_file = models.CharField(_("source file"), max_length=200, blank=True)
    cloned_from = models.ForeignKey(
        "self", verbose_name=_("cloned from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="clones",
    )

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["full_text"])

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gt=models.F("period_start")), name="plan_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_number}）"

    # The plan's window: the quarters its figures are computed for (a value reported for a quarter
    # counts toward every plan whose window holds that quarter).

    @property
    def first_quarter(self) -> Quarter:
        return Quarter.of_date(self.period_start)

    @property
    def last_quarter(self) -> Quarter:
        return Quarter.of_date(self.period_end)

    def covers(self, quarter: Quarter) -> bool:
        return self.first_quarter <= quarter <= self.last_quarter

    @property
    def period_text(self) -> str:
        """The period as people say it: 2021年—2025年 for whole years, else from day to day."""
        start, end = self.period_start, self.period_end
        if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
            return _("%(start)s–%(end)s") % {"start": start.year, "end": end.year}
        return _("%(start)s to %(end)s") % {"start": start.isoformat(), "end": end.isoformat()}


class Section(models.Model):
    """A part of the plan: 一、总体要求 with its subsections, 二、主要任务 with its five task
    groups, 三、工作要求."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General requirements")
        TARGETS = "targets", _("Main targets")
        TASKS = "tasks", _("Main tasks")
        TASK_GROUP = "task_group", _("Task group")
        REQUIREMENTS = "requirements", _("Work requirements")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("key"), max_length=30, help_text=_("Stable within the plan, e.g. tasks.3"))
    parent = models.ForeignKey(
        "self", verbose_name=_("parent section"), null=True, blank=True, on_delete=models.CASCADE, related_name="children",
    )
    ordinal = models.CharField(_("ordinal"), max_length=10)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="section_unique_key_per_plan")]

    def __str__(self) -> str:
        return f"{self.ordinal}{self.title}"

    def clean(self) -> None:
        if self.parent_id and self.plan_id and self.parent.plan_id != self.plan_id:
            raise ValidationError({"parent": _("The parent section belongs to another plan.")})


class Department(models.Model):
    """A unit the plan names: a municipal department, a mass organisation, an institution, a
    government, a county HR bureau, or a group of units (市重点产业链牵头单位)."""

    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal department")
        MASS_ORG = "mass_org", _("Mass organisation")
        INSTITUTION = "institution", _("Public institution")
        GOVERNMENT = "government", _("Government")
        COUNTY_HR = "county_hr", _("County HR bureau")
        GROUP = "group", _("Group of units")

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("As the plan writes it."))
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "divisions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="departments", help_text=_("For county governments and HR bureaux."),
    )
    members = models.ManyToManyField(
        "self", verbose_name=_("members"), blank=True, symmetrical=False, related_name="groups",
        help_text=_("For a group of units: the departments the city names as its members."),
    )
    chain = models.CharField(
        _("key industry chain"), max_length=200, blank=True,
        help_text=_("For a member of a group of chain leads (市重点产业链牵头单位): the key industry chain(s) it "
                    "leads, e.g. 富硒食品."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def name_with_chain(self) -> str:
        """A group member as the group's lists show it: its name and the chain it leads."""
        return f"{self.name}（{self.chain}）" if self.chain else self.name

    def members_with_chains(self) -> list[str]:
        """A group's members, each with its chain (the task report page, the admin)."""
        return [m.name_with_chain for m in self.members.order_by("order", "name")]


class DepartmentAlias(models.Model):
    """Another name the same office signs with, e.g. 市工信局 also signs as 市国资委."""

    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department alias")
        verbose_name_plural = _("department aliases")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    """A numbered item of the plan: tasks 1–19 with their department lists, and the work
    requirements 20–22, which address governments and HR bureaux at every level instead."""

    class Kind(models.TextChoices):
        TASK = "task", _("Task")
        REQUIREMENT = "requirement", _("Work requirement")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    clause = models.TextField(_("clause text"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TASK)
    addressed_to = models.CharField(
        _("addressed to"), max_length=200, blank=True, help_text=_("For work requirements: whom the text addresses."),
    )
    departments = models.ManyToManyField(Department, through="Responsibility", related_name="tasks")

    objects = TaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_unique_number_per_plan")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def clean(self) -> None:
        if self.section_id and self.plan_id and self.section.plan_id != self.plan_id:
            raise ValidationError({"section": _("The section belongs to another plan.")})

    @property
    def lead(self) -> Department | None:
        """The lead unit (牵头单位); uses prefetched responsibilities when present."""
        for r in self.responsibilities.all():
            if r.role == Responsibility.Role.LEAD:
                return r.department
        return None


class Responsibility(models.Model):
    """A department's place in a task's list. The first unit leads (首个单位为牵头单位)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead unit")
        CO = "co", _("Co-responsible unit")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="responsibilities")
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="responsibilities")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order in the document"))

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "department"], name="responsibility_unique_department"),
            models.UniqueConstraint(fields=["task", "order"], name="responsibility_unique_order"),
            models.UniqueConstraint(fields=["task"], condition=models.Q(role="lead"), name="responsibility_one_lead"),
            models.CheckConstraint(
                condition=models.Q(role="lead", order=1) | (models.Q(role="co") & ~models.Q(order=1)),
                name="responsibility_lead_is_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.department} · {self.get_role_display()}"


class TaskMeasure(models.Model):
    """A measurable thing a task's text commits to (任务指标): trained people, community factories,
    guaranteed loans… Curated from the task's clause (tasks/data/task_measures_2022.json), each
    quoting its words; with a target where the text gives a number, tracked without one where it
    does not. Departments enter its figures in their quarterly task reports and parts (reports
    app); they roll up over units, by year and over the plan by the measure's kind."""

    class Kind(models.TextChoices):
        FLOW = "flow", _("Flow (summed over time)")
        STOCK = "stock", _("Stock (latest value)")
        RATIO = "ratio", _("Ratio of two measures")

    class Period(models.TextChoices):
        QUARTER = "quarter", _("Each quarter")
        YEAR = "year", _("Each year (in the fourth quarter)")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")

    class Span(models.TextChoices):
        PLAN = "plan", _("Whole plan period")
        YEAR = "year", _("Each year")

    class Scope(models.TextChoices):
        CITY = "city", _("City-wide")
        PER_COUNTY = "per_county", _("Each county")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="measures")
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    clause = models.TextField(_("clause"), help_text=_("The plan's words this measure comes from, verbatim."))
    unit = models.CharField(_("unit"), max_length=10)
    kind = models.CharField(_("aggregation"), max_length=10, choices=Kind.choices)
    period = models.CharField(_("period type"), max_length=10, choices=Period.choices, default=Period.QUARTER)
    reporting_units = models.ManyToManyField(Department, verbose_name=_("reporting units"), blank=True,
                                             related_name="measures")
    numerator = models.ForeignKey("self", verbose_name=_("numerator"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    denominator = models.ForeignKey("self", verbose_name=_("denominator"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    target_direction = models.CharField(_("target direction"), max_length=10, choices=Direction.choices, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=4, null=True, blank=True)
    target_value_max = models.DecimalField(_("upper target value"), max_digits=14, decimal_places=4, null=True,
                                           blank=True)
    target_span = models.CharField(_("target span"), max_length=10, choices=Span.choices, blank=True)
    target_scope = models.CharField(_("target scope"), max_length=12, choices=Scope.choices, blank=True)
    counted_from = models.CharField(_("counted from"), max_length=200, blank=True,
                                    help_text=_("Not entered in task reports: the records it is counted from."))
    indicator_code = models.CharField(
        _("indicator counted from"), max_length=60, blank=True,
        help_text=_("The code of the plan indicator whose approved county figures this measure reads (the plan "
                    "asks for the figure once, in the counties' returns), e.g. internship_posts."))

    objects = PlanDataQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[reporting_units])

    class Meta:
        verbose_name = _("task measure")
        verbose_name_plural = _("task measures")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "code"], name="task_measure_unique_code"),
            models.CheckConstraint(condition=~models.Q(kind="ratio")
                                   | models.Q(numerator__isnull=False, denominator__isnull=False),
                                   name="task_measure_ratio_has_parts"),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.name}"

    @property
    def counted_elsewhere(self) -> str:
        """What the task's pages show instead of a figure: the records it is counted from, for a
        measure with no figure of its own (labour brands). One that reads a plan indicator has its
        figures, rolled up like the others."""
        return "" if self.indicator_code else self.counted_from

    @property
    def has_target(self) -> bool:
        return self.target_value is not None

    @property
    def is_entered(self) -> bool:
        """Entered as a figure in task reports (a ratio is computed, a counted measure counted)."""
        return self.kind != self.Kind.RATIO and not self.counted_from

    @property
    def whole_numbers(self) -> bool:
        """Counts of people, posts, places… are whole numbers; amounts of money are not."""
        return self.unit not in MONEY_UNITS and self.kind != self.Kind.RATIO


MONEY_UNITS = ("万元", "元")
