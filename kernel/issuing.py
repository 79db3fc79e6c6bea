"""The office's drafting workflow of a document it issues (the final assessment, the annual
assessment's 通报): draft → checked (核稿) → issued (签发), each step by the city office, the check
and the issue not by the person who drafted it; an issued record never changes. Its files are
written once after the issue by a job, claimed by a conditional UPDATE.

One place for the states, the people and moments of each step and the rules between them; each
app's services lock its record, say what "a newer version" means for it and call these."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from .refusals import Locked, refuse

STALE_AFTER = datetime.timedelta(minutes=15)  # a files job running longer than this died


class IssueState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    CHECKED = "checked", gettext_lazy("Checked")
    ISSUED = "issued", gettext_lazy("Signed and issued")


class FilesState(models.TextChoices):
    NONE = "none", gettext_lazy("Not yet")
    QUEUED = "queued", gettext_lazy("Queued")
    RUNNING = "running", gettext_lazy("Generating")
    DONE = "done", gettext_lazy("Ready")
    FAILED = "failed", gettext_lazy("Failed")


class IssuedRecord(models.Model):
    """The fields of the workflow: state, who drafted, checked and issued it and when, the files."""

    State = IssueState
    Files = FilesState

    state = models.CharField(gettext_lazy("state"), max_length=8, choices=IssueState.choices, default=IssueState.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("drafted by"),
                                   on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(gettext_lazy("drafted at"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("checked by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(gettext_lazy("checked at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("issued by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(gettext_lazy("issued at"), null=True, blank=True)
    issued_on = models.DateField(gettext_lazy("date of issue"), null=True, blank=True)
    files_state = models.CharField(gettext_lazy("files"), max_length=8, choices=FilesState.choices, default=FilesState.NONE)
    files_started_at = models.DateTimeField(gettext_lazy("files started at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_issued(self) -> bool:
        return self.state == IssueState.ISSUED


def refuse_if_issued(record: IssuedRecord, message: str) -> None:
    if record.state == IssueState.ISSUED:
        refuse(message, error=Locked)


def check_step(record: IssuedRecord, *, user, newer: bool, issued_message: str) -> IssuedRecord:
    """核稿: a draft, the latest version, by someone other than its drafter. ``record`` is locked."""
    refuse_if_issued(record, issued_message)
    if record.state != IssueState.DRAFT:
        refuse(gettext("Only a draft can be checked; this version is %(state)s."), state=record.get_state_display())
    if record.drafted_by_id == user.pk:
        refuse(gettext("The person who drafted the assessment does not check it: another member of the office does."))
    if newer:
        refuse(gettext("A newer version has been drafted; check that one."))
    record.state, record.checked_by, record.checked_at = IssueState.CHECKED, user, timezone.now()
    record._change_reason, record._history_user = "checked", user
    record.save()
    return record


def issue_step(record: IssuedRecord, *, user, newer: bool, issued_message: str) -> IssuedRecord:
    """签发: a checked record, the latest version, not by its drafter; dated today, files queued
    (the caller enqueues the job in the same transaction). ``record`` is locked."""
    refuse_if_issued(record, issued_message)
    if record.state != IssueState.CHECKED:
        refuse(gettext("Only a checked assessment can be issued; this version is %(state)s."),
               state=record.get_state_display())
    if record.drafted_by_id == user.pk:
        refuse(gettext("The person who drafted the assessment does not issue it."))
    if newer:
        refuse(gettext("A newer version has been drafted; this one cannot be issued."))
    now = timezone.now()
    record.state, record.issued_by, record.issued_at = IssueState.ISSUED, user, now
    record.issued_on = timezone.localdate(now)
    record.files_state = FilesState.QUEUED
    record._change_reason, record._history_user = "issued", user
    record.save()
    return record


def files_claim(model: type[IssuedRecord], pk: int) -> bool:
    """Claim an issued record's files for writing, once: queued → running by a conditional UPDATE
    (a second delivery of the job claims nothing, unless the first worker died: running too long)."""
    now = timezone.now()
    claimable = Q(files_state=FilesState.QUEUED) | Q(files_state=FilesState.RUNNING,
                                                     files_started_at__lt=now - STALE_AFTER)
    return bool(model.objects.filter(claimable, pk=pk, state=IssueState.ISSUED).update(
        files_state=FilesState.RUNNING, files_started_at=now))
