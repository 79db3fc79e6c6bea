from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Full-employment certification")

    def ready(self) -> None:
        # The four tier counts are derived indicators: the targets engine asks us for them.
        from functools import partial

        from targets.derived import DERIVED_SOURCES, DerivedSource

        from .selectors import certification_counting_note, tier_certifications_in_force, tier_counts
        from .services import TIERS

        for *_rest, indicator_code, _communities_only in TIERS:
            DERIVED_SOURCES[indicator_code] = DerivedSource(
                counts=partial(tier_counts, indicator_code=indicator_code),
                records=partial(tier_certifications_in_force, indicator_code=indicator_code),
                note=certification_counting_note)
