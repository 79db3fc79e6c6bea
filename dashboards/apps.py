from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Leadership dashboards: read-only pages over the snapshots and reporting records."""

    name = "dashboards"
    verbose_name = _("Dashboards")
