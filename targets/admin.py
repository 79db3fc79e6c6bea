from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.admin_site import ReadOnlyAdmin, RoleScopedAdmin, RoleScopedInline

from .models import (
    Indicator,
    IndicatorComponent,
    IndicatorValue,
    Quota,
    QuotaSet,
    RollupRun,
    Snapshot,
    Target,
    YearlyAllocation,
)
from .selectors import quota_check
from .services import rollups_enqueue


class ComponentInline(RoleScopedInline, admin.TabularInline):
    model = IndicatorComponent
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(RoleScopedAdmin):
    list_display = ["order", "code", "name", "kind", "direction", "unit", "reported_by", "period_type"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "direction", "reported_by", "period_type"]
    search_fields = ["code", "name", "name_en"]
    inlines = [ComponentInline]
    actions = ["recompute"]

    @admin.action(description=_("Recompute the snapshots of the selected indicators"))
    def recompute(self, request, queryset):
        rollups_enqueue(indicator_codes=queryset.values_list("code", flat=True), trigger="admin")
        self.message_user(request, _("Recompute queued."), messages.SUCCESS)


class QuotaSetInline(RoleScopedInline, admin.TabularInline):
    """The target's county quota sets; each set's quotas are edited on its own page."""

    model = QuotaSet
    fields = ["version", "issued_on", "document"]
    readonly_fields = ["version", "issued_on", "document"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # a new issue goes through the quota set page (versions kept)


@admin.register(Target)
class TargetAdmin(RoleScopedAdmin):
    list_display = ["order", "code", "name", "display_value", "indicator", "category", "task", "span", "scope", "plan"]
    list_display_links = ["code", "name"]
    list_filter = ["plan", "category", "direction", "span", "scope"]
    search_fields = ["code", "name", "name_en", "clause"]
    list_select_related = ["task", "plan", "indicator"]
    autocomplete_fields = ["indicator", "task"]
    inlines = [QuotaSetInline]


class QuotaInline(RoleScopedInline, admin.TabularInline):
    model = Quota
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(QuotaSet)
class QuotaSetAdmin(RoleScopedAdmin):
    list_display = ["target", "version", "issued_on", "document", "adds_up"]
    list_filter = ["target__plan"]
    search_fields = ["target__name", "document"]
    inlines = [QuotaInline]
    readonly_fields = ["created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target__indicator").prefetch_related("quotas")

    @admin.display(description=_("adds up to the city target"))
    def adds_up(self, quota_set: QuotaSet) -> str:
        check = quota_check(quota_set=quota_set)
        if not check.applies:
            return "—"
        return "✔" if check.adds_up else f"✘ {check.total:,.0f} − {check.target:,.0f} = {check.difference:,.0f}"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(YearlyAllocation)
class YearlyAllocationAdmin(RoleScopedAdmin):
    list_display = ["target", "region", "year", "value"]
    list_filter = ["target__plan", "year"]
    search_fields = ["target__name"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyAdmin):
    """Values are entered through returns, imports and the API (services validate them) and
    approved only by reviewing their return (reports.services.county_return_approve, on the
    return's page); here the city administrator reads and filters them — never edits or approves a
    figure behind the workflow."""

    list_display = ["indicator", "region", "year", "quarter", "component", "value", "status", "source",
                    "submitted_by", "approved_by", "approved_at"]
    list_filter = ["status", "source", "year", "quarter", "indicator"]
    search_fields = ["indicator__code", "indicator__name", "region__name", "source_ref"]
    list_select_related = ["indicator", "region", "component", "submitted_by", "approved_by"]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["plan", "indicator", "region", "year", "quarter", "value", "target_value", "percent_achieved",
                    "status", "computed_at"]
    list_filter = ["plan", "status", "year", "quarter", "region__level", "indicator"]
    search_fields = ["indicator__code", "indicator__name", "region__name"]
    list_select_related = ["plan", "indicator", "region"]


@admin.register(RollupRun)
class RollupRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "trigger", "status", "created", "updated", "unchanged", "process"]
    list_filter = ["status", "trigger"]
    search_fields = ["trigger", "error"]
