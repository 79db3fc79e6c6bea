"""The audit trail: one row per change to audited data, flattened across models so an auditor
reads one list. Rows are written from django-simple-history's history rows (receivers.py) and
by bulk loaders (one row per load); nobody edits or deletes them through the platform."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import can_read_audit


class AuditEventQuerySet(models.QuerySet):
    def for_user(self, user) -> AuditEventQuerySet:
        """Only auditors read the audit trail (separation of duties)."""
        return self if can_read_audit(user) else self.none()

    def editable_by(self, user) -> AuditEventQuerySet:
        return self.none()  # nobody, ever


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")
        BULK_LOADED = "bulk_loaded", _("Bulk load")

    occurred_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    # Kept as text too, so the trail still names the person if the account is ever removed.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    model = models.CharField(_("model"), max_length=100)
    model_verbose_name = models.CharField(_("record type"), max_length=100)
    object_pk = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=list, help_text=_("[{field, label, old, new}]"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # The hash chain (audit/chain.py): the previous event's row_hash, and this event's hash.
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # an object's own history (the auditor's "this record" view)
            models.Index(fields=["model", "object_pk", "occurred_at"], name="audit_object_history_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.get_action_display()} {self.object_repr}"


class AuditChainHead(models.Model):
    """One row: the hash of the last audit event. Locked by every append (audit/chain.py)."""

    last_hash = models.CharField(_("last hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="audit_chain_head_single_row")]

    def __str__(self) -> str:
        return self.last_hash or "—"
