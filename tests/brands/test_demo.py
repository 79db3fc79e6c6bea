"""Issue 16's demo: labour brands per county (nine of the ten counties, 宁陕县 none), labelled, made
through the service, so the brands page says 9 of 10 counties meet 1–2 per county."""

from __future__ import annotations

import pytest

from brands.models import LabourBrand
from seeding.demo.brands import demo_brands_seed

pytestmark = pytest.mark.django_db


def test_the_demo_brands_per_county_and_the_page(personas, client_for, settings):
    settings.DEMO_MODE = True
    assert demo_brands_seed(admin=personas["city_admin"]) > 0
    assert demo_brands_seed(admin=personas["city_admin"]) == 0  # once
    counties = set(LabourBrand.objects.values_list("county__name", flat=True))
    assert len(counties) == 9 and "宁陕县" not in counties
    assert all(b.is_demo and b.name.startswith("【演示】") and b.history.exists() for b in LabourBrand.objects.all())
    page = client_for("leader").get("/brands/").content.decode()
    assert "10个县（市、区）中有9个达到" in page and "【演示】安康家政" in page
