"""Every URL pattern of the site × every persona (issue 15): who gets the page, who is refused (403
or 404, in the security log), where the anonymous go, and that a POST is never a server error nor a
silent 200. The data is in tests/platform/authorization_matrix.py; a URL pattern without an entry
there fails ``test_every_url_pattern_has_an_entry``, which says what to add."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from communities import pipeline
from communities.services import certification_issue
from imports.models import ImportBatch
from tests.communities.test_pipeline import tier, unit
from tests.kernel.test_security_log import security_log  # noqa: F401  (fixture)
from tests.platform.authorization_matrix import ADMIN_MODELS, PAGES, PERSONAS, Entry

pytestmark = pytest.mark.django_db


def url_patterns(patterns=None, prefix="", namespace=""):
    """(route, name) of every URL pattern of the site, walking the resolver."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern),
                                    namespace + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace + (p.name or "")


def admin_model(route: str) -> str | None:
    """``app_label.model`` of an admin URL (admin/<app>/<model>/…), if it is one of a model's."""
    from django.contrib import admin

    for model in admin.site._registry:
        if route.startswith(f"admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model._meta.label_lower
    return None


def key(route: str, name: str) -> str:
    """A pattern's key in PAGES: its name with its namespace; an unnamed one by its route."""
    return name if name and not name.endswith(":") else f"{name}<{route}>"


def missing_entries() -> list[str]:
    lines = []
    for route, name in url_patterns():
        if key(route, name) in PAGES:
            continue
        model = admin_model(route)
        if model is not None:
            if model not in ADMIN_MODELS:
                lines.append(f'    "{model}": {{"view": <who opens its list>, "add": <who opens its add page>}},'
                             f'  # in ADMIN_MODELS')
        else:
            lines.append(f'    "{key(route, name)}": E("/{route}", ok=<personas who get the page>),  # in PAGES')
    return sorted(set(lines))


def test_every_url_pattern_has_an_entry():
    lines = missing_entries()
    assert not lines, (
        "URL patterns without an entry in the authorization matrix. Add to tests/platform/authorization_matrix.py "
        "(PAGES, or ADMIN_MODELS for an admin model) — a concrete path, and who may open it "
        "(see the module's docstring; PLAN_READERS, OFFICE, COUNTY_A… name the usual groups):\n" + "\n".join(lines))


def test_a_new_url_without_an_entry_fails_the_check(monkeypatch):
    from tests.platform import authorization_matrix

    monkeypatch.delitem(authorization_matrix.PAGES, "reports:timeliness")
    lines = missing_entries()
    assert lines == ['    "reports:timeliness": E("/reports/timeliness/", ok=<personas who get the page>),  # in PAGES']


def test_the_matrix_names_no_url_that_does_not_exist():
    keys = {key(route, name) for route, name in url_patterns()}
    assert not set(PAGES) - keys
    models = {admin_model(route) for route, _name in url_patterns()} - {None}
    assert not set(ADMIN_MODELS) - models


@pytest.fixture
def objects(personas, settings, tmp_path) -> dict[str, int]:
    """An application, a certification, an import batch and a village of 汉滨区 (county_a's county)."""
    settings.MEDIA_ROOT = tmp_path
    application = pipeline.application_create(community=unit(), tier=tier("municipal"), user=personas["county_a"])
    certification = certification_issue(community=unit(), tier=tier("municipal"), certificate_number="矩阵-1",
                                        issuer="市", certified_on=dt.date(2024, 1, 1), valid_until=dt.date(2026, 12, 31))
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.COMMUNITY_PROFILES, state=ImportBatch.State.FAILED,
                                       created_by=personas["county_a"], scope_region=personas["county_a"].region,
                                       file_name="a.csv", file_sha256="", file_size=1)
    return {"application": application.pk, "certification": certification.pk, "batch": batch.pk,
            "village": unit().code}


def cases() -> list[tuple[str, Entry]]:
    """Every entry of PAGES, and each admin model's list and add page."""
    from django.contrib import admin

    rows = list(PAGES.items())
    for model in admin.site._registry:
        label = model._meta.label_lower
        who = ADMIN_MODELS.get(label)
        if who is None:
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        # Django's admin answers a POST to its list or add form with the page (its errors)
        rows.append((f"admin:{label} list", Entry(base, who["view"], post="form")))
        rows.append((f"admin:{label} add", Entry(base + "add/", who["add"], post="form")))
    return rows


def to_login(response) -> bool:
    return response.status_code == 302 and "/login/" in response.get("Location", "")


def judge(name: str, entry: Entry, persona: str, get, post) -> list[str]:
    """What is wrong with the answers ``persona`` got, as lines for the failure message."""
    problems = []
    if get.status_code >= 500 or post.status_code >= 500:
        problems.append(f"server error GET {get.status_code} POST {post.status_code}")
    allowed = persona in entry.ok
    anonymous = persona in ("anonymous", "api_client") and not (entry.api and persona == "api_client")
    if entry.methods == "POST":  # 405, or refused before the method is looked at, or sent to sign in
        if get.status_code not in (401, 403, 405) and not 300 <= get.status_code < 400:
            problems.append(f"GET of a POST-only URL should be 405, got {get.status_code}")
    elif allowed:
        if not (200 <= get.status_code < 300 or (300 <= get.status_code < 400 and not to_login(get))):
            problems.append(f"GET should be answered, got {get.status_code}")
    elif anonymous and not entry.api:
        if not to_login(get):
            problems.append(f"GET should send to the login page, got {get.status_code}")
    elif anonymous and entry.api:
        if get.status_code not in (401, 403, 405):
            problems.append(f"API GET should be 401/403, got {get.status_code}")
    elif get.status_code not in (403, 404) and not to_login(get):
        problems.append(f"GET should be refused (403/404), got {get.status_code}")
    if post.status_code == 200 and not (allowed and entry.post == "form"):
        problems.append("POST answered a silent 200")
    if not allowed and not (400 <= post.status_code < 500 or to_login(post)):
        problems.append(f"POST should be refused, got {post.status_code}")
    return [f"{name} {entry.path} as {persona}: {p}" for p in problems]


def client_of(persona: str, personas, api_key: str) -> Client:
    if persona == "api_client":
        return Client(HTTP_AUTHORIZATION=f"Api-Key {api_key}")
    client = Client()
    if persona != "anonymous":
        client.force_login(personas[persona])
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_the_matrix_says(persona, personas, api_client, objects, security_log):  # noqa: F811
    problems = []
    for name, entry in cases():
        path = entry.path.format(**objects)
        client = client_of(persona, personas, api_client.key)
        get = client.get(path)
        post = client_of(persona, personas, api_client.key).post(path, {})
        problems += judge(name, entry, persona, get, post)
        if persona not in entry.ok and get.status_code in (403, 404):
            logged = [e for e in security_log() if e["path"] == path.split("?")[0]
                      and e["event"] == "access_denied" and e.get("status") == get.status_code]
            if not logged:
                problems.append(f"{name} {path} as {persona}: the refusal ({get.status_code}) is not in the security log")
    assert not problems, "\n".join(problems)
