from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import ReadOnlyAdmin, RoleScopedAdmin

from .models import Application, Certification, Criterion, Tier


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
