"""Malformed values posted to every form field of every page, and to every field of the API's
writes: a 4xx, never a 5xx, and no row written (issue 15, finding 5 and "make the checks cover the
whole site"). The pages come from the authorization matrix (every URL pattern); the field names
from every form of the platform (``base_fields``) and the page's actions from its forms' ``action``
choices and the views' ``*_ACTIONS``, so a new form or page is fuzzed without editing this file."""

from __future__ import annotations

import datetime as dt
import importlib
import json
from unittest import mock

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from api.services import api_client_create
from tests.platform.authorization_matrix import PAGES
from tests.platform.test_authorization_matrix import objects  # noqa: F401  (fixture)
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db

PLATFORM_APPS = ["accounts", "audit", "outbox", "divisions", "tasks", "targets", "reports", "communities", "brands",
                 "api", "imports", "dashboards", "my_work", "packs", "assessments", "operations"]
MALFORMED = ["abc", "-1", "99999999999999999999", "１２", "2026-13-45", "", "长" * 5000]
FUZZED_AS = ("city_admin", "county_a", "lead_officer")
# the sign-in pages answer their own form with 200 (Django's); everything else refuses with a 4xx
FORM_PAGES = {name for name, entry in PAGES.items() if entry.post == "form"}
# outside the platform's rows: sessions, lockout counters, the history of logins
UNCOUNTED = {"sessions", "axes", "otp_totp", "otp_static", "django_otp", "admin", "contenttypes"}


def platform_forms() -> list[type[forms.BaseForm]]:
    found = []
    for app in PLATFORM_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        found += [v for v in vars(module).values()
                  if isinstance(v, type) and issubclass(v, forms.BaseForm) and v.__module__ == module.__name__]
    return found


def field_names() -> set[str]:
    names = {"action", "version", "pk", "id", "value_1", "met_1", "note_1", "file"}
    for form in platform_forms():
        names |= set(getattr(form, "base_fields", {}))
    return names


def form_actions(form_classes) -> set[str]:
    found = set()
    for form in form_classes:
        field = getattr(form, "base_fields", {}).get("action")
        if isinstance(field, forms.ChoiceField):
            found |= {str(value) for value, _label in field.choices}
    return found


def actions_of(module) -> set[str]:
    """The actions a page's module knows: its ``*_ACTIONS`` tuples and the ``action`` choices of
    the forms it uses; and no action at all."""
    found = {""} | form_actions(v for v in vars(module).values()
                                if isinstance(v, type) and issubclass(v, forms.BaseForm))
    for name, value in vars(module).items():
        if name.endswith("ACTIONS") and isinstance(value, tuple):
            found |= set(value)
    return found


def actions() -> set[str]:
    found = form_actions(platform_forms())
    for app in PLATFORM_APPS:
        for module_name in ("views", "pipeline_views", "registry_views", "annual_views"):
            try:
                found |= actions_of(importlib.import_module(f"{app}.{module_name}"))
            except ModuleNotFoundError:
                continue
    return found


def page_actions(path: str) -> list[str]:
    view = resolve(path.split("?")[0]).func
    return sorted(actions_of(importlib.import_module(getattr(view, "__module__", "kernel.views"))))


def row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.app_label not in UNCOUNTED and not m._meta.proxy}


def test_the_fuzz_knows_the_platforms_forms_and_actions():
    assert len(platform_forms()) >= 10
    assert {"households", "version", "certified_on", "quarter", "community"} <= field_names()
    assert {"save", "submit", "approve", "send_back", "review", "withdraw", "request"} <= actions()


@pytest.mark.parametrize("persona", FUZZED_AS)
def test_malformed_values_in_every_field_of_every_page_are_refused_and_write_nothing(
        persona, client_for, objects, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    names = sorted(field_names())
    client = client_for(persona)
    problems = []
    for name, entry in PAGES.items():
        if persona not in entry.ok or entry.api or name in FORM_PAGES or name.startswith("admin:") \
                or name in ("accounts:logout", "set_language"):
            continue
        path = entry.path.format(**objects)
        if client.post(path, {}).status_code == 405:
            continue  # a read-only page
        before = row_counts()
        for action in page_actions(path):
            for turn in range(len(MALFORMED)):  # each field gets each malformed value once, fields mixed
                form = {field: MALFORMED[(turn + i) % len(MALFORMED)] for i, field in enumerate(names)}
                response = client.post(path, {**form, "action": action})
                # a POST-only action URL reads no field: it may send back to its page with a message
                redirected = entry.methods == "POST" and 300 <= response.status_code < 400
                if not (400 <= response.status_code < 500 or redirected):
                    problems.append(f"{path} action={action!r} turn {turn}: {response.status_code}")
        after = row_counts()
        if after != before:
            problems.append(f"{path}: rows written {[k for k in after if after[k] != before[k]]}")
    assert not problems, "\n".join(problems[:40])


# ---------------------------------------------------------------- the API's writes


PUSH = "/api/v1/returns/2024Q3/values/"
SUBMIT = "/api/v1/returns/2024Q3/submit/"
BAD_JSON_VALUES = ["abc", -1, 10**30, "1e400", "１２", None, [], {}, True, "\u0000", "长" * 5000, 1.5]


@pytest.fixture
def key(personas) -> str:
    _, key = api_client_create(name="县系统", region=county("汉滨区"), access="read_write",
                               expires_at=timezone.now() + dt.timedelta(days=365), created_by=personas["city_admin"])
    return key


def api_post(key: str, path: str, body) -> object:
    raw = body if isinstance(body, str) else json.dumps(body)
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}").post(path, raw, content_type="application/json")


def value(**overrides) -> dict:
    return {"indicator": "urban_new_jobs", "region": "610902000000", "component": "value", "value": "5", **overrides}


def api_bodies():
    for bad in BAD_JSON_VALUES:
        for field in ("indicator", "region", "component", "value"):
            if (field, bad) != ("value", 1.5):  # a figure may have decimals
                yield PUSH, {"values": [value(**{field: bad})]}
        yield PUSH, {"values": bad}
        yield PUSH, {"values": [value()], "dry_run": bad} if bad not in (True,) else {"values": bad}
        yield PUSH, {"values": [value()], "version": bad}
        yield SUBMIT, {"version": bad}
        yield SUBMIT, {"version": 0, "explanation": bad}
    yield PUSH, "[" * 100_000  # deeper than Python's JSON parser recurses
    yield PUSH, '{"values": ' + "[" * 50_000 + "]" * 50_000 + "}"
    yield SUBMIT, '{"version": 1, "version": 2}'
    yield PUSH, "not json"
    yield PUSH, ""


def test_malformed_values_in_every_api_field_are_refused_and_write_nothing(key):
    before = row_counts()
    problems = []
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        for path, body in api_bodies():
            response = api_post(key, path, body)
            if not 400 <= response.status_code < 500 or "detail" not in response.json():
                problems.append(f"{path} {str(body)[:300]}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert row_counts() == before


def test_deeply_nested_json_is_a_400_naming_the_nesting(key):
    response = api_post(key, PUSH, "[" * 100_000)
    assert response.status_code == 400 and "嵌套" in response.json()["detail"]


def test_a_body_over_djangos_limit_is_the_apis_json_413(key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    settings.API_MAX_BODY_BYTES = 10 * 1024 * 1024
    body = {"values": [value(value=str(i)) for i in range(200)]}
    for path in (PUSH, SUBMIT):
        for headers in ({}, {"HTTP_IDEMPOTENCY_KEY": "retry-1"}):
            response = Client(HTTP_AUTHORIZATION=f"Api-Key {key}", **headers).post(
                path, json.dumps(body), content_type="application/json")
            assert response.status_code == 413, (path, headers, response.status_code)
            assert response["Content-Type"].startswith("application/json") and "MB" in response.json()["detail"]


def test_a_body_over_the_apis_limit_is_a_413_before_it_is_read(key, settings):
    settings.API_MAX_BODY_BYTES = 4096
    response = api_post(key, PUSH, {"values": [value(value=str(i)) for i in range(200)]})
    assert response.status_code == 413 and response.json()["detail"]
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE > settings.API_MAX_BODY_BYTES
