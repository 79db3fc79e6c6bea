from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """The shared kernel: what every app may use and nothing in it uses an app (quarters and
    periods, versions and conflicts, refusals, upload sniffing, export writing, COPY helpers,
    the degrading cache, the security log, the middleware and error pages)."""

    name = "kernel"
    verbose_name = _("Shared kernel")
