from django.contrib import admin

from accounts.admin_site import RoleScopedAdmin

from .models import CommunityProfile, Region


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


@admin.register(CommunityProfile)
class CommunityProfileAdmin(RoleScopedAdmin):
    list_display = ["region", "households", "population", "is_relocation", "updated_by", "updated_at"]
    list_filter = ["is_relocation", "region__county"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["region", "updated_by"]
    autocomplete_fields = ["region"]
    readonly_fields = ["version", "updated_by", "updated_at"]

    def get_queryset(self, request):
        return CommunityProfile.objects.select_related("region") if self.has_view_permission(
            request) else CommunityProfile.objects.none()
