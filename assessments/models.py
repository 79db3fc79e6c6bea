"""The final assessment of a plan (终期评估): the plan's account at its end, frozen with a stated
data cut-off. Drafted by the office, checked by a second member of the office and issued; every
draft is a version and every version is kept. An issued assessment never changes: its figures,
its 文号 and its files stay as they went out (services refuse, the admin is read-only).

The figures are copied from the snapshots when the draft is made (``content``): a correction
approved later changes the snapshots, never the assessment — the page shows it beside."""

from __future__ import annotations

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
