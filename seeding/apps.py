from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedingConfig(AppConfig):
    """Orchestration at the top of the layers: loading a plan with its targets, tiers and reporting
    periods (``load_plan``, ``clone_plan``) and the demo dataset (``seed_demo``), which need
    several apps at once and so belong to none of them."""

    name = "seeding"
    verbose_name = _("Plan and demo loading")
