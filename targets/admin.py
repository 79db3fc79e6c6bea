from django.contrib import admin

from ankang_jobs.admin import RoleScopedAdmin

from .models import Target


@admin.register(Target)
class TargetAdmin(RoleScopedAdmin):
    list_display = ["order", "code", "name", "display_value", "category", "task", "span", "scope", "plan"]
    list_display_links = ["code", "name"]
    list_filter = ["plan", "category", "direction", "span", "scope"]
    search_fields = ["code", "name", "name_en", "clause"]
    list_select_related = ["task", "plan"]
