from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "brands"
    verbose_name = _("Labour brands")

    def ready(self) -> None:
        # Task 11's labour brands per county are a derived indicator: the targets engine counts
        # the records kept here, never a typed number.
        from targets.derived import DERIVED_SOURCES, DerivedSource

        from .selectors import INDICATOR_CODE, brand_counts, brands_counting_note, brands_in_force

        DERIVED_SOURCES[INDICATOR_CODE] = DerivedSource(counts=brand_counts, records=brands_in_force,
                                                        note=brands_counting_note, records_kind="brands")
