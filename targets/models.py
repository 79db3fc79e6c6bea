"""The plan's targets, each tied to the clause it comes from. How each target's figures
aggregate (indicators, values, roll-up) is the targets engine's, built on these rows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import PlanDataQuerySet


class Target(models.Model):
    class Category(models.TextChoices):
        MAIN = "main", _("Main target")
        TASK = "task", _("Task-level figure")

    class Direction(models.TextChoices):
        AT_LEAST = "at_least", _("At least")
        AT_MOST = "at_most", _("At most")
        ZERO = "zero", _("Must reach zero")

    class Span(models.TextChoices):
        PLAN = "plan", _("Whole plan period")
        YEAR = "year", _("Each year")

    class Scope(models.TextChoices):
        CITY = "city", _("City-wide")
        PER_COUNTY = "per_county", _("Each county")

    plan = models.ForeignKey("tasks.Plan", verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
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

    @property
    def display_value(self) -> str:
        """The target as the plan would say it: ≥ 100,000 人, ≤ 4 %, 0 户, 1–2 个."""
        def fmt(v) -> str:
            n = v.normalize()
            return f"{n:,f}" if n == n.to_integral() else f"{n:f}"

        if self.direction == self.Direction.ZERO:
            return f"0 {self.unit}"
        if self.value_max is not None:
            return f"{fmt(self.value)}–{fmt(self.value_max)} {self.unit}"
        sign = "≥" if self.direction == self.Direction.AT_LEAST else "≤"
        return f"{sign} {fmt(self.value)} {self.unit}"
