from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Quarterly reporting")

    def ready(self) -> None:
        from accounts.signals import duty_changed
        from targets.task_panels import TASK_PANELS

        from .receivers import audit_role_changed
        from .views import task_measures_panel

        # accounts sits below reports and cannot call its notifications: it sends a signal
        duty_changed.connect(audit_role_changed, dispatch_uid="reports.audit_role_changed")
        # the task page (targets) shows the task measures' figures, which reporting keeps
        if task_measures_panel not in TASK_PANELS:
            TASK_PANELS.append(task_measures_panel)
