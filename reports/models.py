"""Quarterly reporting: reporting periods with their deadlines and locks, exceptions, and the
counties' quarterly returns (their figures for every indicator they report), reviewed by the city.

A return's figures are targets.IndicatorValue rows (source_ref "return:<id>"); their status follows
the return's state, and approval hands them to the roll-up.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import connections, models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from divisions.models import Region
from kernel.quarters import Quarter
from kernel.sms import MOBILE_RE
from tasks.models import Responsibility

from . import access

LEAD = Responsibility.Role.LEAD  # the department that compiles a task's report


class ReportingPeriod(models.Model):
    """A quarter to report on: due some days after it ends, and closed to entry after a window."""

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    due_on = models.DateField(_("due on"))
    locks_after = models.DateField(_("entry closes after"),
                                   help_text=_("The last day figures can be entered or changed without an exception."))
    # entry opens the day after the quarter ends, unless the city office opened it early (who, when, why)
    opened_early_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened early by"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    opened_early_at = models.DateTimeField(_("opened early at"), null=True, blank=True)
    opened_early_reason = models.CharField(_("reason for opening early"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_unique_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="period_quarter_1_to_4"),
            models.CheckConstraint(condition=models.Q(locks_after__gte=models.F("due_on")), name="period_locks_after_due"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def as_quarter(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def opens_on(self) -> datetime.date:
        """The first day of entry: the day after the quarter ends (a quarter is reported once it is over)."""
        return self.as_quarter.end + datetime.timedelta(days=1)

    @property
    def opened_early(self) -> bool:
        return self.opened_early_at is not None

    def is_open_on(self, day: datetime.date) -> bool:
        """Entry is open from the day after the quarter ends — from its first day if the city office
        opened it early — to ``locks_after`` inclusive (local dates)."""
        first = self.as_quarter.start if self.opened_early else self.opens_on
        return first <= day <= self.locks_after

    def is_not_yet_open_on(self, day: datetime.date) -> bool:
        """Still ahead: the quarter is running (or to come) and was not opened early."""
        return not self.opened_early and day < self.opens_on


class OneUnit(models.Model):
    """Something that concerns one unit: a county or a department, never both, never neither."""

    region = models.ForeignKey("divisions.Region", verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "county"})
    department = models.ForeignKey("tasks.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=models.Q(region__isnull=True, department__isnull=False)
                                   | models.Q(region__isnull=False, department__isnull=True),
                                   name="%(class)s_for_exactly_one_unit"),
        ]

    @property
    def unit(self):
        return self.region or self.department


class PeriodException(OneUnit):
    """The city administrator reopens one period for one unit — a county or a department — until a
    date, with a reason."""

    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE,
                               related_name="exceptions")
    open_until = models.DateField(_("open until"))
    reason = models.CharField(_("reason"), max_length=300)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta(OneUnit.Meta):
        verbose_name = _("period exception")
        verbose_name_plural = _("period exceptions")
        ordering = ["-opened_at"]
        constraints = [*OneUnit.Meta.constraints,
                       models.CheckConstraint(condition=~models.Q(reason=""), name="exception_has_reason")]

    def __str__(self) -> str:
        return f"{self.period} · {self.unit} · {self.open_until}"


class ReviewState(models.TextChoices):
    """The review workflow of county returns and task reports."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")


class VersionedRecord(models.Model):
    """A record people edit through forms: every save raises the version, and remembers who and
    when, so a stale save can be refused with their names (services._lock)."""

    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last changed by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("last changed at"), null=True, blank=True)

    class Meta:
        abstract = True


class SubmittedRecord(VersionedRecord):
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True,
                                              help_text=_("Timeliness is judged by the first submission."))

    class Meta:
        abstract = True


class ReviewedRecord(SubmittedRecord):
    """Sent to the office, which approves it or returns it with a comment; approved is locked."""

    State = ReviewState

    state = models.CharField(_("state"), max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_editable_state(self) -> bool:
        return self.state in (ReviewState.DRAFT, ReviewState.RETURNED)


class SelfStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BEHIND = "behind", _("Behind")


class ReportContent(models.Model):
    """What a department writes about a task each quarter."""

    measures = models.TextField(_("measures taken"), blank=True)
    progress = models.TextField(_("progress on the task's figures"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    self_status = models.CharField(_("self-assessed status"), max_length=10, choices=SelfStatus.choices, blank=True)

    class Meta:
        abstract = True


class CountyReturnQuerySet(models.QuerySet):
    def for_user(self, user):
        """The office and leaders see every county's returns; a county officer only their own."""
        if access.sees_every_unit(user):
            return self
        region_id = access.own_reporting_region_id(user)
        return self.filter(region_id=region_id) if region_id else self.none()

    def units_for(self, user):
        """The reporting units whose returns ``user`` sees — the city (its own figures) and the
        counties — in code order (the city first)."""
        units = Region.objects.for_user(user).filter(level__in=[Region.Level.CITY, Region.Level.COUNTY]).order_by(
            "code")
        if access.sees_every_unit(user):
            return units
        region_id = access.own_reporting_region_id(user)
        return units.filter(pk=region_id) if region_id else units.none()

    def counties_for(self, user):
        """The counties whose returns ``user`` sees (the same rule as for_user), in code order."""

        counties = Region.objects.for_user(user).counties().order_by("code")
        if access.sees_every_unit(user):
            return counties
        county_id = access.own_county_id(user)
        return counties.filter(pk=county_id) if county_id else counties.none()

    def editable_by(self, user):
        """Filled in by the county's own officers (the city's by its statistics officers); reviewed
        by the office (see services)."""
        if access.reviews_reporting(user):
            return self
        region_id = access.own_reporting_region_id(user)
        return self.filter(region_id=region_id) if region_id else self.none()


class CountyReturn(ReviewedRecord):
    """A reporting unit's quarterly return: a county's (the indicators counties report), or the
    city's own (the city-only indicators, entered by the city's statistics officer) — one model,
    one workflow, one audit for both."""

    region = models.ForeignKey("divisions.Region", verbose_name=_("reporting unit"), on_delete=models.PROTECT,
                               related_name="county_returns", limit_choices_to={"level__in": ["city", "county"]})
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT,
                               related_name="county_returns")
    explanation = models.TextField(_("explanation of warnings"), blank=True)

    objects = CountyReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county return")
        verbose_name_plural = _("county returns")
        ordering = ["-period__year", "-period__quarter", "region__code"]
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="county_return_unique_period")]

    def __str__(self) -> str:
        return f"{self.region} {self.period}"

    @property
    def source_ref(self) -> str:
        return f"return:{self.pk}"


class TaskReportPartQuerySet(models.QuerySet):
    def for_user(self, user):
        """The office and leaders see every part; a department its own parts and, for the tasks it
        leads, every part."""
        if access.sees_every_unit(user):
            return self
        acting = access.acting_department_ids(user)
        if acting:
            return self.filter(models.Q(department_id__in=acting)
                               | models.Q(task__responsibilities__department_id__in=acting,
                                          task__responsibilities__role=LEAD)).distinct()
        return self.none()

    def editable_by(self, user):
        """A department's own parts, and a group's parts for its members."""
        acting = access.acting_department_ids(user)
        return self.filter(department_id__in=acting) if acting else self.none()


class TaskReportPart(ReportContent, SubmittedRecord):
    """A co-responsible department's part of a task's quarterly report, sent to the lead."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="report_parts")
    department = models.ForeignKey("tasks.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="report_parts")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT,
                               related_name="report_parts")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # A group of units (市重点产业链牵头单位) files through one of its members: which one, shown beside it.
    filed_by_department = models.ForeignKey("tasks.Department", verbose_name=_("filed on the group's behalf by"),
                                            null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The lead returns a submitted part with a comment: back to draft, the comment shown until resent.
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("returned by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_comment = models.TextField(_("lead unit's comment"), blank=True)

    objects = TaskReportPartQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task report part")
        verbose_name_plural = _("task report parts")
        ordering = ["-period__year", "-period__quarter", "task__number", "department__order"]
        constraints = [models.UniqueConstraint(fields=["task", "department", "period"], name="report_part_unique")]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.department} · {self.period}"


class TaskReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """The office and leaders see every task report; a department the reports of its tasks."""
        if access.sees_every_unit(user):
            return self
        acting = access.acting_department_ids(user)
        if acting:
            return self.filter(task__responsibilities__department_id__in=acting).distinct()
        return self.none()

    def editable_by(self, user):
        """Compiled by the lead department."""
        department_id = access.own_department_id(user)
        if department_id:
            return self.filter(task__responsibilities__department_id=department_id,
                               task__responsibilities__role=LEAD)
        return self.none()


class TaskReport(ReportContent, ReviewedRecord):
    """A task's quarterly progress report, compiled by its lead department from the parts and
    sent to the office of the leading group, which approves it or returns it with a comment."""

    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT,
                               related_name="task_reports")
    missing_parts_reason = models.TextField(
        _("why parts are missing"), blank=True,
        help_text=_("Given by the lead when it submits without every co-responsible unit's part; the office sees it."))

    objects = TaskReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task report")
        verbose_name_plural = _("task reports")
        ordering = ["-period__year", "-period__quarter", "task__number"]
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="task_report_unique")]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.period}"


class CorrectionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Who sees a correction: whoever sees its return."""
        return self.filter(county_return__in=CountyReturn.objects.for_user(user))


class Correction(models.Model):
    """A request to correct approved figures (统计数据更正), with a reason, reviewed by the office.
    The first-reported and the corrected figures are both kept (in the items) and both shown."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    county_return = models.ForeignKey(CountyReturn, verbose_name=_("county return"), on_delete=models.PROTECT,
                                      related_name="corrections")
    indicator = models.ForeignKey("targets.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="corrections")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = CorrectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-requested_at"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="correction_has_reason")]

    def __str__(self) -> str:
        return f"{self.county_return} · {self.indicator.code} · {self.get_state_display()}"


class CorrectionItem(models.Model):
    correction = models.ForeignKey(Correction, verbose_name=_("correction"), on_delete=models.CASCADE,
                                   related_name="items")
    value = models.ForeignKey("targets.IndicatorValue", verbose_name=_("value"), on_delete=models.PROTECT,
                              related_name="correction_items")
    old_value = models.DecimalField(_("reported value"), max_digits=18, decimal_places=4)
    new_value = models.DecimalField(_("corrected value"), max_digits=18, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction item")
        verbose_name_plural = _("correction items")
        constraints = [models.UniqueConstraint(fields=["correction", "value"], name="correction_item_unique")]

    def __str__(self) -> str:
        return f"{self.value.component.code}: {self.old_value} → {self.new_value}"


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)

    def unread_count(self, user) -> int:
        """How many of ``user``'s notifications are unread: the badge every page shows. The rows of
        ``for_user(user).unread()``, counted by one written statement on the bell's index: compiling
        the ORM's count (~0.3 ms of CPU) costs more than the database's answer, on every page
        (``tests/reports/test_notifications.py`` holds the two to the same count)."""
        if not user.is_authenticated:
            return 0
        meta = self.model._meta
        with connections[self.db].cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{meta.db_table}" WHERE "{meta.get_field("recipient").column}" = %s '
                           f'AND "{meta.get_field("read_at").column}" IS NULL', [user.pk])
            return cursor.fetchone()[0]


class Notification(models.Model):
    """A message in the platform (and by e-mail): a report due soon, overdue, returned, approved,
    a leader's instruction. ``key`` makes a reminder idempotent: one per recipient and key."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")
        INSTRUCTION = "instruction", _("Leader's instruction")
        EXTENSION = "extension", _("Extension")
        REVIEW = "review", _("Waiting for your review")
        # a change to the audit role (三员分立), for the auditors who held it: reports/receivers.py
        SECURITY = "security", _("Security")
        # 督办: an instruction's deadline nears (units), a unit replied (office), a reply reviewed (unit)
        SUPERVISION = "supervision", _("Supervision")
        # e-mails or text messages that could not be sent, for the office (reports/deliveries.py)
        DELIVERY = "delivery", _("Delivery failures")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed = models.BooleanField(_("e-mailed"), default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")]
        indexes = [
            # the bell: one person's unread messages
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class InstructionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Shown to whoever sees every unit, to the departments that answer for the task and to the
        units the instruction is addressed to (督办)."""
        if access.sees_every_unit(user):
            return self
        department_id = access.own_department_id(user)
        county_id = access.own_county_id(user)
        if department_id:
            return self.filter(models.Q(task__responsibilities__department_id=department_id)
                               | models.Q(addressees__department_id=department_id)).distinct()
        if county_id:
            return self.filter(addressees__region_id=county_id).distinct()
        return self.none()

    def open(self):
        """Not closed: at least one addressed unit's reply is not closed yet."""
        return self.filter(addressees__state__in=InstructionUnit.OPEN_STATES).distinct()

    def overdue_on(self, day: datetime.date):
        """Past their deadline with a unit's reply still not closed."""
        return self.open().filter(deadline__lt=day)


class Instruction(models.Model):
    """A leader's instruction (领导批示) on a task, shown to the task's departments. Since 督办 it
    names the units responsible (InstructionUnit) and a deadline; instructions given before have
    neither."""

    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), on_delete=models.PROTECT, related_name="instructions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("instruction"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    objects = InstructionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="instruction_has_text")]

    def __str__(self) -> str:
        return f"{self.task.number} · {self.author} · {self.created_at:%Y-%m-%d}"


class InstructionUnitQuerySet(models.QuerySet):
    def for_user(self, user):
        """The office and leaders see every unit's reply; a unit only its own."""
        if access.sees_every_unit(user):
            return self
        department_id = access.own_department_id(user)
        if department_id:
            return self.filter(department_id=department_id)
        county_id = access.own_county_id(user)
        return self.filter(region_id=county_id) if county_id else self.none()


class InstructionUnit(OneUnit, VersionedRecord):
    """One unit an instruction is addressed to, and its reply (办理情况反馈): open until it replies;
    the office closes the reply or returns it with a comment (the unit replies again)."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the reply")
        REPLIED = "replied", _("Replied")
        RETURNED = "returned", _("Returned")
        CLOSED = "closed", _("Closed")

    OPEN_STATES = (State.OPEN, State.REPLIED, State.RETURNED)

    instruction = models.ForeignKey(Instruction, verbose_name=_("leader's instruction"), on_delete=models.CASCADE,
                                    related_name="addressees")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("replied by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    objects = InstructionUnitQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(OneUnit.Meta):
        verbose_name = _("instruction addressee")
        verbose_name_plural = _("instruction addressees")
        ordering = ["instruction", "pk"]
        constraints = [
            *OneUnit.Meta.constraints,
            models.UniqueConstraint(fields=["instruction", "region"], name="instruction_unit_unique_region"),
            models.UniqueConstraint(fields=["instruction", "department"], name="instruction_unit_unique_department"),
        ]

    def __str__(self) -> str:
        return f"{self.instruction} · {self.unit} · {self.get_state_display()}"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class ExtensionRequestQuerySet(models.QuerySet):
    def for_user(self, user):
        """The office sees every request; an officer the requests they made."""
        if access.reviews_reporting(user):
            return self
        return self.filter(requested_by=user) if access.can_ask_for_extension(user) else self.none()

    def editable_by(self, user):
        """The requests ``user`` may decide: the office decides them all."""
        return self if access.reviews_reporting(user) else self.none()


class ExtensionRequest(OneUnit):
    """A unit asks for more time on one period; approval opens a PeriodException."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT,
                               related_name="extension_requests")
    until = models.DateField(_("asked until"))
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    review_comment = models.TextField(_("review comment"), blank=True)
    exception = models.OneToOneField(PeriodException, verbose_name=_("exception"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="extension_request")

    objects = ExtensionRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(OneUnit.Meta):
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [*OneUnit.Meta.constraints,
                       models.CheckConstraint(condition=~models.Q(reason=""), name="extension_has_reason")]

    def __str__(self) -> str:
        return f"{self.period} · {self.unit} · {self.get_state_display()}"


class EvidenceQuerySet(models.QuerySet):
    def for_user(self, user):
        """A file is seen by whoever sees the report or the part it belongs to."""
        return self.filter(models.Q(report__in=TaskReport.objects.for_user(user))
                           | models.Q(part__in=TaskReportPart.objects.for_user(user))
                           | models.Q(reply__in=InstructionUnit.objects.for_user(user)))


class Evidence(models.Model):
    """A file attached as evidence to a task report, to a department's part or to a unit's reply
    to a leader's instruction."""

    report = models.ForeignKey(TaskReport, verbose_name=_("task report"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="evidence")
    part = models.ForeignKey(TaskReportPart, verbose_name=_("task report part"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="evidence")
    reply = models.ForeignKey(InstructionUnit, verbose_name=_("reply to an instruction"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]
        constraints = [models.CheckConstraint(
            condition=models.Q(report__isnull=True, part__isnull=False, reply__isnull=True)
            | models.Q(report__isnull=False, part__isnull=True, reply__isnull=True)
            | models.Q(report__isnull=True, part__isnull=True, reply__isnull=False),
            name="evidence_belongs_to_one_record")]

    def __str__(self) -> str:
        return self.name


class TaskMeasureFigureQuerySet(models.QuerySet):
    def for_user(self, user):
        """A figure is seen by whoever sees the part or the report it was entered in."""
        return self.filter(models.Q(report__in=TaskReport.objects.for_user(user))
                           | models.Q(part__in=TaskReportPart.objects.for_user(user)))


class TaskMeasureFigure(VersionedRecord):
    """One reporting unit's figure for one task measure (任务指标) in one quarter, entered in its
    part (a co-responsible unit) or in the compiled report (the lead), next to the narrative."""

    measure = models.ForeignKey("tasks.TaskMeasure", verbose_name=_("task measure"), on_delete=models.PROTECT,
                                related_name="figures")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT,
                               related_name="measure_figures")
    department = models.ForeignKey("tasks.Department", verbose_name=_("reporting unit"), on_delete=models.PROTECT,
                                   related_name="measure_figures")
    part = models.ForeignKey(TaskReportPart, verbose_name=_("task report part"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="figures")
    report = models.ForeignKey(TaskReport, verbose_name=_("task report"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="figures")
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True,
                            help_text=_("Where the figure comes from, e.g. 【演示数据】 for demo figures."))

    objects = TaskMeasureFigureQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task measure figure")
        verbose_name_plural = _("task measure figures")
        ordering = ["measure__task__number", "measure__order", "period__year", "period__quarter"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period", "department"], name="measure_figure_unique"),
            models.CheckConstraint(condition=models.Q(report__isnull=True, part__isnull=False)
                                   | models.Q(report__isnull=False, part__isnull=True),
                                   name="measure_figure_belongs_to_one_record"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="measure_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} · {self.department} · {self.period}: {self.value}"


# ---------------------------------------------------------------- notifications that leave the platform

mobile_validator = RegexValidator(MOBILE_RE, _("Enter a mainland mobile number of 11 digits starting with 13–19."),
                                  code="mobile")


class Channel(models.TextChoices):
    """Where a notification goes besides the platform (站内, always)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


# The kinds a person may have sent outside: not delivery failures (the office reads those in the
# platform; a failure to send is not itself sent, which could fail again).
CHOOSABLE_KINDS = frozenset(Notification.Kind.values) - {Notification.Kind.DELIVERY}


class NotificationPreference(models.Model):
    """One person's choice of channels: the platform always; e-mail and text messages when they opt
    in, for every kind of notification or for the kinds they pick. The e-mail address is the
    user's own (``User.email``); the mobile number is kept here."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="notification_preference")
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[mobile_validator])
    email_all = models.BooleanField(_("every notification by e-mail"), default=False)
    email_kinds = models.JSONField(_("by e-mail"), default=list, blank=True)
    sms_all = models.BooleanField(_("every notification by text message"), default=False)
    sms_kinds = models.JSONField(_("by text message"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return str(self.user)

    def wants(self, channel: str, kind: str) -> bool:
        if kind not in CHOOSABLE_KINDS:
            return False
        if channel == Channel.EMAIL:
            return self.email_all or kind in self.email_kinds
        return self.sms_all or kind in self.sms_kinds


class NotificationDeliveryQuerySet(models.QuerySet):
    def for_user(self, user):
        """The delivery log is the city office's (it holds everyone's addresses and messages)."""
        return self if access.reads_delivery_log(user) else self.none()


class NotificationDelivery(models.Model):
    """One notification sent on one outside channel, and what became of it: the delivery log."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed, not retried")

    notification = models.ForeignKey(Notification, verbose_name=_("notification"), on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254,
                               help_text=_("The e-mail address or mobile number it was sent to."))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    gateway_id = models.CharField(_("gateway's message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = NotificationDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"],
                                               name="notification_delivery_unique_channel")]
        indexes = [
            # the retry job's query: pending deliveries whose next attempt is due
            models.Index(fields=["state", "next_attempt_at"], name="notification_delivery_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.channel} ({self.state})"

class ReviewStepQuerySet(models.QuerySet):
    def for_user(self, user):
        """A step is seen by whoever sees the return, the report or the part it belongs to."""
        return self.filter(models.Q(county_return__in=CountyReturn.objects.for_user(user))
                           | models.Q(report__in=TaskReport.objects.for_user(user))
                           | models.Q(part__in=TaskReportPart.objects.for_user(user)))


class ReviewStep(models.Model):
    """One step in the life of a return, a task report or a part (流转记录): who did what, when,
    and the comment. Written by the services that make the step (reports.services), in order;
    never edited, so a return's comment stays readable after the item is sent again."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        OPENED = "opened", _("Opened by the reviewer")
        WITHDRAWN = "withdrawn", _("Withdrawn by the sender")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    SENT = (Action.SUBMITTED, Action.RESUBMITTED)

    county_return = models.ForeignKey(CountyReturn, verbose_name=_("county return"), null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="steps")
    report = models.ForeignKey(TaskReport, verbose_name=_("task report"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="steps")
    part = models.ForeignKey(TaskReportPart, verbose_name=_("task report part"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("step"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True)

    objects = ReviewStepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["at", "pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(county_return__isnull=False, report__isnull=True, part__isnull=True)
            | models.Q(county_return__isnull=True, report__isnull=False, part__isnull=True)
            | models.Q(county_return__isnull=True, report__isnull=True, part__isnull=False),
            name="review_step_belongs_to_one_record")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.actor} · {self.at:%Y-%m-%d %H:%M}"

    @property
    def what(self) -> str:
        """The step as the history list names it (the shared partial _steps.html)."""
        return self.get_action_display()
