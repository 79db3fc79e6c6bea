"""REST API v1: keys, scoping, the bulk push (dry run, all-or-nothing, idempotency, 409s), bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal as D
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver
from django.utils import timezone

from api.models import ApiClient
from api.services import api_client_create, api_client_revoke
from reports.models import CountyReturn, ReportingPeriod
from targets.models import IndicatorValue
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
HANBIN, SHIQUAN = "610902000000", "610922000000"
PUSH = "/api/v1/returns/2024Q3/values/"


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        yield


@pytest.fixture
def keys(personas) -> dict[str, str]:
    admin = personas["city_admin"]
    later = timezone.now() + dt.timedelta(days=365)
    out = {}
    for name, region, access in [("a", "汉滨区", "read_write"), ("b", "石泉县", "read_write"), ("a_ro", "汉滨区", "read")]:
        _, out[name] = api_client_create(name=f"县系统{name}", region=county(region), access=access, expires_at=later,
                                         created_by=admin)
    client, out["revoked"] = api_client_create(name="旧系统", region=county("汉滨区"), access="read_write",
                                               expires_at=later, created_by=admin)
    api_client_revoke(client=client, revoked_by=admin)
    client, out["expired"] = api_client_create(name="过期", region=county("汉滨区"), access="read_write",
                                               expires_at=later, created_by=admin)
    ApiClient.objects.filter(pk=client.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    return out


def api(key: str | None = None, **headers) -> Client:
    extra = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    extra.update(headers)
    return Client(**extra)


def push(client, values, **body):
    return client.post(PUSH, json.dumps({"values": values, **body}), content_type="application/json")


def jobs(value, region=HANBIN):
    return {"indicator": "urban_new_jobs", "region": region, "component": "value", "value": value}


def rate(num, den, region=HANBIN):
    return [{"indicator": "registered_unemployment_rate", "region": region, "component": "registered_unemployed",
             "value": num},
            {"indicator": "registered_unemployment_rate", "region": region, "component": "urban_labour_force",
             "value": den}]


# ---- keys and authorization

def test_keys_are_stored_hashed_and_shown_once(keys):
    client = ApiClient.objects.get(name="县系统a")
    assert keys["a"] not in (client.key_hash, client.key_prefix) and len(client.key_hash) == 64
    assert keys["a"].startswith(client.key_prefix + ".")


@pytest.mark.parametrize("who, status", [("a", 200), ("a_ro", 200), ("revoked", 401), ("expired", 401)])
def test_reading_with_keys(keys, who, status):
    assert api(keys[who]).get("/api/v1/plans/").status_code == status


def test_a_wrong_key_and_no_key(keys):
    assert api("deadbeef.not-the-key").get("/api/v1/plans/").status_code == 401
    assert api().get("/api/v1/plans/").status_code in (401, 403)


# Every operation of the v1 API, for the matrix below (a new operation fails the coverage test).
OPERATIONS = {
    ("GET", "/api/v1/plans/"): "read", ("GET", "/api/v1/plans/ankang-2022/"): "read",
    ("GET", "/api/v1/tasks/"): "read", ("GET", "/api/v1/departments/"): "read",
    ("GET", "/api/v1/regions/"): "read", ("GET", f"/api/v1/regions/{HANBIN}/"): "read",
    ("GET", "/api/v1/indicators/"): "read", ("GET", "/api/v1/targets/"): "read",
    ("GET", "/api/v1/periods/"): "read", ("GET", "/api/v1/snapshots/"): "read",
    ("GET", "/api/v1/task-reports/"): "read", ("GET", "/api/v1/certifications/"): "read",
    ("GET", "/api/v1/task-measures/"): "read", ("GET", "/api/v1/task-measure-figures/"): "read",
    ("GET", "/api/v1/returns/"): "read", ("GET", "/api/v1/values/"): "read",
    ("POST", PUSH): "write", ("POST", "/api/v1/returns/values/"): "write",
    ("POST", "/api/v1/task-reports/2024Q3/6/"): "dept_write", ("POST", "/api/v1/task-reports/2024Q3/6/submit/"): "dept_write",
    ("POST", "/api/v1/task-report-parts/2024Q3/6/"): "dept_write",
    ("POST", "/api/v1/task-report-parts/2024Q3/6/submit/"): "dept_write", ("POST", "/api/v1/returns/2024Q3/submit/"): "write",
}


def test_the_matrix_covers_every_operation():
    resolver = get_resolver()
    v1 = next(p for p in resolver.url_patterns if str(p.pattern) == "api/v1/")
    names = {p.name for p in v1.url_patterns if isinstance(p, URLPattern)}
    covered = {resolver.resolve(path).url_name for _, path in OPERATIONS}
    assert names == covered


PERSONAS = ["anonymous", "key_a", "key_b", "key_ro", "key_revoked", "key_expired", "lead_officer", "leader",
            "county_a", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("operation", sorted(OPERATIONS), ids=lambda o: f"{o[0]} {o[1]}")
def test_authorization_matrix(keys, client_for, persona, operation):
    method, path = operation
    if persona.startswith("key_"):
        client = api(keys[{"key_a": "a", "key_b": "b", "key_ro": "a_ro", "key_revoked": "revoked",
                           "key_expired": "expired"}[persona]])
    else:
        client = client_for(persona)
    body = json.dumps({"values": [jobs(1)], "dry_run": True} if path == PUSH else
                      {"values": [{**jobs(1), "period": "2024Q3"}], "dry_run": True} if path.endswith("/values/")
                      else {"version": 0})
    response = client.get(path) if method == "GET" else client.post(path, body, content_type="application/json")
    readers = {"key_a", "key_b", "key_ro", "lead_officer", "leader", "county_a"}
    writers = {"key_a", "key_b", "county_a"}
    if persona in ("anonymous", "key_revoked", "key_expired"):
        expected = {401, 403}  # session auth answers 403 to the anonymous, keys 401
    elif OPERATIONS[operation] == "dept_write":  # department officers only (tests/api/test_department_clients.py)
        expected = {200, 400, 404, 409} if persona == "lead_officer" else {403}
    elif OPERATIONS[operation] == "read":
        expected = {200} if persona in readers else {403}
    else:
        expected = ({200, 404} if persona in writers else {403})  # submit: 404 before a return exists
    assert response.status_code in expected, (persona, operation, response.content[:200])


def test_another_countys_objects_are_404_or_invisible(keys):
    CountyReturn.objects.create(region=county("石泉县"), period=ReportingPeriod.objects.get(year=2024, quarter=3))
    listed = api(keys["a"]).get("/api/v1/returns/").json()["results"]
    assert all(r["region"] == HANBIN for r in listed)
    assert api(keys["a"]).post("/api/v1/returns/2024Q3/submit/", json.dumps({"version": 1}),
                               content_type="application/json").status_code == 404


# ---- the bulk push

def test_dry_run_reports_and_writes_nothing(keys):
    response = push(api(keys["a"]), [jobs("120"), *rate("30", "1000")], dry_run=True)
    body = response.json()
    assert response.status_code == 200 and body["dry_run"] and not body["written"]
    assert (body["created"], body["updated"], body["unchanged"], body["rejected"]) == (3, 0, 0, 0)
    assert not IndicatorValue.objects.exists() and not CountyReturn.objects.exists()


def test_push_writes_a_draft_return_then_reports_unchanged_and_updated(keys):
    client = api(keys["a"])
    body = push(client, [jobs("120"), *rate("30", "1000")]).json()
    assert body["written"] and body["created"] == 3 and body["return_state"] == "draft"
    r = CountyReturn.objects.get(region__code=HANBIN)
    assert IndicatorValue.objects.get(indicator__code="urban_new_jobs").value == D(120)
    assert IndicatorValue.objects.get(indicator__code="urban_new_jobs").source_ref == f"return:{r.pk}"
    body = push(client, [jobs("120"), jobs("130")]).json()  # the same figure twice: refused
    assert body["rejected"] == 1
    body = push(client, [jobs("125"), rate("30", "1000")[0]]).json()
    assert (body["updated"], body["unchanged"]) == (1, 1)


def test_one_bad_value_rejects_the_whole_request(keys):
    response = push(api(keys["a"]), [jobs("120"), *rate("30", "0")])
    body = response.json()
    assert response.status_code == 400 and not body["written"] and body["rejected"] == 2
    assert "分母不能为零" in body["results"][1]["reason"]
    assert not IndicatorValue.objects.exists()


def test_a_payload_naming_another_county_is_refused(keys):
    response = push(api(keys["a"]), [jobs("120"), jobs("50", region=SHIQUAN)])
    assert response.status_code == 400
    assert response.json()["results"][1]["outcome"] == "rejected"
    assert SHIQUAN in response.json()["results"][1]["reason"] and "汉滨区" in response.json()["results"][1]["reason"]
    assert not IndicatorValue.objects.exists()


def test_read_only_key_cannot_write(keys):
    response = push(api(keys["a_ro"]), [jobs("1")])
    assert response.status_code == 403 and not IndicatorValue.objects.exists()


def test_idempotent_retry_returns_the_first_response_and_writes_nothing_new(keys):
    client = api(keys["a"], HTTP_IDEMPOTENCY_KEY="hanbin-2024Q3-001")
    first = push(client, [jobs("120")])
    IndicatorValue.objects.update(value=D(999))  # if the retry wrote again, this would be overwritten
    second = push(client, [jobs("120")])
    assert second.status_code == first.status_code == 200 and second["Idempotent-Replay"] == "true"
    assert second.json() == first.json()
    assert IndicatorValue.objects.get().value == D(999)
    reused = push(client, [jobs("121")])
    assert reused.status_code == 409


def test_409_when_the_period_is_closed_or_the_version_stale(keys):
    client = api(keys["a"])
    push(client, [jobs("120")])
    version = CountyReturn.objects.get().version
    stale = push(client, [jobs("121")], version=version - 1)
    assert stale.status_code == 409
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 21)):
        closed = push(client, [jobs("122")])
    assert closed.status_code == 409 and "2024年10月20日" in closed.json()["detail"]
    assert IndicatorValue.objects.get().value == D(120)


def test_submit_through_the_api(keys):
    client = api(keys["a"])
    body = push(client, [jobs("120")]).json()
    response = client.post("/api/v1/returns/2024Q3/submit/", json.dumps({"version": body["return_version"]}),
                           content_type="application/json")
    assert response.status_code == 400 and "报表不完整" in response.json()["detail"]  # complete or refused


@pytest.mark.parametrize("raw, status", [
    ("{not json", 400), ('{"values": "x"}', 400), ('{"values": []}', 400),
    ('{"values": [{"indicator": "urban_new_jobs", "region": "610902000000", "component": "value", "value": "１２３"}]}', 400),
    ('{"values": [{"indicator": "urban_new_jobs", "region": "610902000000", "component": "value", "value": 1e30}]}', 400),
    ('{"values": [{"indicator": "urban_new_jobs", "region": "610902000000", "component": "value", "value": true}]}', 400),
    ('{"values": [{"indicator": "no_such", "region": "610902000000", "component": "value", "value": 1}]}', 400),
    ('{"values": [{"indicator": "urban_new_jobs", "region": "6109", "component": "value", "value": 1}]}', 400),
])
def test_bad_input_is_a_4xx_naming_the_problem_and_writes_nothing(keys, raw, status):
    response = api(keys["a"]).post(PUSH, raw, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert not IndicatorValue.objects.exists()


def test_full_width_digits_name_the_field(keys):
    raw = '{"values": [{"indicator": "urban_new_jobs", "region": "610902000000", "component": "value", "value": "１２３"}]}'
    body = api(keys["a"]).post(PUSH, raw, content_type="application/json").json()
    assert "半角" in json.dumps(body, ensure_ascii=False) and "value" in json.dumps(body)


def test_a_3_mb_body_is_refused(keys):
    values = [jobs(str(i)) for i in range(40000)]
    response = api(keys["a"]).post(PUSH, json.dumps({"values": values}), content_type="application/json")
    assert response.status_code == 413 and not IndicatorValue.objects.exists()


def test_messages_in_english_on_request(keys):
    response = api(keys["a"], HTTP_ACCEPT_LANGUAGE="en").post(PUSH, json.dumps({"values": [*rate("3", "0")]}),
                                                            content_type="application/json")
    assert "denominator cannot be zero" in response.json()["results"][0]["reason"]
    response = api(keys["a"]).post(PUSH, json.dumps({"values": [*rate("3", "0")]}), content_type="application/json")
    assert "分母不能为零" in response.json()["results"][0]["reason"]


# ---- reads and docs

def test_reads_by_codes(keys):
    client = api(keys["b"])
    tasks = client.get("/api/v1/tasks/?plan=ankang-2022").json()
    six = next(t for t in tasks["results"] if t["number"] == 6)
    assert six["lead_department"] == "市工信局" and six["co_departments"][0] == "市人社局"
    region = client.get(f"/api/v1/regions/{HANBIN}/").json()
    assert region["name"] == "汉滨区" and len(region["children"]) == 28
    page = client.get("/api/v1/regions/?level=village&page_size=50").json()
    assert page["count"] == 1924 and len(page["results"]) == 50
    targets = client.get("/api/v1/targets/?plan=ankang-2022").json()
    assert next(t for t in targets["results"] if t["code"] == "registered_unemployment_rate")["value"] == "4.0000"


def test_schema_and_docs_are_served_locally(client_for):
    schema = client_for("leader").get("/api/schema/?format=json")
    assert schema.status_code == 200
    doc = json.loads(schema.content)
    push_op = doc["paths"]["/api/v1/returns/{period}/values/"]["post"]
    assert {"400", "401", "403", "404", "409", "429"} <= set(push_op["responses"])
    html = client_for("leader").get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar" in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # every asset from this server, none from a CDN


# ---- rate limits

@pytest.fixture
def low_rate(settings):
    from django.core.cache import cache

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "client": "3/min"}
    with mock.patch("api.throttling.ClientRateThrottle.THROTTLE_RATES", rates):
        cache.clear()
        yield
        cache.clear()


def test_rate_limit_per_client(keys, low_rate):
    a, b = api(keys["a"]), api(keys["b"])
    assert [a.get("/api/v1/plans/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert b.get("/api/v1/plans/").status_code == 200  # another client has its own budget


def test_requests_go_through_when_the_cache_is_down(keys, low_rate, caplog):
    with mock.patch("django.core.cache.cache.get", side_effect=ConnectionError("redis is down")):
        codes = [api(keys["a"]).get("/api/v1/plans/").status_code for _ in range(5)]
    assert codes == [200] * 5
    assert "rate limiting skipped" in caplog.text
