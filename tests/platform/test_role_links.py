"""Issue 17 part 3: every role lands on its own work and is offered only links it can open."""

from __future__ import annotations

import re

import pytest

from divisions.models import Region

pytestmark = pytest.mark.django_db


def hrefs(response) -> set[str]:
    return set(re.findall(r'href="(/[^"#?]*)', response.content.decode()))


def test_the_security_administrator_lands_on_the_administration(client_for):
    client = client_for("security_admin")
    for url in ("/reports/my/", "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == "/admin/", url
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "尚未分配角色" not in page.content.decode()


@pytest.mark.parametrize("persona", ["auditor", "security_admin"])
def test_the_audit_and_security_duties_see_no_links_they_cannot_open(client_for, persona):
    client = client_for(persona)
    landing = client.get("/reports/my/", follow=True)
    assert landing.status_code == 200
    for href in hrefs(landing):
        if href.startswith(("/static/", "/admin/", "/accounts/", "/i18n/")):
            continue
        assert client.get(href).status_code in (200, 302), href


def test_a_county_officer_is_not_linked_to_other_counties(client_for):
    own = Region.objects.get(level=Region.Level.COUNTY, name="汉滨区").code
    client = client_for("county_a")
    for url in ("/dashboards/rankings/",):
        page = client.get(url)
        assert "石泉县" in page.content.decode(), url  # other counties are listed, by name
        links = {href for href in hrefs(page) if href.startswith("/dashboards/counties/")}
        assert links <= {f"/dashboards/counties/{own}/"}, (url, links)
        for href in links:
            assert client.get(href).status_code == 200


@pytest.mark.parametrize("persona", ["city_admin", "lead_officer", "co_officer", "county_a", "town_officer",
                                     "city_stats", "leader"])
def test_every_link_on_a_landing_page_opens_for_its_persona(client_for, persona):
    """Each role's landing page (its to-do list and counts) links only to pages the role can open."""
    import datetime as dt
    from unittest import mock

    client = client_for(persona)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        landing = client.get("/reports/my/")
        assert landing.status_code == 200
        main = landing.content.decode().split("<main")[1].split("</main>")[0]
        links = set(re.findall(r'href="(/[^"#?]*)', main))
        assert links, persona
        for href in sorted(links):
            assert client.get(href).status_code in (200, 302), href
