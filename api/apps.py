from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        from reports.signals import return_reviewed

        from .receivers import return_reviewed as emit

        return_reviewed.connect(emit, dispatch_uid="api.return_reviewed")
