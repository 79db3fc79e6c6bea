from django.contrib import admin

from ankang_jobs.admin import RoleScopedAdmin

from .models import Region


@admin.register(Region)
class RegionAdmin(RoleScopedAdmin):
    list_display = ["code", "name", "short_name", "level", "kind", "parent", "county", "is_active"]
    list_filter = ["level", "kind", "county", "is_active"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent", "county"]
    raw_id_fields = ["parent", "county"]
    readonly_fields = ["vintage"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent", "county")
