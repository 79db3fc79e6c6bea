from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_site import RoleScopedAdmin, RoleScopedInline
from accounts.scoping import is_security_admin
from kernel.security_log import security_event

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


class SecurityAdminOnly(admin.ModelAdmin):
    """For the security administrator only (三员分立): read, and delete to unlock or reset."""

    def has_module_permission(self, request) -> bool:
        return is_security_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_security_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_security_admin(request.user)

    def delete_model(self, request, obj):
        security_event(self.delete_event, request=request, subject=str(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            security_event(self.delete_event, request=request, subject=str(obj))
        super().delete_queryset(request, queryset)


class AccessAttemptAdmin(SecurityAdminOnly):
    """Failed logins per username (django-axes). Deleting a row unlocks that username."""

    delete_event = "lockout_cleared"
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]


class TOTPDeviceAdmin(SecurityAdminOnly):
    """Users' second-factor devices. Deleting one makes its user enrol again at the next login.
    The secret is never shown here."""

    delete_event = "second_factor_reset"
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__full_name"]


for _model, _admin in [(AccessAttempt, AccessAttemptAdmin), (TOTPDevice, TOTPDeviceAdmin)]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
