"""The read-only target pages: who sees them, what they show, and a constant number of queries."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.targets_helpers import approve

URL = "/targets/ankang-2022/registered_unemployment_rate/"


@pytest.fixture
def figures(db):
    approve("registered_unemployment_rate", "汉滨区", "2024Q1", registered_unemployed=10, urban_labour_force=100)
    approve("registered_unemployment_rate", "石泉县", "2024Q1", registered_unemployed=10, urban_labour_force=1000)
    approve("urban_new_jobs", "汉滨区", "2024Q1", value=1200)


def test_anonymous_and_outsider_see_nothing(client_for, figures):
    for url in ["/targets/", URL, URL + "sources/610900000000/2024Q1/"]:
        response = client_for("anonymous").get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert client_for("outsider").get(url).status_code == 404
        assert client_for("auditor").get(url).status_code == 404


@pytest.mark.parametrize("persona", ["city_admin", "lead_officer", "county_a", "county_b", "leader"])
def test_readers_see_the_city_and_every_county(client_for, figures, persona):
    html = client_for(persona).get(URL + "?quarter=2024Q1").content.decode()
    assert "1.82" in html and "20 / 1,100" in html  # the true city rate, from summed components
    assert "汉滨区" in html and "石泉县" in html and "10" in html
    assert "绿：不超过上限的90%" in html  # the rule is shown


def test_target_list_shows_latest_official_figures(client_for, figures):
    html = client_for("leader").get("/targets/").content.decode()
    assert "登记失业率" in html and "1.82" in html and "2024年第一季度" in html
    assert "1,200" in html  # urban new jobs, cumulative


def test_drill_through_names_who_submitted_and_approved(client_for, figures):
    html = client_for("leader").get(URL + "sources/610900000000/2024Q1/").content.decode()
    assert "汉滨区" in html and "石泉县" in html and "城镇登记失业人数" in html and "1,000" in html


def test_unapproved_preview_is_labelled_and_separate(client_for, figures):
    from tests.targets_helpers import county, record

    record("registered_unemployment_rate", county("紫阳县"), "2024Q1", registered_unemployed=D(80),
           urban_labour_force=D(900), submit=True)
    client = client_for("leader")
    official = client.get(URL + "?quarter=2024Q1").content.decode()
    preview = client.get(URL + "?quarter=2024Q1&basis=all").content.decode()
    assert "1.82" in official and "100 / 2,000" not in official
    assert "100 / 2,000" in preview and "5" in preview and "未审核" in preview


def test_bad_quarter_is_a_404(client_for, figures):
    assert client_for("leader").get(URL + "?quarter=2024Q9").status_code == 404
    assert client_for("leader").get("/targets/ankang-2022/no_such_target/").status_code == 404


def test_target_page_query_count_does_not_grow_with_counties_or_quarters(client_for, figures):
    client = client_for("leader")
    client.get(URL + "?quarter=2024Q1")
    with CaptureQueriesContext(connection) as before:
        client.get(URL + "?quarter=2024Q1")
    for county_name in ["紫阳县", "旬阳市", "平利县"]:
        for quarter in ["2023Q3", "2023Q4", "2024Q1"]:
            approve("registered_unemployment_rate", county_name, quarter, registered_unemployed=5, urban_labour_force=90)
    with CaptureQueriesContext(connection) as after:
        client.get(URL + "?quarter=2024Q1")
    assert len(after) == len(before)
    client.get("/targets/")
    with CaptureQueriesContext(connection) as listing:
        client.get("/targets/")
    assert len(listing) <= 12
