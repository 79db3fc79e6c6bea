"""An uploaded spreadsheet and what became of it: the file (kept, hashed) so every imported figure
can be traced to it, who uploaded it, for which county and quarter, its preview and its result."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import ImportBatchQuerySet


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY_PROFILES = "community_profiles", _("Village and community data")
        COUNTY_RETURN = "county_return", _("County return figures")
        APPLICATIONS = "applications", _("Certification applications")
        TASK_REPORTS = "task_reports", _("Department task reports")
        PLAN = "plan", _("A plan (successor plan workbook)")
        LABOUR_BRANDS = "labour_brands", _("Labour brands")

    class State(models.TextChoices):
        REFUSED = "refused", _("Refused")  # the file gate or the rows refused it; nothing can be applied
        READY = "ready", _("Previewed, waiting for confirmation")
        UNCHANGED = "unchanged", _("Nothing to change")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        APPLIED = "applied", _("Imported")
        FAILED = "failed", _("Failed, nothing written")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    created_by = models.ForeignKey("accounts.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The county the import writes for: the user's county, never a column of the file. Empty for a
    # city administrator's village and community import (each row's county comes from its code).
    scope_region = models.ForeignKey("divisions.Region", verbose_name=_("county"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("reports.ReportingPeriod", verbose_name=_("reporting period"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    # What else the import is for, from the page, never from the file: the tier of certification
    # applications ({"tier": code}); the department of task reports ({"department": id}).
    options = models.JSONField(_("options"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True,
                            help_text=_("Kept for the audit; a file refused by the gate is not kept."))
    file_name = models.CharField(_("file name"), max_length=200)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    file_size = models.PositiveIntegerField(_("file size (bytes)"))
    file_type = models.CharField(_("file type"), max_length=40, blank=True)
    rows_total = models.PositiveIntegerField(_("data rows"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True,
                               help_text=_("Counts of created, updated, unchanged rows and errors."))
    preview = models.JSONField(_("preview"), default=dict, blank=True,
                               help_text=_("The changes and errors shown before confirmation, with the versions seen."))
    errors = models.JSONField(_("errors"), default=list, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["preview"])

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # "was this file imported before?": the same file for the same kind and county
            models.Index(fields=["kind", "scope_region", "file_sha256"], name="importbatch_same_file_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.state not in (self.State.QUEUED, self.State.RUNNING)
