"""Issue 16: a county officer imports their county's labour brands from Excel or CSV through the
imports app (its file gate, preview and confirmation), with the page's rules, cell by cell; all or
nothing; another county's officer and readers cannot."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import AuditEvent
from brands.models import LabourBrand
from brands.services import labour_brand_save
from imports.models import ImportBatch
from imports.services import import_confirm, import_upload
from tests.imports_helpers import csv_bytes, upload, xlsx_bytes
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
HEADER = ["品牌名称", "工种", "认定年份", "带动就业人数", "备注"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 27)):
        yield


def brands_upload(user, rows, name="品牌.xlsx") -> ImportBatch:
    data = xlsx_bytes([HEADER, *rows]) if name.endswith(".xlsx") else csv_bytes([HEADER, *rows])
    return import_upload(user=user, kind=ImportBatch.Kind.LABOUR_BRANDS, upload=upload(data, name))


def test_a_county_imports_its_brands_and_again_changes_nothing(personas):
    officer = personas["county_a"]
    labour_brand_save(name="安康家政", work_type="家政服务", county=county("汉滨区"), year_recognised=2022,
                      workers_employed=900, user=officer)
    rows = [["安康家政", "家政服务", 2022, 1200, ""], ["汉滨建工", "建筑工匠", "２０２３", "3,400", "【演示】"]]
    batch = brands_upload(officer, rows)
    assert batch.state == ImportBatch.State.READY, batch.errors
    assert (batch.summary["created"], batch.summary["updated"]) == (1, 1)
    assert not LabourBrand.objects.filter(name="汉滨建工").exists()  # the preview writes nothing
    assert import_confirm(batch=batch, user=officer).state == ImportBatch.State.APPLIED
    brands = {b.name: b for b in LabourBrand.objects.filter(county=county("汉滨区"))}
    assert (brands["安康家政"].workers_employed, brands["安康家政"].version) == (1200, 2)
    assert (brands["汉滨建工"].year_recognised, brands["汉滨建工"].workers_employed) == (2023, 3400)
    assert AuditEvent.objects.filter(model__icontains="labour", action="created").exists()
    again = brands_upload(officer, rows, name="品牌.csv")
    assert again.state == ImportBatch.State.UNCHANGED and again.summary["unchanged"] == 2


@pytest.mark.parametrize(("cells", "column", "says"), [
    (["甲", "家政", 2023, 12.5, ""], "D", "整数"),
    (["甲", "家政", 2023, -1, ""], "D", "范围"),
    (["甲", "家政", 2027, 5, ""], "C", "范围"),       # in the future
    (["甲", "家政", 1999, 5, ""], "C", "范围"),
    (["甲", "", 2023, 5, ""], "A", "工种"),
])
def test_a_bad_row_anywhere_refuses_the_file_by_row_and_column(cells, column, says, personas):
    rows = [["好的品牌", "厨师", 2022, 10, ""], cells]
    batch = brands_upload(personas["county_a"], rows)
    assert batch.state == ImportBatch.State.REFUSED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, column)], batch.errors
    assert says in batch.errors[0]["message"]
    assert not LabourBrand.objects.exists()


def test_only_a_county_officer_imports_and_only_their_own_county(personas, client_for):
    for persona in ("city_admin", "leader", "co_officer", "town_officer"):
        with pytest.raises(PermissionDenied):
            brands_upload(personas[persona], [["甲", "家政", 2023, 5, ""]])
    assert client_for("county_a").get("/imports/brands/").status_code == 200
    assert client_for("leader").get("/imports/brands/").status_code == 404
    batch = brands_upload(personas["county_b"], [["石泉茶师", "茶艺", 2022, 80, ""]])
    assert import_confirm(batch=batch, user=personas["county_b"]).state == ImportBatch.State.APPLIED
    assert LabourBrand.objects.get().county == county("石泉县")  # the officer's county, never a column
    with pytest.raises(PermissionDenied):
        import_confirm(batch=batch, user=personas["county_a"])


def test_the_sample_file_imports_for_hanbin(personas, client_for):
    from pathlib import Path

    from django.conf import settings

    sample = Path(settings.BASE_DIR) / "imports" / "samples" / "hanbin_labour_brands.csv"
    assert client_for("county_a").get("/imports/samples/brands/").status_code == 200
    batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.LABOUR_BRANDS,
                          upload=upload(sample.read_bytes(), sample.name))
    assert batch.state == ImportBatch.State.READY and batch.summary["created"] == 4, batch.errors
    assert import_confirm(batch=batch, user=personas["county_a"]).state == ImportBatch.State.APPLIED
    assert LabourBrand.objects.filter(county=county("汉滨区")).count() == 4
