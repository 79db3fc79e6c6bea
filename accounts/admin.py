from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from ankang_jobs.admin import RoleScopedAdmin, RoleScopedInline

from .models import RoleAssignment, User


class RoleAssignmentInline(RoleScopedInline, admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    fields = ["role", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    extra = 0


@admin.register(User)
class UserAdmin(RoleScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "department", "region", "roles", "is_active", "is_demo", "last_login"]
    list_filter = ["role_assignments__role", "is_active", "is_demo", "department", "region"]
    search_fields = ["username", "full_name", "email", "department__name", "region__name"]
    autocomplete_fields = ["department", "region"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "department", "region")}),
        (_("Status"), {"fields": ("is_active", "is_demo", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "department", "region",
                                                  "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined", "is_demo"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "region").prefetch_related("role_assignments")

    @admin.display(description=_("roles"))
    def roles(self, user: User):
        return "、".join(a.get_role_display() for a in user.role_assignments.all()) or "—"

    def save_formset(self, request, form, formset, change):
        # New role assignments record who granted them.
        for obj in formset.save(commit=False):
            if isinstance(obj, RoleAssignment) and obj.pk is None:
                obj.granted_by = request.user
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


# Roles are the platform's own (RoleAssignment); Django's groups are not used, so not offered.
admin.site.unregister(Group)
