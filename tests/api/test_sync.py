"""Incremental sync: updated_since, keyset order with a cursor, and ETags."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.test import TestCase
from django.utils import timezone

from reports.models import ReportingPeriod
from reports.services import correction_approve, correction_request, county_return_approve
from targets.models import Indicator
from tests.reports.test_county_returns import submitted

pytestmark = pytest.mark.django_db
HANBIN = "610902000000"
VALUES = "/api/v1/values/"


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        yield


def push(client, **figures):
    values = [{"indicator": "urban_new_jobs", "region": HANBIN, "component": "value", "value": figures["jobs"]}]
    response = client.post("/api/v1/returns/2024Q3/values/", json.dumps({"values": values}),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def since(moment: dt.datetime) -> str:
    return moment.isoformat()


def test_updated_since_sees_exactly_the_rows_changed_after_it_including_corrections(api_client, personas):
    with TestCase.captureOnCommitCallbacks(execute=True):
        r = submitted(personas)
        r = county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
    everything = api_client.get(VALUES, {"period": "2024Q3", "page_size": 1000}).json()
    assert everything["count"] > 1 and everything["next_cursor"] is None
    mark = timezone.now()
    assert api_client.get(VALUES, {"updated_since": since(mark)}).json()["results"] == []

    jobs = Indicator.objects.get(code="urban_new_jobs")
    correction = correction_request(county_return=r, indicator=jobs, figures={"value": "12"}, reason="漏报",
                                    user=personas["county_a"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        correction_approve(correction=correction, reviewer=personas["city_admin"])
    changed = api_client.get(VALUES, {"updated_since": since(mark)}).json()
    assert [(v["indicator"], v["value"], v["status"]) for v in changed["results"]] == [
        ("urban_new_jobs", "12.0000", "approved")]
    assert changed["count"] == 1 and changed["results"][0]["changed_at"] >= since(mark)[:19]
    # the return itself changed when it was approved, before the mark
    returns = api_client.get("/api/v1/returns/", {"updated_since": since(mark)}).json()
    assert returns["results"] == []
    assert api_client.get("/api/v1/returns/", {"updated_since": "2024-01-01"}).json()["count"] == 1


def test_the_cursor_walks_every_changed_row_once_in_change_order(api_client, personas):
    mark = timezone.now()
    with TestCase.captureOnCommitCallbacks(execute=True):
        submitted(personas)
    seen, params = [], {"updated_since": since(mark), "page_size": 2}
    while True:
        page = api_client.get(VALUES, params).json()
        seen += page["results"]
        if not page["next_cursor"]:
            break
        assert page["next"] and "cursor=" in page["next"]
        params = {"updated_since": since(mark), "page_size": 2, "cursor": page["next_cursor"]}
    keys = [(v["indicator"], v["component"]) for v in seen]
    assert len(keys) == len(set(keys)) == page["count"] > 2
    assert [v["changed_at"] for v in seen] == sorted(v["changed_at"] for v in seen)


@pytest.mark.parametrize("path", ["/api/v1/values/", "/api/v1/returns/", "/api/v1/snapshots/",
                                  "/api/v1/task-reports/", "/api/v1/certifications/"])
@pytest.mark.parametrize("value, says", [("yesterday", "ISO 8601"), ("2024-13-01", "ISO 8601"),
                                         ("2099-01-01T00:00:00+08:00", "future"), ("", "ISO 8601")])
def test_a_malformed_or_future_updated_since_is_a_400_naming_it(api_client, path, value, says):
    response = api_client.get(path, {"updated_since": value}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    body = response.json()
    assert says in body["detail"] and "updated_since" in body["errors"]


def test_a_cursor_not_given_by_the_api_is_a_400(api_client):
    response = api_client.get(VALUES, {"cursor": "not-a-cursor"})
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


@pytest.mark.parametrize("path", ["/api/v1/departments/", "/api/v1/plans/", "/api/v1/tasks/", "/api/v1/regions/",
                                  "/api/v1/indicators/", "/api/v1/targets/", "/api/v1/periods/"])
@pytest.mark.parametrize("param, value", [("cursor", "not-a-cursor"), ("updated_since", "2024-10-01")])
def test_a_reference_list_asked_for_changes_says_why_not_never_a_500(api_client, path, param, value):
    """A reference list has no change order: updated_since or a cursor on it is a 400 naming the
    parameter, in Chinese by default (it was a server error: the list has no ``changed_at``)."""
    response = api_client.get(path, {param: value})
    assert response.status_code == 400, (path, response.content)
    body = response.json()
    assert param in body["errors"] and "此列表不按数据变化的先后排列" in body["errors"][param][0]
    assert api_client.get(path).status_code == 200


def test_every_synced_list_accepts_updated_since(api_client):
    for path in ["/api/v1/values/", "/api/v1/returns/", "/api/v1/snapshots/", "/api/v1/task-reports/",
                 "/api/v1/certifications/"]:
        response = api_client.get(path, {"updated_since": "2024-10-01T00:00:00+08:00"})
        assert response.status_code == 200, (path, response.content)
        assert set(response.json()) == {"count", "next", "previous", "results", "next_cursor"}


def test_reads_answer_an_etag_and_304_when_it_matches(api_client):
    first = api_client.get("/api/v1/indicators/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = api_client.get("/api/v1/indicators/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    other = api_client.get("/api/v1/indicators/", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200
    assert api_client.get("/api/v1/periods/")["ETag"] != etag


def test_an_etag_changes_when_the_data_does(api_client):
    etag = api_client.get("/api/v1/returns/")["ETag"]
    push(api_client, jobs="5")
    assert api_client.get("/api/v1/returns/", HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert ReportingPeriod.objects.exists()
