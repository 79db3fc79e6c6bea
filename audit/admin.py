from django.contrib import admin

from accounts.scoping import can_read_audit

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only, and only for auditors: nobody edits or deletes the trail."""

    list_display = ["occurred_at", "actor_username", "action", "model_verbose_name", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["actor_username", "object_repr", "object_pk"]
    date_hierarchy = "occurred_at"

    def get_queryset(self, request):
        return AuditEvent.objects.for_user(request.user)

    def has_module_permission(self, request) -> bool:
        return can_read_audit(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return can_read_audit(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
