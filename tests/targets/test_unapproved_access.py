"""Who may read unapproved figures (含未审核数据): the office and the leaders every county's, a
county officer their own county's, nobody else any — on the target page and in every export of it
(issue 15, finding 1). One rule decides: ``accounts.scoping.unapproved_counties``, read through
``IndicatorValue.objects.for_user``."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from accounts.scoping import EVERY_COUNTY, unapproved_counties
from targets.models import IndicatorValue
from tests.targets_helpers import approve, county, record

URL = "/targets/ankang-2022/registered_unemployment_rate/?quarter=2024Q1&basis=all"
ZIYANG_DRAFT = "80 / 900"  # 紫阳县's submitted, unapproved figures
CITY_WITH_ZIYANG = "90 / 1,900"  # approved 石泉县 10/1000 + 紫阳县's draft
CITY_WITH_EVERY_DRAFT = "120 / 2,300"
HANBIN_DRAFT = "30 / 400"  # 汉滨区's own submitted figures (county_a's county)
CITY_WITH_HANBIN = "40 / 1,400"  # approved 石泉县 10/1000 + 汉滨区's draft 30/400


@pytest.fixture
def figures(db):
    approve("registered_unemployment_rate", "石泉县", "2024Q1", registered_unemployed=10, urban_labour_force=1000)
    record("registered_unemployment_rate", county("紫阳县"), "2024Q1", registered_unemployed=D(80),
           urban_labour_force=D(900), submit=True)
    record("registered_unemployment_rate", county("汉滨区"), "2024Q1", registered_unemployed=D(30),
           urban_labour_force=D(400), submit=True)


def page_and_exports(client) -> list[str]:
    """The page with the unapproved basis, and each of its exports in each format (csv as text)."""
    out = [client.get(URL).content.decode()]
    for key in ("counties", "quarters"):
        response = client.get(URL + f"&export={key}&format=csv")
        assert response.status_code == 200
        out.append(b"".join(response.streaming_content).decode("utf-8-sig")
                   if response.streaming else response.content.decode("utf-8-sig"))
    return out


def test_the_office_and_the_leaders_read_every_countys_unapproved_figures(client_for, figures):
    for persona in ("city_admin", "leader"):
        page, counties, _quarters = page_and_exports(client_for(persona))
        assert CITY_WITH_EVERY_DRAFT in page  # 10+80+30 over 1000+900+400
        assert ZIYANG_DRAFT in page and HANBIN_DRAFT in page
        assert ",80.0000," in counties and ",900.0000," in counties


@pytest.mark.parametrize("persona", ["county_a", "county_b", "town_officer", "lead_officer", "co_officer"])
def test_nobody_else_reads_another_countys_unapproved_figures_on_the_page_or_in_an_export(
        client_for, figures, persona):
    for text in page_and_exports(client_for(persona)):
        assert ZIYANG_DRAFT not in text and CITY_WITH_ZIYANG not in text and CITY_WITH_EVERY_DRAFT not in text
        assert ",80.0000," not in text and ",900.0000," not in text  # nor 紫阳县's draft in the csv


def test_a_county_officer_reads_their_own_countys_unapproved_figures_and_the_city_with_them(client_for, figures):
    page, counties, _quarters = page_and_exports(client_for("county_a"))
    assert HANBIN_DRAFT in page and CITY_WITH_HANBIN in page
    assert ",30.0000," in counties and ",400.0000," in counties


@pytest.mark.parametrize("persona", ["county_b", "town_officer", "lead_officer"])
def test_who_may_read_no_draft_of_the_others_sees_the_official_figures(client_for, figures, persona):
    official = client_for(persona).get(URL.replace("&basis=all", "")).content.decode()
    page = client_for(persona).get(URL).content.decode()
    assert "10 / 1,000" in page and HANBIN_DRAFT not in page and ZIYANG_DRAFT not in page
    if persona != "county_b":  # no unapproved figure is theirs: not even the choice is offered
        assert 'name="basis"' not in official and "未审核" not in page


def test_the_one_rule(personas):
    assert unapproved_counties(personas["city_admin"]) == EVERY_COUNTY
    assert unapproved_counties(personas["leader"]) == EVERY_COUNTY
    assert unapproved_counties(personas["county_a"]) == {county("汉滨区").pk}
    for persona in ("town_officer", "lead_officer", "co_officer", "auditor", "security_admin", "outsider"):
        assert unapproved_counties(personas[persona]) == frozenset(), persona


def test_indicator_values_are_read_through_the_rule(personas, figures):
    drafts = IndicatorValue.objects.exclude(status="approved")
    assert drafts.for_user(personas["leader"]).count() == drafts.count() == 4
    assert {v.region.name for v in drafts.for_user(personas["county_a"])} == {"汉滨区"}
    for persona in ("county_b", "town_officer", "lead_officer"):
        assert not drafts.for_user(personas[persona]).exists(), persona
