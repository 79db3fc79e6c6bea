from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MyWorkConfig(AppConfig):
    """我的工作: each person's landing page, gathering their work from every app (returns, task
    reports, corrections, certification applications, notifications); it sits above them all."""

    name = "my_work"
    verbose_name = _("My work")
