"""The registry of villages and communities: filters, the profile its county keeps, history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from communities.models import Certification, Tier
from communities.selectors import registry
from divisions.models import CommunityProfile, Region
from divisions.services import community_profile_save

pytestmark = pytest.mark.django_db


def community(county: str, n: int = 0) -> Region:
    return Region.objects.filter(county__name=county, kind="community").order_by("code")[n]


def test_filters(personas):
    leader = personas["leader"]
    assert registry(user=leader).count() == 1924
    assert registry(user=leader, county="610927000000").count() == 65  # 镇坪县: 58 villages + 7 communities
    assert registry(user=leader, county="610927000000", kind="community").count() == 7
    a = community("汉滨区")
    Certification.objects.create(community=a, tier=Tier.objects.get(code="municipal"), certificate_number="市-1",
                                 certified_on=dt.date(2022, 1, 1), issuer="x")
    assert list(registry(user=leader, tier="1")) == [a]
    assert registry(user=leader, tier="none").count() == 1923
    CommunityProfile.objects.create(region=a, households=420, is_relocation=True)
    assert list(registry(user=leader, relocation="yes")) == [a]
    assert registry(user=personas["outsider"]).count() == 0


def test_the_county_keeps_its_own_profiles_with_history(personas):
    a = community("汉滨区")
    profile = community_profile_save(region=a, households="350", population="900", is_relocation=True, version=1,
                                     user=personas["county_a"])
    assert profile.window_upgrade_required and profile.version == 2
    with pytest.raises(PermissionDenied):
        community_profile_save(region=a, households="1", population="", is_relocation=False, version=2,
                               user=personas["county_b"])
    with pytest.raises(PermissionDenied):
        community_profile_save(region=a, households="1", population="", is_relocation=False, version=2,
                               user=personas["leader"])
    with pytest.raises(ValidationError):
        community_profile_save(region=a, households="３５０", population="", is_relocation=False, version=2,
                               user=personas["county_a"])
    with pytest.raises(ValidationError):  # stale
        community_profile_save(region=a, households="360", population="", is_relocation=True, version=1,
                               user=personas["county_a"])
    community_profile_save(region=a, households="360", population="", is_relocation=True, version=2,
                           user=personas["city_admin"])
    assert CommunityProfile.objects.get(region=a).history.count() == 3


def test_pages(client_for):
    a = community("汉滨区")
    html = client_for("leader").get("/communities/?county=610902000000&kind=community").content.decode()
    assert a.name in html and "106" in html
    assert client_for("county_a").get(f"/communities/{a.code}/").status_code == 200
    response = client_for("county_a").post(f"/communities/{a.code}/", {"households": "320", "population": "",
                                                                        "is_relocation": "on", "version": "1"})
    assert response.status_code == 302 and CommunityProfile.objects.get(region=a).households == 320
    assert "服务窗口" in client_for("county_a").get(f"/communities/{a.code}/").content.decode()
    # another county cannot edit: refused (403, in the security log), never a silent 200
    assert client_for("county_b").post(f"/communities/{a.code}/", {"households": "1", "version": "2"}).status_code == 403
    assert CommunityProfile.objects.get(region=a).households == 320
    assert client_for("outsider").get(f"/communities/{a.code}/").status_code == 404
    assert client_for("anonymous").get("/communities/").status_code == 302


def test_demo_profiles(settings):
    from seeding.demo.certification import demo_profiles_seed

    settings.DEMO_MODE = True
    assert demo_profiles_seed() == 1924 and demo_profiles_seed() == 0
    relocation = CommunityProfile.objects.filter(is_relocation=True)
    assert relocation.count() == 60 and not relocation.exclude(region__kind="community").exists()
    assert relocation.filter(households__gte=100).count() == 60


def test_search_by_name_and_numbered_pages(client_for):
    a = community("汉滨区")
    leader = client_for("leader")
    html = leader.get("/communities/", {"q": a.name[:3]}).content.decode()
    assert a.name in html
    assert registry(user=User.objects.get(username="leader"), q=a.name).filter(pk=a.pk).exists()
    assert registry(user=User.objects.get(username="leader"), q="无此名称的村").count() == 0
    first = leader.get("/communities/").content.decode()  # 1,924 units, 50 a page: 39 pages
    assert 'href="?&page=2"' in first and 'href="?&page=39"' in first and "…" in first
    middle = leader.get("/communities/", {"page": 20}).content.decode()
    assert 'aria-current="page">' in middle and 'href="?&page=19"' in middle and 'href="?&page=21"' in middle
