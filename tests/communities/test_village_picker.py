"""Issue 17 part 5: an application's village is picked county → town → village, or by name."""

from __future__ import annotations

import re

import pytest

from divisions.models import Region

pytestmark = pytest.mark.django_db
URL = "/communities/applications/new/"


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, flags=re.S)
    assert select, name
    return [value for value in re.findall(r'<option value="([^"]*)"', select.group(1)) if value]


def test_a_county_officer_picks_town_then_village(client_for):
    town = Region.objects.get(level=Region.Level.TOWN, county__name="汉滨区", name="新城街道")
    client = client_for("county_a")
    first = client.get(URL).content.decode()
    assert 'name="community"' in first and 'pattern="[0-9]{12}"' not in first  # no typed code
    towns = options(first, "town")
    assert town.code in towns
    assert set(towns) == set(Region.objects.filter(level=Region.Level.TOWN, county__name="汉滨区")
                             .values_list("code", flat=True))  # the officer's own county only
    villages = options(client.get(URL, {"town": town.code}).content.decode(), "community")
    assert villages and set(villages) == set(town.children.values_list("code", flat=True))
    village = town.children.order_by("code").first()
    response = client.post(URL, {"community": village.code, "tier": "municipal"})
    assert response.status_code == 302


def test_by_name_within_the_officers_county_only(client_for):
    own = Region.objects.filter(level=Region.Level.VILLAGE, county__name="汉滨区").order_by("code").first()
    found = options(client_for("county_a").get(URL, {"name": own.name}).content.decode(), "community")
    assert own.code in found
    assert not Region.objects.filter(code__in=found).exclude(county__name="汉滨区").exists()
