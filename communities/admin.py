from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import ReadOnlyAdmin, RoleScopedAdmin

from .models import Application, Certification, CommunityProfile, Criterion, Region, Tier


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


@admin.register(Tier)
class TierAdmin(RoleScopedAdmin):
    list_display = ["rank", "name", "code", "indicator_code", "communities_only"]
    list_display_links = ["name"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    """Certifications are written through the services (tier order, one at a time); the admin reads
    them and records withdrawals through the same service."""

    list_display = ["certificate_number", "community", "county", "tier", "certified_on", "valid_until", "withdrawn_on",
                    "is_demo"]
    list_filter = ["tier", "community__county", "is_demo"]
    search_fields = ["certificate_number", "community__name", "community__code"]
    list_select_related = ["community__county", "tier"]
    date_hierarchy = "certified_on"

    @admin.display(description=_("county"))
    def county(self, c: Certification):
        return c.community.county


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


@admin.register(Criterion)
class CriterionAdmin(RoleScopedAdmin):
    """The city administrator edits each tier's criteria; a criterion no longer used is switched
    off (applications already answered it), never deleted."""

    list_display = ["tier", "order", "name", "code", "kind", "rule", "threshold", "unit", "is_active"]
    list_display_links = ["name"]
    list_filter = ["tier", "kind", "is_active"]
    list_select_related = ["tier"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Applications move only through the pipeline's pages and services."""

    list_display = ["community", "county", "tier", "state", "step", "submitted_at", "updated_at", "is_demo"]
    list_filter = ["state", "tier", "county", "is_demo"]
    search_fields = ["community__name", "community__code"]
    list_select_related = ["community", "county", "tier"]
