from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import ROLES_LOADED, UserQuerySet
from .roles import SEPARATED_DUTIES, Role


class PlatformUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A civil servant using the platform. Belongs to a department (municipal staff) or to a
    region (county staff); what they may do comes from their roles."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    department = models.ForeignKey(
        "tasks.Department", verbose_name=_("department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
    )
    region = models.ForeignKey(
        "divisions.Region", verbose_name=_("region"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="users",
        help_text=_("For county staff: the county whose data they handle."),
    )
    is_demo = models.BooleanField(_("demo account"), default=False)

    objects = PlatformUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        loaded = self.__dict__.pop(ROLES_LOADED, None)  # read with the user (accounts/backends.py, api/services.py)
        if not self.pk or not self.is_active:
            return frozenset()
        if loaded is not None:
            return frozenset(loaded)
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    def refresh_roles(self) -> None:
        self.__dict__.pop("role_codes", None)
        self.__dict__.pop(ROLES_LOADED, None)


class RoleAssignment(models.Model):
    """One role held by one user: who granted it and when is part of the audit trail."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_by = models.ForeignKey(
        User, verbose_name=_("granted by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user_id", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self) -> None:
        # A role needs the affiliation that scopes it; checked here so admin forms show it too.
        user = self.user
        if self.role == Role.COUNTY_OFFICER and (user.region is None or user.region.level != "county"):
            raise ValidationError(_("A county officer must belong to a county."))
        if self.role == Role.CITY_STATS_OFFICER and (user.region is None or user.region.level != "city"):
            raise ValidationError(_("A city statistics officer must belong to the city."))
        if self.role == Role.TOWN_OFFICER and (user.region is None or user.region.level != "town"):
            raise ValidationError(_("A town officer must belong to a town or sub-district."))
        if self.role == Role.DEPT_OFFICER and user.department_id is None:
            raise ValidationError(_("A department officer must belong to a department."))
        if self.role in SEPARATED_DUTIES and user.pk is not None:
            # 三员分立: the system, security and audit administrators are three different people. (A
            # user being added holds no role yet: the admin's role formset checks its own rows,
            # accounts/admin.py RoleFormSet.)
            held = (RoleAssignment.objects.filter(user=user, role__in=SEPARATED_DUTIES - {self.role})
                    .exclude(pk=self.pk).first())
            if held is not None:
                raise ValidationError(
                    _("%(user)s already holds the duty of %(held)s: the system, security and audit administrators "
                      "must be different people.") % {"user": user, "held": held.get_role_display()})
