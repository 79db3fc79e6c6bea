from django.contrib import admin

from accounts.admin_site import ReadOnlyAdmin, RoleScopedAdmin

from .models import (
    Correction,
    CorrectionItem,
    CountyReturn,
    Evidence,
    ExtensionRequest,
    Instruction,
    InstructionUnit,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    PeriodException,
    ReportingPeriod,
    TaskReport,
    TaskReportPart,
)
from .services import period_open_early


class CityAdminScoped(RoleScopedAdmin):
    def get_queryset(self, request):
        return self.model._default_manager.all() if self.has_view_permission(request) else self.model.objects.none()


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(CityAdminScoped):
    """A quarter opens for entry the day after it ends; writing a reason for opening early opens it
    from its first day for every unit (period_open_early records who and when; audited)."""

    list_display = ["__str__", "due_on", "locks_after", "opened_early_at", "opened_early_by"]
    list_filter = ["year"]
    search_fields = ["year"]
    readonly_fields = ["opened_early_by", "opened_early_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["opened_early_reason"] if obj is not None and obj.opened_early else fields

    def save_model(self, request, obj, form, change):
        reason = obj.opened_early_reason.strip()
        if change and "opened_early_reason" in form.changed_data and reason and obj.opened_early_at is None:
            obj.opened_early_reason = ""
            super().save_model(request, obj, form, change)  # the other fields, then the early opening
            period_open_early(period=obj, reason=reason, user=request.user)
            obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # returns hang off periods


@admin.register(PeriodException)
class PeriodExceptionAdmin(CityAdminScoped):
    list_display = ["period", "region", "open_until", "reason", "opened_by", "opened_at"]
    list_filter = ["period", "region"]
    search_fields = ["reason", "region__name"]
    autocomplete_fields = ["region"]
    readonly_fields = ["opened_by", "opened_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.opened_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CountyReturn)
class CountyReturnAdmin(ReadOnlyAdmin, CityAdminScoped):
    """Read-only here: returns change only through the reporting workflow (pages and services)."""

    list_display = ["region", "period", "state", "version", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]
    list_filter = ["state", "period", "region"]
    search_fields = ["region__name", "review_comment", "explanation"]
    list_select_related = ["region", "period", "submitted_by", "reviewed_by"]


@admin.register(TaskReport)
class TaskReportAdmin(CountyReturnAdmin):
    list_display = ["task", "period", "state", "self_status", "version", "submitted_by", "reviewed_by", "reviewed_at"]
    list_filter = ["state", "period", "self_status"]
    search_fields = ["task__title", "measures", "review_comment"]
    list_select_related = ["task", "period", "submitted_by", "reviewed_by"]


@admin.register(TaskReportPart)
class TaskReportPartAdmin(CountyReturnAdmin):
    list_display = ["task", "department", "period", "state", "self_status", "submitted_by", "submitted_at"]
    list_filter = ["state", "period", "department"]
    search_fields = ["task__title", "department__name", "measures"]
    list_select_related = ["task", "department", "period", "submitted_by"]


class CorrectionItemInline(admin.TabularInline):
    model = CorrectionItem
    extra = 0
    can_delete = False
    readonly_fields = ["value", "old_value", "new_value"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Correction)
class CorrectionAdmin(CountyReturnAdmin):
    list_display = ["county_return", "indicator", "state", "requested_by", "requested_at", "reviewed_by", "reviewed_at"]
    list_filter = ["state", "indicator"]
    search_fields = ["reason", "county_return__region__name"]
    list_select_related = ["county_return__region", "county_return__period", "indicator", "requested_by",
                           "reviewed_by"]
    inlines = [CorrectionItemInline]


@admin.register(Notification)
class NotificationAdmin(CountyReturnAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at", "emailed"]
    list_filter = ["kind", "emailed"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(CountyReturnAdmin):
    """The delivery log (also /reports/deliveries/, with each message's text): the job alone writes it."""

    list_display = ["created_at", "notification", "channel", "address", "state", "attempts", "next_attempt_at",
                    "sent_at", "last_error"]
    list_filter = ["state", "channel"]
    search_fields = ["address", "notification__title", "notification__recipient__username"]
    list_select_related = ["notification"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(CountyReturnAdmin):
    """Each person sets their own channels on their notification settings page (audited)."""

    list_display = ["user", "mobile", "email_all", "sms_all", "updated_at"]
    list_filter = ["email_all", "sms_all"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]


@admin.register(Instruction)
class InstructionAdmin(CountyReturnAdmin):
    list_display = ["task", "author", "created_at", "deadline", "text"]
    search_fields = ["text", "task__title"]
    list_filter = ["task"]
    list_select_related = ["task", "author"]


@admin.register(InstructionUnit)
class InstructionUnitAdmin(CountyReturnAdmin):
    """Read-only: replies change only on the instruction's page (services)."""

    list_display = ["instruction", "region", "department", "state", "version", "replied_by", "replied_at",
                    "reviewed_by"]
    list_filter = ["state"]
    search_fields = ["reply", "review_comment", "instruction__text"]
    list_select_related = ["instruction__task", "instruction__author", "region", "department", "replied_by",
                           "reviewed_by"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(CountyReturnAdmin):
    list_display = ["period", "region", "department", "until", "state", "requested_by", "reviewed_by"]
    list_filter = ["state", "period"]
    search_fields = ["reason"]
    list_select_related = ["period", "region", "department", "requested_by", "reviewed_by"]


@admin.register(Evidence)
class EvidenceAdmin(CountyReturnAdmin):
    list_display = ["name", "report", "part", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["name"]
    list_select_related = ["report__task", "report__period", "part__task", "part__department", "part__period",
                           "uploaded_by"]
