"""The platform's roles. A user holds any number of them (RoleAssignment).

Who may read or write what is decided in each model's queryset (``for_user``/``editable_by``),
which asks the user for these roles; this module only names them and groups them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The office of the city employment work leading group (市就业工作领导小组办公室), in 市人社局.
    CITY_ADMIN = "city_admin", _("City administrator")
    DEPT_OFFICER = "dept_officer", _("Department officer")
    COUNTY_OFFICER = "county_officer", _("County officer")
    # A town or sub-district (乡镇、街道) officer: the first review of its villages' applications
    # for full-employment certification (task 8).
    TOWN_OFFICER = "town_officer", _("Town officer")
    LEADER = "leader", _("Leader (read-only)")
    AUDITOR = "auditor", _("Auditor (audit trail only)")


# Roles that may read the plan, its tasks, targets and the divisions. The auditor is not among
# them on purpose: separation of duties gives the auditor the audit trail and nothing else.
PLAN_READERS = frozenset({Role.CITY_ADMIN, Role.DEPT_OFFICER, Role.COUNTY_OFFICER, Role.TOWN_OFFICER, Role.LEADER})
# Roles that may read the audit trail.
AUDIT_READERS = frozenset({Role.AUDITOR})
