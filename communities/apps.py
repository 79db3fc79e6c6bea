from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Administrative divisions and communities")

    def ready(self) -> None:
        # The four tier counts are derived indicators: the targets engine asks us for them.
        from functools import partial

        from targets.rollup import DERIVED_SOURCES

        from .selectors import tier_counts
        from .services import TIERS

        for *_rest, indicator_code, _communities_only in TIERS:
            DERIVED_SOURCES[indicator_code] = partial(tier_counts, indicator_code=indicator_code)
