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
