"""Issue 16, labour brands (task 11) on their own page: a county officer records their county's
brands through the form, with the service's rules (a whole number of workers, a year from 2000 to
this year); another county's brand is refused; every reader sees how many counties meet 1–2 per
county; each change is in the audit trail."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from audit.models import AuditEvent
from brands.models import LabourBrand
from brands.services import labour_brand_save
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def posted(**fields) -> dict:
    data = {"name": "安康家政", "work_type": "家政服务", "county": county("汉滨区").pk, "year_recognised": "2023",
            "workers_employed": "1200", "note": ""}
    return {**data, **fields}


def test_a_county_officer_records_a_brand_on_the_page_and_it_is_audited(client_for):
    client = client_for("county_a")
    page = client.get("/brands/")
    assert page.status_code == 200 and "登记劳务品牌" in page.content.decode()
    assert "10个县（市、区）中有0个达到" in page.content.decode()
    response = client.post("/brands/", posted())
    assert response.status_code == 302, response.content.decode()
    brand = LabourBrand.objects.get()
    assert (brand.county, brand.workers_employed, brand.year_recognised) == (county("汉滨区"), 1200, 2023)
    assert AuditEvent.objects.filter(model__icontains="labour", action="created").exists()
    assert "10个县（市、区）中有1个达到" in client_for("leader").get("/brands/").content.decode()


@pytest.mark.parametrize(("fields", "says"), [
    ({"workers_employed": "12.5"}, "整数"),
    ({"workers_employed": "-3"}, "范围"),
    ({"workers_employed": "１２"}, "整数"),
    ({"year_recognised": "2027"}, "范围"),   # in the future
    ({"year_recognised": "1999"}, "范围"),
    ({"year_recognised": "二〇二三"}, "整数"),
    ({"county": "abc"}, "县"),
])
def test_bad_input_on_the_page_is_refused_and_nothing_written(fields, says, client_for):
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        response = client_for("county_a").post("/brands/", posted(**fields))
    assert response.status_code == 400 and says in response.content.decode()
    assert not LabourBrand.objects.exists()


def test_county_a_cannot_touch_county_b(personas, client_for):
    response = client_for("county_a").post("/brands/", posted(county=county("石泉县").pk))
    assert response.status_code == 400 and not LabourBrand.objects.exists()  # not among its choices
    theirs = labour_brand_save(name="石泉茶师", work_type="茶艺", county=county("石泉县"), year_recognised=2022,
                               workers_employed=80, user=personas["county_b"])
    page = client_for("county_a").get(f"/brands/{theirs.pk}/")
    assert page.status_code == 200 and 'name="action" value="save"' not in page.content.decode()
    for action in ("save", "delete"):
        response = client_for("county_a").post(f"/brands/{theirs.pk}/", {**posted(), "action": action,
                                                                            "version": theirs.version})
        assert response.status_code == 403
    theirs.refresh_from_db()
    assert (theirs.name, theirs.version) == ("石泉茶师", 1)
    for reader in ("leader", "co_officer", "town_officer"):
        assert client_for(reader).post("/brands/", posted()).status_code == 403
    assert LabourBrand.objects.count() == 1


def test_the_county_changes_and_removes_its_brand_with_versions(personas, client_for):
    brand = labour_brand_save(name="安康家政", work_type="家政服务", county=county("汉滨区"), year_recognised=2023,
                              workers_employed=100, user=personas["county_a"])
    client = client_for("county_a")
    response = client.post(f"/brands/{brand.pk}/", {**posted(workers_employed="150"), "action": "save",
                                                     "version": 1})
    assert response.status_code == 302
    brand.refresh_from_db()
    assert (brand.workers_employed, brand.version) == (150, 2)
    stale = client.post(f"/brands/{brand.pk}/", {**posted(workers_employed="170"), "action": "save", "version": 1})
    assert stale.status_code == 400 and LabourBrand.objects.get().workers_employed == 150
    assert client.post(f"/brands/{brand.pk}/", {"action": "delete", "version": "x"}).status_code == 400
    assert client.post(f"/brands/{brand.pk}/", {"action": "delete", "version": 2}).status_code == 302
    assert not LabourBrand.objects.exists()
    assert AuditEvent.objects.filter(model__icontains="labour", action="deleted").exists()


def test_the_city_page_counts_counties_meeting_one_to_two(personas, client_for):
    for name, where in [("甲", "汉滨区"), ("乙", "汉滨区"), ("丙", "汉滨区"), ("丁", "石泉县")]:
        labour_brand_save(name=name, work_type="家政", county=county(where), year_recognised=2023,
                          workers_employed=10, user=personas["city_admin"])
    page = client_for("city_admin").get("/brands/").content.decode()
    assert "10个县（市、区）中有2个达到" in page and 'data-counties-meeting="2"' in page
