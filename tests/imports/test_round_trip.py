"""Export, then import the same file: nothing changes. The registry's export is a file
the registry import reads, row for row."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from divisions.models import CommunityProfile, Region
from imports.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanbin_profiles(personas):
    units = list(Region.objects.filter(county__name="汉滨区", level="village").order_by("code")[:40])
    CommunityProfile.objects.bulk_create([
        CommunityProfile(region=r, households=100 + i, population=300 + 3 * i, is_relocation=i % 7 == 0)
        for i, r in enumerate(units)])
    return units


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_registry_export_then_import_changes_nothing(client_for, hanbin_profiles, fmt):
    client = client_for("county_a")
    county = hanbin_profiles[0].county
    response = client.get(f"/communities/?county={county.code}&export=registry&format={fmt}")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    before = list(CommunityProfile.objects.order_by("pk").values_list("pk", "households", "population",
                                                                      "is_relocation", "version"))
    response = client.post("/imports/communities/", {"file": SimpleUploadedFile(f"名录.{fmt}", data)})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.errors == [] and batch.state == ImportBatch.State.UNCHANGED, (batch.state, batch.errors[:3])
    assert batch.summary.get("unchanged") == Region.objects.filter(county=county, level="village").count()
    after = list(CommunityProfile.objects.order_by("pk").values_list("pk", "households", "population",
                                                                     "is_relocation", "version"))
    assert after == before


def test_return_figures_export_then_import_changes_nothing(client_for, personas):
    from unittest import mock

    from imports.services import import_confirm
    from reports.models import CountyReturn
    from targets.models import IndicatorValue
    from tests.imports.test_import_flow import IN_WINDOW, RETURN_HEADER, return_rows, upload_return

    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        batch = upload_return(personas["county_a"], [RETURN_HEADER] + return_rows())
        assert import_confirm(batch=batch, user=personas["county_a"]).state == ImportBatch.State.APPLIED
        r = CountyReturn.objects.get(region__code="610902000000", period__year=2024, period__quarter=3)
        before = list(IndicatorValue.objects.filter(region=r.region).order_by("pk").values_list("pk", "value",
                                                                                               "version"))
        client = client_for("county_a")
        for fmt in ("xlsx", "csv"):
            response = client.get(f"/reports/returns/{r.region.code}/{r.period.label}/?export=figures&format={fmt}")
            assert response.status_code == 200
            data = b"".join(response.streaming_content) if response.streaming else response.content
            response = client.post(f"/imports/returns/{r.region.code}/{r.period.label}/",
                                   {"file": SimpleUploadedFile(f"季报.{fmt}", data)})
            assert response.status_code == 302
            again = ImportBatch.objects.latest("pk")
            assert again.state == ImportBatch.State.UNCHANGED and not again.errors, (fmt, again.state, again.errors[:3])
        after = list(IndicatorValue.objects.filter(region=r.region).order_by("pk").values_list("pk", "value", "version"))
    assert after == before
