"""The final assessment of a plan (终期评估): the plan's account at its end, frozen with a stated
data cut-off. Drafted by the office, checked by a second member of the office and issued; every
draft is a version and every version is kept. An issued assessment never changes: its figures,
its 文号 and its files stay as they went out (services refuse, the admin is read-only).

The figures are copied from the snapshots when the draft is made (``content``): a correction
approved later changes the snapshots, never the assessment — the page shows it beside."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.scoping import is_city_admin, sees_whole_city
from kernel.issuing import IssuedRecord


def can_read_assessments(user) -> bool:
    """Like the report packs: the office and the leaders. The assessment holds every county's and
    department's standing; officers see their own on the pages. Auditors read the audit trail."""
    return sees_whole_city(user)


def can_write_assessments(user) -> bool:
    """The office drafts, checks and issues (each step a different person: services)."""
    return is_city_admin(user)


class FinalAssessmentQuerySet(models.QuerySet):
    def for_user(self, user) -> FinalAssessmentQuerySet:
        return self if can_read_assessments(user) else self.none()

    def editable_by(self, user) -> FinalAssessmentQuerySet:
        if not can_write_assessments(user):
            return self.none()
        return self.exclude(state=FinalAssessment.State.ISSUED)


class FinalAssessment(IssuedRecord):
    plan = models.ForeignKey("tasks.Plan", verbose_name=_("plan"), on_delete=models.PROTECT,
                             related_name="+")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    doc_number = models.CharField(_("document number"), max_length=100,
                                  help_text=_("The assessment's own 文号, e.g. 安就业办发〔2026〕1号."))
    issuer = models.CharField(_("issuing body"), max_length=100, help_text=_("Signed at the end (落款)."))
    data_cutoff = models.DateTimeField(_("data cut-off"),
                                       help_text=_("The figures are the snapshots as they stood at this moment."))
    final_year = models.PositiveSmallIntegerField(_("final quarter's year"))
    final_quarter = models.PositiveSmallIntegerField(_("final quarter"))
    content = models.JSONField(_("content"), default=dict, blank=True,
                               help_text=_("The frozen figures and records, as shown on the page."))
    workbook = models.FileField(_("workbook"), upload_to="assessments/%Y/", blank=True)
    workbook_sha256 = models.CharField(_("workbook SHA-256"), max_length=64, blank=True)
    document = models.FileField(_("document"), upload_to="assessments/%Y/", blank=True)
    document_sha256 = models.CharField(_("document SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = FinalAssessmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("final assessment")
        verbose_name_plural = _("final assessments")
        ordering = ["plan", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="final_assessment_unique_version"),
            models.UniqueConstraint(fields=["plan"], condition=models.Q(state="issued"),
                                    name="final_assessment_one_issued_per_plan"),
            models.CheckConstraint(condition=~models.Q(doc_number=""), name="final_assessment_has_doc_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def final_quarter_label(self) -> str:
        return f"{self.final_year}Q{self.final_quarter}"

    def filename(self, ext: str) -> str:
        draft = "" if self.is_issued else str(_("(draft)"))
        return f"{self.title} v{self.version}{draft}.{ext}"


# ---------------------------------------------------------------- the annual assessment (年度考核)


class Audience(models.TextChoices):
    DEPARTMENTS = "departments", _("Departments")
    COUNTIES = "counties", _("Counties")


class ItemKind(models.TextChoices):
    TARGET = "target", _("Target achievement (an indicator against its quota)")
    TIMELINESS = "timeliness", _("Reporting on time")
    COMPLETENESS = "completeness", _("Reporting complete")
    SENT_BACK = "sent_back", _("Reports sent back")
    INSTRUCTIONS = "instructions", _("Leaders' instructions handled on time")
    MEASURES = "measures", _("Task measures reaching their targets")


class SchemeQuerySet(models.QuerySet):
    def for_user(self, user) -> SchemeQuerySet:
        return self if can_read_assessments(user) else self.none()


class AssessmentScheme(models.Model):
    """How one year's departments or counties are scored (考核方案): its items, their weights (summing
    to 100) and each item's rule in Chinese. Every save by the office is a new version; the latest
    is the one in force; a year's scheme is fixed once that year's assessment is issued."""

    year = models.PositiveSmallIntegerField(_("year"))
    audience = models.CharField(_("assessed units"), max_length=12, choices=Audience.choices)
    version = models.PositiveIntegerField(_("version"))
    plan = models.ForeignKey("tasks.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("The plan whose targets and tasks the year is assessed against."))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"))

    objects = SchemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year", "audience", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "audience", "version"],
                                               name="assessment_scheme_unique_version")]

    def __str__(self) -> str:
        return f"{self.year} · {self.get_audience_display()} · v{self.version}"


class SchemeItem(models.Model):
    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("assessment scheme"), on_delete=models.CASCADE,
                               related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=ItemKind.choices)
    indicator = models.ForeignKey("targets.Indicator", verbose_name=_("indicator"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    rule = models.TextField(_("rule"), help_text=_("How the item is scored, in Chinese; shown beside every score."))

    objects = SchemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0, weight__lte=100), name="scheme_item_weight_range"),
            models.CheckConstraint(condition=~models.Q(rule=""), name="scheme_item_has_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.weight}）"


class AnnualAssessmentQuerySet(models.QuerySet):
    def for_user(self, user) -> AnnualAssessmentQuerySet:
        return self if can_read_assessments(user) else self.none()


class AnnualAssessment(IssuedRecord):
    """One year's assessment of the departments and the counties (年度考核) and its 通报: computed
    from the records by a job under the year's schemes (frozen into ``content`` with the links to
    the records behind every point), drafted, checked and issued by the office; every computation
    is a version; an issued one never changes (corrections approved later are shown beside)."""

    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveIntegerField(_("version"))
    plan = models.ForeignKey("tasks.Plan", verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+")
    department_scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("departments' scheme"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    county_scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("counties' scheme"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    doc_number = models.CharField(_("document number"), max_length=100,
                                  help_text=_("The 通报's own 文号, e.g. 安就业办发〔2026〕5号."))
    issuer = models.CharField(_("issuing body"), max_length=100, help_text=_("Signed at the end (落款)."))
    data_cutoff = models.DateTimeField(_("data cut-off"))
    content = models.JSONField(_("content"), default=dict, blank=True)
    document = models.FileField(_("document"), upload_to="assessments/%Y/", blank=True)
    document_sha256 = models.CharField(_("document SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = AnnualAssessmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="annual_assessment_unique_version"),
            models.UniqueConstraint(fields=["year"], condition=models.Q(state="issued"),
                                    name="annual_assessment_one_issued_per_year"),
            models.CheckConstraint(condition=~models.Q(doc_number=""), name="annual_assessment_has_doc_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def filename(self, ext: str) -> str:
        draft = "" if self.is_issued else str(_("(draft)"))
        return f"{self.title} v{self.version}{draft}.{ext}"


class DocumentTemplate(models.Model):
    """The .docx the office's 通报 are written into (page set-up, fonts, header, footer); the latest
    upload is in force, earlier ones are kept. Without one, the built-in layout."""

    file = models.FileField(_("file"), upload_to="assessments/templates/%Y/")
    name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = SchemeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name
