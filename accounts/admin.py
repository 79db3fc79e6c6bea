from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_site import RoleScopedAdmin
from accounts.duties import holds_duty, may_manage_account
from accounts.scoping import is_city_admin, is_security_admin
from kernel.security_log import security_event

from .models import RoleAssignment, User
from .roles import SEPARATED_DUTIES, Role
from .services import role_grant, role_revoke


class RoleFormSet(BaseInlineFormSet):
    """One user's rows of one role inline. Checks what a row cannot check alone: that the rows and
    the duties the user holds outside this inline come to at most one of the three duties — also
    for a user being added, who has no id to look their roles up by yet."""

    def clean(self):
        super().clean()
        duties = [form.cleaned_data["role"] for form in self.forms
                  if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("role")
                  and form.cleaned_data["role"] in SEPARATED_DUTIES]
        if self.instance.pk is not None:
            shown = [form.instance.pk for form in self.forms if form.instance.pk]
            duties += list(RoleAssignment.objects.filter(user=self.instance, role__in=SEPARATED_DUTIES)
                           .exclude(pk__in=shown).values_list("role", flat=True))
        if len(set(duties)) > 1:
            raise ValidationError(_("The system, security and audit administrators must be different people: "
                                    "give this user one of these duties at most."))


class _RoleInline(admin.TabularInline):
    """The roles of one user. Two inlines over the same rows: ordinary roles, which the city
    administrator grants, and the three separated duties, which only the security administrator
    grants (accounts/duties.py). Each shows and offers only its own roles, so neither
    administrator sees a form for the other's; UserAdmin.save_formset saves both through
    accounts.services, which checks the rule again."""

    model = RoleAssignment
    formset = RoleFormSet
    fk_name = "user"
    fields = ["role", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    extra = 0
    duties: bool

    def _offered(self, role: str) -> bool:
        return (role in SEPARATED_DUTIES) == self.duties

    def _allowed(self, request) -> bool:
        return is_security_admin(request.user) if self.duties else is_city_admin(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(role__in=SEPARATED_DUTIES) if self.duties else qs.exclude(role__in=SEPARATED_DUTIES)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":
            kwargs["choices"] = [("", "---------"), *((v, label) for v, label in Role.choices if self._offered(v))]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._allowed(request)


class RoleAssignmentInline(_RoleInline):
    duties = False
    verbose_name = _("role")
    verbose_name_plural = _("roles")


class DutyAssignmentInline(_RoleInline):
    duties = True
    verbose_name = _("separated duty")
    verbose_name_plural = _("separated duties (三员分立: granted by the security administrator only)")


@admin.register(User)
class UserAdmin(RoleScopedAdmin, DjangoUserAdmin):
    """Accounts. The city administrator adds accounts and manages every account but those holding
    one of the three duties (and superusers); the security administrator grants and removes the
    duties and manages those accounts, including their passwords (accounts/duties.py)."""

    list_display = ["username", "full_name", "department", "region", "roles", "is_active", "is_demo", "last_login"]
    list_filter = ["role_assignments__role", "is_active", "is_demo", "department", "region"]
    search_fields = ["username", "full_name", "email", "department__name", "region__name"]
    autocomplete_fields = ["department", "region"]
    inlines = [RoleAssignmentInline, DutyAssignmentInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "department", "region")}),
        (_("Status"), {"fields": ("is_active", "is_demo", "last_login", "date_joined", "duty")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "department", "region",
                                                  "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined", "is_demo", "duty"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "region").prefetch_related("role_assignments")

    @admin.display(description=_("roles"))
    def roles(self, user: User):
        return "、".join(a.get_role_display() for a in user.role_assignments.all()) or "—"

    @admin.display(description=_("separated duty"))
    def duty(self, user: User):
        held = [a.get_role_display() for a in user.role_assignments.all() if a.role in SEPARATED_DUTIES]
        if user.is_superuser:
            held.append(gettext_now("superuser"))
        return "、".join(held) or "—"

    # -- who may do what (accounts/duties.py)
    def has_module_permission(self, request) -> bool:
        return is_city_admin(request.user) or is_security_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_city_admin(request.user) or is_security_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        # the page: which of its parts are editable is decided per account (get_fieldsets,
        # get_readonly_fields) and per role inline
        return is_city_admin(request.user) or is_security_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return is_city_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        if not is_city_admin(request.user):
            return False
        return obj is None or may_manage_account(request.user, obj)

    def _manages(self, request, obj) -> bool:
        return obj is None or may_manage_account(request.user, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self._manages(request, obj):
            # not the password field: read-only it would show the hash
            fieldsets = [(name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "password")})
                         for name, opts in fieldsets]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not self._manages(request, obj):
            fields += ["username", "full_name", "email", "department", "region", "is_active"]
        elif not is_city_admin(request.user):
            # the security administrator: a duty holder's name, e-mail, activity and password; the
            # affiliations (and their pickers over the city administrator's data) are not its business
            fields += ["department", "region"]
        return fields

    def user_change_password(self, request, id, form_url=""):
        target = self.get_object(request, unquote(id))
        if target is not None and not may_manage_account(request.user, target):
            raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302 and target is not None:
            security_event("password_reset", request=request, subject=target.get_username(),
                           duty=holds_duty(target))
        return response

    def delete_queryset(self, request, queryset):
        if any(holds_duty(user) for user in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        # Roles change through the services, which check who may grant what and record who did.
        changed = formset.save(commit=False)
        for obj in formset.deleted_objects:
            role_revoke(user=obj.user, role=obj.role, revoked_by=request.user)
        for obj in changed:
            if obj.pk is not None:  # a row's role changed in place: the old role goes
                old = RoleAssignment.objects.get(pk=obj.pk)
                if old.role == obj.role:
                    continue
                role_revoke(user=old.user, role=old.role, revoked_by=request.user)
            role_grant(user=obj.user, role=obj.role, granted_by=request.user)


# Roles are the platform's own (RoleAssignment); Django's groups are not used, so not offered.
admin.site.unregister(Group)


class SecurityAdminOnly(admin.ModelAdmin):
    """For the security administrator only (三员分立): read, and delete to unlock or reset. The
    models are third-party (django-axes, django-otp) and some of their labels are plain English,
    so every name shown here is the platform's own: ``menu_name``/``menu_app_name`` (the model's
    and its app's, set on their options at registration — names only, which no migration reads),
    ``columns`` (field → label) as the list's and the page's fields."""

    menu_name = ""
    menu_app_name = ""
    change_form_template = "admin/accounts/security_change_form.html"  # breadcrumbs name the record in Chinese
    columns: list[tuple[str, object]] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        names = []
        for field, label in cls.columns:
            name = f"shown_{field}"
            setattr(cls, name, admin.display(description=label, ordering=field)(_shown(field)))
            names.append(name)
        cls.list_display = cls.fields = cls.readonly_fields = names

    def describe(self, obj) -> str:
        """The record as the page's subtitle (the libraries' own __str__ is English, in UTC)."""
        return str(obj)

    def get_deleted_objects(self, objs, request):
        """The delete (unlock, reset) confirmation lists the records by the platform's words, not
        the libraries' English __str__ ("Attempted Access: …")."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return ([f"{self.menu_name}：{self.describe(obj)}" for obj in objs], counts, perms_needed, protected)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = {"object": _Described(obj.pk, self.describe(obj))} if obj is not None else {}
        return super().delete_view(request, object_id, {**extra, **(extra_context or {})})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        extra = {"subtitle": self.describe(obj)} if obj is not None else {}
        return super().changeform_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @classmethod
    def name_model(cls, model) -> None:
        model._meta.verbose_name = model._meta.verbose_name_plural = cls.menu_name
        model._meta.app_config.verbose_name = cls.menu_app_name

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


class _Described:
    """A record on the delete confirmation: its key for the links, the platform's words for its name."""

    def __init__(self, pk, text: str):
        self.pk, self.text = pk, text

    def __str__(self) -> str:
        return self.text


def _shown(field: str):
    """A column showing ``field`` as a person reads it (times local, to the second; yes/no)."""
    import datetime

    from kernel.dates import moment_text

    def show(self, obj):
        value = getattr(obj, field)
        if value is None or value == "":
            return "—"
        if isinstance(value, datetime.datetime):
            return moment_text(value)
        if isinstance(value, bool):
            return gettext_now("Yes") if value else gettext_now("No")
        return value

    return show


class AccessAttemptAdmin(SecurityAdminOnly):
    """Failed logins per username (django-axes). Deleting a row unlocks that username."""

    delete_event = "lockout_cleared"
    menu_name, menu_app_name = _("Failed logins and lockouts"), _("Login security")
    columns = [("username", _("username")), ("ip_address", _("IP address")), ("user_agent", _("Browser")),
               ("failures_since_start", _("Failed logins")), ("attempt_time", _("Last attempt"))]

    def describe(self, obj) -> str:
        return f"{obj.username} · {obj.ip_address or ''}"
    search_fields = ["username", "ip_address"]


class TOTPDeviceAdmin(SecurityAdminOnly):
    """Users' second-factor devices. Deleting one makes its user enrol again at the next login.
    The secret is never shown here."""

    delete_event = "second_factor_reset"
    menu_name, menu_app_name = _("Second-factor devices"), _("Second factor (dynamic password)")
    columns = [("user", _("user")), ("name", _("Device name")), ("confirmed", _("Enrolled")),
               ("created_at", _("Created at")), ("last_used_at", _("Last used at"))]

    def describe(self, obj) -> str:
        return f"{obj.user} · {obj.name}"
    search_fields = ["user__username", "user__full_name"]


for _model, _admin in [(AccessAttempt, AccessAttemptAdmin), (TOTPDevice, TOTPDeviceAdmin)]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin)
    _admin.name_model(_model)
