from django.contrib import admin

from ankang_jobs.admin import RoleScopedAdmin

from .models import CountyReturn, PeriodException, ReportingPeriod


class CityAdminScoped(RoleScopedAdmin):
    def get_queryset(self, request):
        return self.model._default_manager.all() if self.has_view_permission(request) else self.model.objects.none()


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(CityAdminScoped):
    list_display = ["__str__", "due_on", "locks_after"]
    list_filter = ["year"]
    search_fields = ["year"]

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
class CountyReturnAdmin(CityAdminScoped):
    """Read-only here: returns change only through the reporting workflow (pages and services)."""

    list_display = ["region", "period", "state", "version", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]
    list_filter = ["state", "period", "region"]
    search_fields = ["region__name", "review_comment", "explanation"]
    list_select_related = ["region", "period", "submitted_by", "reviewed_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
