"""API clients (one per county system) and idempotency records for the REST API v1."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApiClient(models.Model):
    """A county's own system, or a department's. Its key is shown once and stored only as a keyed
    hash; the county (or department) comes from the client, never from a payload."""

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("divisions.Region", verbose_name=_("county"), on_delete=models.PROTECT, null=True,
                               blank=True, related_name="api_clients",
                               limit_choices_to={"level__in": ["county", "city"]})
    department = models.ForeignKey("tasks.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="api_clients",
                                   help_text=_("A department's system writes its task reports and parts."))
    access = models.CharField(_("access"), max_length=10, choices=Access.choices, default=Access.READ)
    key_prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("service account"), on_delete=models.PROTECT,
                                related_name="api_client")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["region__code", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.region or self.department}）"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def can_write(self) -> bool:
        return self.access == self.Access.READ_WRITE


class IdempotencyRecord(models.Model):
    """The first response to a write with an Idempotency-Key, replayed to a retry."""

    client = models.ForeignKey(ApiClient, verbose_name=_("API client"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="idempotency_records")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("idempotency key"), max_length=100)
    request_hash = models.CharField(_("request hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"))
    body = models.JSONField(_("response"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_key_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class Webhook(models.Model):
    """A client's callback: the platform posts signed events to ``url`` (api/webhooks.py). The
    secret signs them, so it is kept in clear (it grants nothing: it only proves the sender); it is
    shown to the administrator once, when the callback is registered."""

    client = models.OneToOneField(ApiClient, verbose_name=_("API client"), on_delete=models.CASCADE,
                                  related_name="webhook")
    url = models.URLField(_("callback URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    consecutive_failures = models.PositiveIntegerField(_("failed attempts in a row"), default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True,
                                       help_text=_("Set after repeated failed deliveries; the office is told."))

    history = HistoricalRecords(excluded_fields=["secret", "consecutive_failures"])

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["client__region__code", "client__name"]

    def __str__(self) -> str:
        return f"{self.client} → {self.url}"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None and self.client.is_usable


class WebhookDelivery(models.Model):
    """One event for one callback, and what became of sending it: the delivery log."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed, not retried")

    webhook = models.ForeignKey(Webhook, verbose_name=_("callback"), on_delete=models.CASCADE,
                                related_name="deliveries")
    event_id = models.UUIDField(_("event id"), unique=True)
    event = models.CharField(_("event"), max_length=40)
    key = models.CharField(_("key"), max_length=200, help_text=_("One delivery per event and callback."))
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("callback delivery")
        verbose_name_plural = _("callback deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["webhook", "key"], name="webhook_delivery_unique_key")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} ({self.state})"
