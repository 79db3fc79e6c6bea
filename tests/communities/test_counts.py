"""Task 8's tier counts come from certification records, never from a typed-in number."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from communities.models import Certification, Tier
from communities.services import certification_issue, certification_withdraw
from divisions.models import Region
from targets.models import Snapshot
from tests.targets_helpers import city, county

pytestmark = pytest.mark.django_db


def community(county_name: str, n: int = 0) -> Region:
    return Region.objects.filter(county__name=county_name, kind="community").order_by("code")[n]


def village(county_name: str) -> Region:
    return Region.objects.filter(county__name=county_name, kind="village").order_by("code").first()


def certify(region, tier_code, day, number, **kw):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return certification_issue(community=region, tier=Tier.objects.get(code=tier_code), certificate_number=number,
                                   certified_on=day, issuer="安康市人社局", **kw)


def count(code, region, year, quarter):
    return Snapshot.objects.get(indicator__code=code, region=region, year=year, quarter=quarter).value


def test_counts_per_tier_county_and_city_at_each_quarter_end():
    a0, a1, b0 = community("汉滨区", 0), community("汉滨区", 1), community("石泉县", 0)
    certify(a0, "municipal", dt.date(2022, 3, 1), "市-1")
    certify(a1, "municipal", dt.date(2022, 5, 1), "市-2")
    certify(b0, "municipal", dt.date(2022, 5, 2), "市-3", valid_until=dt.date(2023, 12, 31))
    certify(village("石泉县"), "municipal", dt.date(2022, 6, 30), "市-4")
    certify(a0, "provincial", dt.date(2023, 2, 1), "省-1")
    assert count("municipal_fe_communities", city(), 2022, 1) == D(1)
    assert count("municipal_fe_communities", city(), 2022, 2) == D(4)
    assert count("municipal_fe_communities", county("石泉县"), 2024, 1) == D(1)  # 市-3 expired on 2023-12-31
    assert count("provincial_fe_communities", city(), 2023, 1) == D(1)
    assert count("municipal_fe_communities", city(), 2024, 1) == D(3)


def test_withdrawal_stops_the_count_from_its_date_and_keeps_the_record():
    c = certify(community("汉滨区"), "municipal", dt.date(2022, 1, 10), "市-9")
    with TestCase.captureOnCommitCallbacks(execute=True):
        certification_withdraw(certification=c, on=dt.date(2023, 8, 1), reason="复核不合格")
    assert count("municipal_fe_communities", city(), 2023, 2) == D(1)
    assert count("municipal_fe_communities", city(), 2023, 3) in (None, D(0))
    assert Certification.objects.get(pk=c.pk).withdrawal_reason == "复核不合格"
    with pytest.raises(ValidationError):
        certification_withdraw(certification=c, on=dt.date(2023, 9, 1), reason="again")


def test_higher_tier_needs_the_lower_one_in_force():
    c = community("紫阳县")
    with pytest.raises(ValidationError, match="省级充分就业社区"):
        certify(c, "provincial_star", dt.date(2023, 1, 1), "星-1")
    with pytest.raises(ValidationError):
        certify(c, "provincial", dt.date(2023, 1, 1), "省-1")  # no municipal yet
    certify(c, "municipal", dt.date(2022, 1, 1), "市-1", valid_until=dt.date(2022, 12, 31))
    with pytest.raises(ValidationError):
        certify(c, "provincial", dt.date(2023, 1, 1), "省-2")  # the municipal one has expired
    v = village("紫阳县")
    certify(v, "municipal", dt.date(2022, 1, 1), "市-2")
    with pytest.raises(ValidationError):
        certify(v, "provincial", dt.date(2022, 6, 1), "省-3")  # villages stop at the municipal tier
    with pytest.raises(ValidationError):
        certify(county("紫阳县"), "municipal", dt.date(2022, 1, 1), "市-3")  # a county is not a community


@pytest.mark.parametrize("toward_lower, municipal", [(True, 2), (False, 1)])
def test_the_higher_tier_setting_decides_the_lower_count(settings, toward_lower, municipal):
    settings.CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER = toward_lower
    a, b = community("旬阳市", 0), community("旬阳市", 1)
    certify(a, "municipal", dt.date(2022, 1, 1), "市-1", valid_until=dt.date(2023, 6, 30))
    certify(a, "provincial", dt.date(2023, 1, 1), "省-1")
    certify(b, "municipal", dt.date(2022, 1, 1), "市-2")
    # in 2024Q1 a's municipal certificate has lapsed but it holds the provincial tier
    from targets.rollup import rollup

    rollup(indicator_codes=["municipal_fe_communities"])
    assert count("municipal_fe_communities", city(), 2024, 1) == D(municipal)


def test_demo_certifications_obey_the_tier_rules(settings):
    from seeding.demo.certification import COUNTS, demo_certifications_seed

    settings.DEMO_MODE = True
    created = demo_certifications_seed()
    assert demo_certifications_seed() == 0
    assert created <= sum(COUNTS.values()) and Certification.objects.filter(tier__code="municipal").count() == 1150
    for c in Certification.objects.filter(tier__rank__gt=1).select_related("tier", "community"):
        assert c.community.kind == "community"
        below = Certification.objects.filter(community=c.community, tier__rank=c.tier.rank - 1).in_force_on(
            c.certified_on)
        assert below.exists(), c


def test_every_count_says_how_it_is_counted(client_for, settings):
    certify(community("汉滨区"), "municipal", dt.date(2022, 3, 1), "市-1")
    html = client_for("leader").get("/targets/ankang-2022/municipal_fe_communities/?quarter=2022Q1").content.decode()
    assert "同时计入低一级目标" in html and "汉滨区" in html
    assert "CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER" not in html  # a setting's name is not for readers
    assert "同时计入低一级目标" in client_for("leader").get("/targets/").content.decode()
    settings.CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER = False
    html = client_for("leader").get("/targets/ankang-2022/municipal_fe_communities/?quarter=2022Q1").content.decode()
    assert "只计本级" in html


def test_drill_through_of_a_count_lists_the_certifications_in_force(client_for):
    a, b = community("汉滨区", 0), community("石泉县", 0)
    certify(a, "municipal", dt.date(2022, 3, 1), "市-1")
    certify(b, "municipal", dt.date(2022, 3, 2), "市-2", valid_until=dt.date(2022, 12, 31))
    url = "/targets/ankang-2022/municipal_fe_communities/sources/610900000000/{}/"
    html = client_for("leader").get(url.format("2022Q2")).content.decode()
    assert "市-1" in html and "市-2" in html and a.name in html
    html = client_for("leader").get(url.format("2023Q1")).content.decode()
    assert "市-1" in html and "市-2" not in html  # expired
    county_html = client_for("leader").get(
        f"/targets/ankang-2022/municipal_fe_communities/sources/{county('石泉县').code}/2022Q2/").content.decode()
    assert "市-2" in county_html and "市-1" not in county_html
    assert client_for("outsider").get(url.format("2022Q2")).status_code == 404
