from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.admin_site import ReadOnlyAdmin, RoleScopedAdmin
from kernel.exports import FORMATS, export_response

from .exports import api_clients_table
from .models import ApiClient, Webhook, WebhookDelivery
from .services import api_client_create, api_client_revoke
from .webhooks import webhook_enable, webhook_register, webhook_url_check


@admin.register(ApiClient)
class ApiClientAdmin(RoleScopedAdmin):
    """The city administrator issues one client per county system; the key is shown once."""

    list_display = ["name", "region", "department", "access", "key_prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["access", "region"]
    search_fields = ["name", "key_prefix"]
    fields = ["name", "region", "department", "access", "expires_at", "key_prefix", "user", "created_by", "revoked_at",
              "last_used_at"]
    readonly_fields = ["key_prefix", "user", "created_by", "revoked_at", "last_used_at"]
    autocomplete_fields = ["region"]
    actions = ["revoke"]
    change_list_template = "admin/api/apiclient/change_list.html"

    def get_urls(self):
        return [path("export/<str:fmt>/", self.admin_site.admin_view(self.export_view), name="api_apiclient_export"),
                *super().get_urls()]

    def export_view(self, request, fmt: str):
        """The list as filtered on the changelist (its filters and search in the query string)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if fmt not in FORMATS:
            raise Http404
        changelist = self.get_changelist_instance(request)
        return export_response(api_clients_table(changelist.get_queryset(request)), fmt, _("API clients"))

    def get_queryset(self, request):
        return ApiClient.objects.select_related("region", "department") if self.has_view_permission(request) else ApiClient.objects.none()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: the record stays

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        client, key = api_client_create(name=obj.name, region=obj.region, department=obj.department,
                                        access=obj.access, expires_at=obj.expires_at, created_by=request.user)
        obj.pk = client.pk
        obj.__dict__.update({k: v for k, v in client.__dict__.items() if not k.startswith("_")})
        self.message_user(request, _("The key, shown this once (it is stored only as a hash): %(key)s") % {"key": key},
                          messages.WARNING)

    @admin.action(description=_("Revoke the selected clients"))
    def revoke(self, request, queryset):
        for client in queryset:
            api_client_revoke(client=client, revoked_by=request.user)
        self.message_user(request, _("Revoked."), messages.SUCCESS)


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("callback URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["client", "url"]

    def clean_url(self):
        return webhook_url_check(self.cleaned_data["url"])


@admin.register(Webhook)
class WebhookAdmin(RoleScopedAdmin):
    """A client's callback URL. Saving it (new, or a changed URL) issues a new signing secret,
    shown once; a callback disabled after repeated failures is re-enabled here."""

    form = WebhookForm
    list_display = ["client", "url", "consecutive_failures", "disabled_at", "created_at"]
    list_filter = ["client__region"]
    readonly_fields = ["created_by", "created_at", "consecutive_failures", "disabled_at"]
    autocomplete_fields = ["client"]
    actions = ["enable"]

    def get_queryset(self, request):
        return (Webhook.objects.select_related("client__region") if self.has_view_permission(request)
                else Webhook.objects.none())

    def save_model(self, request, obj, form, change):
        if change and "url" not in form.changed_data:
            return
        webhook, secret = webhook_register(client=obj.client, url=obj.url, created_by=request.user)
        obj.pk = webhook.pk
        obj.__dict__.update({k: v for k, v in webhook.__dict__.items() if not k.startswith("_")})
        self.message_user(request, _("The signing secret, shown this once: %(secret)s") % {"secret": secret},
                          messages.WARNING)

    @admin.action(description=_("Re-enable the selected callbacks"))
    def enable(self, request, queryset):
        for webhook in queryset:
            webhook_enable(webhook=webhook, user=request.user)
        self.message_user(request, _("Re-enabled."), messages.SUCCESS)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """The delivery log: each event, each callback, what became of it."""

    list_display = ["created_at", "event", "webhook", "state", "attempts", "last_status", "next_attempt_at",
                    "delivered_at"]
    list_filter = ["state", "event"]
    search_fields = ["event_id", "webhook__client__name"]

    def get_queryset(self, request):
        return (WebhookDelivery.objects.select_related("webhook__client__region") if self.has_view_permission(request)
                else WebhookDelivery.objects.none())
