"""The admin site, for the city administrator (and the auditor, who sees only the audit trail, and
the security administrator, who sees only lockouts and second-factor devices).

Access is by role, not by Django's per-model permissions: each ModelAdmin asks the model's
queryset scoping (``for_user``/``editable_by``) through RoleScopedAdmin.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.scoping import can_read_audit, is_city_admin, is_security_admin


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Ankang Full-Employment City Platform · Administration")
    site_title = _("Platform administration")
    index_title = _("Administration")

    def has_permission(self, request) -> bool:
        return is_city_admin(request.user) or can_read_audit(request.user) or is_security_admin(request.user)

    def login(self, request, extra_context=None):
        # One login page for the whole platform (ours), not the admin's staff-only form. A user
        # who is logged in but holds no admin role is refused here; sending them to the login
        # page would bounce straight back (it redirects logged-in users) in a loop.
        if request.user.is_authenticated:
            raise PermissionDenied
        query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
        return redirect(f"{reverse('accounts:login')}?{query}")


class PlatformAdminConfig(AdminConfig):
    default_site = "accounts.admin_site.PlatformAdminSite"


class RoleScopedAdmin(admin.ModelAdmin):
    """The city administrator reads and edits; everyone else sees nothing here."""

    def get_queryset(self, request):
        return self.model._default_manager.for_user(request.user)

    def has_module_permission(self, request) -> bool:
        return is_city_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_city_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_city_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_city_admin(request.user)


class ReadOnlyAdmin(RoleScopedAdmin):
    """Records that change only through their workflow's services (values, returns, snapshots…):
    the city administrator reads them here, nobody adds, edits or deletes them."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RoleScopedInline:
    def has_view_permission(self, request, obj=None) -> bool:
        return is_city_admin(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_city_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_city_admin(request.user)
