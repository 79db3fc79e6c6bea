"""The navigation menu is rendered once per process and kept per roles and language
(templates/base.html, ``{% cache … using="fragments" %}``): whoever primed it, every reader gets
exactly the menu their own roles open, in their own language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.urls import reverse

PERSONAS = ["city_admin", "lead_officer", "county_a", "town_officer", "city_stats", "leader", "auditor",
            "security_admin", "outsider"]


def _menu(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # what the language switch sets
    response = client.get(reverse("accounts:password-change"))
    assert response.status_code == 200
    html = response.content.decode()
    nav = html[html.index("<nav"):html.index("</nav>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", nav)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_reader_gets_their_own_roles_menu_whoever_rendered_it_first(client_for, language):
    fragments = caches["fragments"]
    clients = {name: client_for(name) for name in PERSONAS}
    alone = {}
    for name, client in clients.items():  # each menu rendered with nothing kept
        fragments.clear()
        alone[name] = _menu(client, language)
    fragments.clear()
    for name in [*PERSONAS, *reversed(PERSONAS)]:  # then in turn, each after others primed the cache
        assert _menu(clients[name], language) == alone[name], name
    assert len({alone[name] for name in PERSONAS}) >= 5  # the roles do open different menus
    assert ("Audit trail" in alone["auditor"]) == (language == "en")
    assert "/audit/" in alone["auditor"] and "/audit/" not in alone["county_a"]
    assert "/admin/" in alone["security_admin"] and "/admin/" not in alone["leader"]


def test_the_menu_follows_the_language_of_the_request(client_for):
    caches["fragments"].clear()
    leader = client_for("leader")
    chinese, english = _menu(leader, "zh-hans"), _menu(leader, "en")
    assert "我的工作" in chinese
    assert "My work" in english and "My work" not in chinese


DASHBOARDS = ["dashboards:overview", "dashboards:behind", "dashboards:certification", "dashboards:tasks",
              "dashboards:rankings"]


def _dashboard_menus(client, language: str) -> dict[str, str]:
    """The dashboards' own menu (templates/dashboards/base.html) on each dashboard the reader may open."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    menus = {}
    for name in DASHBOARDS:
        response = client.get(reverse(name))
        if response.status_code == 200:
            html = response.content.decode()
            start = html.index('<nav class="dash-nav')
            menus[name] = html[start:html.index("</nav>", start)]
    return menus


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_reader_gets_their_own_dashboards_menu_on_each_page_whoever_rendered_it_first(client_for, language):
    fragments = caches["fragments"]
    clients = {name: client_for(name) for name in PERSONAS}
    alone = {}
    for name, client in clients.items():
        fragments.clear()
        alone[name] = _dashboard_menus(client, language)
    fragments.clear()
    for name in [*PERSONAS, *reversed(PERSONAS)]:
        assert _dashboard_menus(clients[name], language) == alone[name], name
    leader = alone["leader"]
    assert set(leader) == set(DASHBOARDS)  # a leader opens every dashboard
    assert len(set(leader.values())) == len(DASHBOARDS)  # each page marks its own button
    assert "/dashboards/behind/" in leader["dashboards:overview"]
    assert {"/dashboards/behind/" in menu for menu in alone["county_a"].values()} == {False}  # a county
    # officer does not see every unit: no "where we are behind" button, whoever primed the cache
    assert ("Rankings" in leader["dashboards:rankings"]) == (language == "en")


def test_the_dashboards_menu_is_kept_per_everything_it_reads():
    """Every combination of what the menu reads (the language, the page, the four role flags), each
    rendered once with nothing kept and then in turn after all the others: the same bytes. Fails
    when any one of them is dropped from the fragment's key."""
    from itertools import product
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser
    from django.template import Context
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django.utils import translation

    template = get_template("dashboards/base.html").template
    flags = ("sees_every_unit", "can_see_task_reports", "can_read_packs", "can_read_assessments")
    cases = list(product(["zh-hans", "en"], ["overview", "behind", "certification", "tasks", "rankings", "target"],
                         *[[False, True]] * len(flags)))

    def menu(case) -> str:
        language, url_name, *values = case
        request = RequestFactory().get("/dashboards/")
        request.resolver_match = SimpleNamespace(url_name=url_name)
        with translation.override(language):
            html = template.render(Context({"request": request, "user": AnonymousUser(), "LANGUAGE_CODE": language,
                                            **dict(zip(flags, values, strict=True))}))
        start = html.index('<nav class="dash-nav')
        return html[start:html.index("</nav>", start)]

    alone = {}
    for case in cases:
        caches["fragments"].clear()
        alone[case] = menu(case)
    caches["fragments"].clear()
    for case in [*cases, *reversed(cases)]:
        assert menu(case) == alone[case], case
    assert len(set(alone.values())) > len(cases) // 2  # what it reads does change it
