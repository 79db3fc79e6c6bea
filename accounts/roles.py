"""The platform's roles. A user holds any number of them (RoleAssignment).

Who may read or write what is decided in each model's queryset (``for_user``/``editable_by``),
which asks the user for these roles; this module only names them and groups them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The office of the city employment work leading group (市就业工作领导小组办公室), in 市人社局.
    # In the separation of duties (三员分立) it is the system administrator (系统管理员): it runs
    # the platform (accounts, roles, plan data, API clients) — see docs/security.md.
    CITY_ADMIN = "city_admin", _("City administrator")
    # The security administrator (安全管理员): unlocks locked-out accounts and resets second factors.
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    DEPT_OFFICER = "dept_officer", _("Department officer")
    COUNTY_OFFICER = "county_officer", _("County officer")
    # The city office's statistics staff (市统计员): the city's own return — the figures only the
    # city reports (the surveyed unemployment rate). A role of its own, not a permission of the city
    # administrator: the return is reviewed by the office, so the one who enters the figures must not
    # be the one who approves them, and the city administrator is the system administrator of
    # 三员分立, who runs the platform rather than producing its data. Belongs to the city Region.
    CITY_STATS_OFFICER = "city_stats_officer", _("City statistics officer")
    # A town or sub-district (乡镇、街道) officer: the first review of its villages' applications
    # for full-employment certification (task 8).
    TOWN_OFFICER = "town_officer", _("Town officer")
    LEADER = "leader", _("Leader (read-only)")
    # The audit administrator (审计管理员): reads the audit trail, nothing else.
    AUDITOR = "auditor", _("Auditor (audit trail only)")


# Roles that may read the plan, its tasks, targets and the divisions. The auditor is not among
# them on purpose: separation of duties gives the auditor the audit trail and nothing else.
PLAN_READERS = frozenset({Role.CITY_ADMIN, Role.DEPT_OFFICER, Role.COUNTY_OFFICER, Role.CITY_STATS_OFFICER,
                          Role.TOWN_OFFICER, Role.LEADER})
# Roles that may read the audit trail.
AUDIT_READERS = frozenset({Role.AUDITOR})
# The three separated duties (三员分立): system administrator (the city administrator), security
# administrator and audit administrator. Nobody holds two of them (accounts/services.py role_grant).
SEPARATED_DUTIES = frozenset({Role.CITY_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles that must pass a TOTP second factor when settings.OTP_REQUIRED is on: the three
# administrators, the leaders, and the reviewers. Reviewers are every county officer (any of them
# may be the county's reviewer (审核) of a certification application, and they approve nothing
# else the town's officers do not) and every town officer (初审). Department officers only report.
SECOND_FACTOR_ROLES = frozenset({Role.CITY_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR, Role.LEADER,
                                 Role.COUNTY_OFFICER, Role.TOWN_OFFICER})
