from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Final assessments")

    def ready(self) -> None:
        from reports.signals import return_reviewed

        from .receivers import year_approved

        return_reviewed.connect(year_approved, dispatch_uid="assessments.year_approved")
