"""Labour brands (task 11) as records: who records them, the rules, the per-county count the
targets engine derives from them, and the records behind a count."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from brands.models import LabourBrand
from brands.services import labour_brand_save
from reports.services import reported_indicators
from targets.models import IndicatorValue
from targets.rollup import rollup
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def save(user, **fields):
    data = {"name": "安康家政", "work_type": "家政服务", "county": county("汉滨区"), "year_recognised": 2023,
            "workers_employed": 1200}
    return labour_brand_save(**{**data, **fields}, user=user)


def test_a_county_officer_records_their_own_countys_brand(personas):
    brand = save(personas["county_a"])
    assert brand.history.count() == 1 and brand.updated_by == personas["county_a"]
    with pytest.raises(PermissionDenied):
        save(personas["county_b"], name="别县的")
    with pytest.raises(PermissionDenied):
        save(personas["county_b"], brand=brand, county=county("石泉县"))
    for persona in ("leader", "co_officer", "city_stats"):
        with pytest.raises(PermissionDenied):
            save(personas[persona], name=persona)


@pytest.mark.parametrize(("fields", "says"), [
    ({"workers_employed": "12.5"}, "整数"),
    ({"workers_employed": "-1"}, "范围"),
    ({"year_recognised": "2027"}, "范围"),  # in the future
    ({"year_recognised": "1999"}, "范围"),
    ({"name": " "}, "名称"),
])
def test_bad_input_is_refused_and_nothing_written(fields, says, personas):
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY), pytest.raises(ValidationError) as refused:
        save(personas["city_admin"], **fields)
    assert says in " ".join(refused.value.messages), refused.value.messages
    assert not LabourBrand.objects.exists()


def test_a_county_cannot_have_two_brands_of_one_name(personas):
    save(personas["city_admin"])
    with pytest.raises(ValidationError, match="已有"):
        save(personas["county_a"])


def test_the_count_is_derived_never_typed(personas):
    assert "labour_brands" not in {i.code for i in reported_indicators()}
    save(personas["city_admin"])
    save(personas["city_admin"], name="紫阳茶艺", county=county("紫阳县"), year_recognised=2022)
    rollup(indicator_codes=["labour_brands"], today=TODAY)
    from targets.models import Snapshot

    hanbin = Snapshot.objects.get(plan__code="ankang-2022", indicator__code="labour_brands", region=county("汉滨区"),
                                  year=2023, quarter=4)
    assert hanbin.value == 1 and hanbin.status == "green"
    assert not IndicatorValue.objects.filter(indicator__code="labour_brands").exists()


def test_the_records_behind_a_count_are_listed(personas, client_for):
    save(personas["city_admin"])
    rollup(indicator_codes=["labour_brands"], today=TODAY)
    page = client_for("leader").get("/targets/ankang-2022/labour_brands_per_county/sources/610902000000/2024Q4/")
    assert page.status_code == 200 and "安康家政" in page.content.decode() and "家政服务" in page.content.decode()
    city_page = client_for("leader").get("/targets/ankang-2022/labour_brands_per_county/?quarter=2024Q4")
    assert city_page.status_code == 200
