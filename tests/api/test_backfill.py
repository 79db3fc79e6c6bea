"""Back-fill: one request, several periods, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from unittest import mock

import pytest

from reports.models import CountyReturn, ReportingPeriod
from reports.services import period_exception_open
from targets.models import IndicatorValue
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
HANBIN = "610902000000"
BACKFILL = "/api/v1/returns/values/"


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        yield


@pytest.fixture
def q2_reopened(personas):
    """2024Q2 closed on 2024-07-20; the office reopens it for 汉滨区 until November."""
    return period_exception_open(period=ReportingPeriod.objects.get(year=2024, quarter=2),
                                 open_until=dt.date(2024, 11, 30), reason="补报", user=personas["city_admin"],
                                 region=county("汉滨区"))


def jobs(period, value, region=HANBIN):
    return {"period": period, "indicator": "urban_new_jobs", "region": region, "component": "value", "value": value}


def backfill(client, values, **body):
    return client.post(BACKFILL, json.dumps({"values": values, **body}), content_type="application/json")


def test_one_request_fills_several_periods(api_client, q2_reopened):
    dry = backfill(api_client, [jobs("2024Q2", "100"), jobs("2024Q3", "120")], dry_run=True)
    assert dry.status_code == 200 and dry.json()["created"] == 2 and not IndicatorValue.objects.exists()
    response = backfill(api_client, [jobs("2024Q3", "120"), jobs("2024Q2", "100")])
    body = response.json()
    assert response.status_code == 200 and body["written"] is True, body
    assert [(r["index"], r["period"], r["outcome"]) for r in body["results"]] == [
        (0, "2024Q3", "created"), (1, "2024Q2", "created")]
    assert [(p["period"], p["created"], p["return_version"]) for p in body["periods"]] == [
        ("2024Q2", 1, 2), ("2024Q3", 1, 2)]
    assert {(v.quarter, v.value) for v in IndicatorValue.objects.all()} == {(2, D(100)), (3, D(120))}
    again = backfill(api_client, [jobs("2024Q2", "101"), jobs("2024Q3", "120")],
                     versions={"2024Q2": 2, "2024Q3": 2})
    assert again.status_code == 200 and (again.json()["updated"], again.json()["unchanged"]) == (1, 1)


def test_a_closed_period_refuses_the_whole_request_naming_it(api_client):
    response = backfill(api_client, [jobs("2024Q3", "120"), jobs("2024Q1", "90")])
    assert response.status_code == 409
    body = response.json()
    assert "2024Q1" in body["detail"] and "2024Q3" not in body["errors"]["periods"]
    assert body["errors"]["periods"] == ["2024Q1"]
    assert not IndicatorValue.objects.exists() and not CountyReturn.objects.exists()


def test_one_rejected_value_writes_nothing_in_any_period(api_client, q2_reopened):
    response = backfill(api_client, [jobs("2024Q2", "100"), jobs("2024Q3", "-5")])
    body = response.json()
    assert response.status_code == 400 and body["rejected"] == 1 and body["results"][1]["outcome"] == "rejected"
    assert body["detail"] and not IndicatorValue.objects.exists()


def test_a_stale_version_of_one_period_rolls_back_the_others(api_client, q2_reopened):
    assert backfill(api_client, [jobs("2024Q2", "100"), jobs("2024Q3", "120")]).status_code == 200
    response = backfill(api_client, [jobs("2024Q2", "200"), jobs("2024Q3", "220")],
                        versions={"2024Q2": 2, "2024Q3": 1})
    assert response.status_code == 409, response.content
    assert {(v.quarter, v.value) for v in IndicatorValue.objects.all()} == {(2, D(100)), (3, D(120))}
    assert CountyReturn.objects.get(period__quarter=2).version == 2


def test_a_submitted_return_in_one_period_refuses_the_whole_request(api_client, q2_reopened):
    assert backfill(api_client, [jobs("2024Q3", "120")]).status_code == 200
    CountyReturn.objects.filter(period__quarter=3).update(state=CountyReturn.State.SUBMITTED)
    response = backfill(api_client, [jobs("2024Q2", "100"), jobs("2024Q3", "121")])
    assert response.status_code == 409 and "2024Q3" in response.json()["detail"]
    assert not IndicatorValue.objects.filter(quarter=2).exists()


@pytest.mark.parametrize("values, field", [
    ([{"indicator": "urban_new_jobs", "region": HANBIN, "component": "value", "value": "1"}], "values"),
    ([jobs("2024-3", "1")], "values"),
    ([jobs("2024Q5", "1")], "values"),
])
def test_each_value_must_name_its_period(api_client, values, field):
    response = backfill(api_client, values)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_versions_for_a_period_without_values_is_refused(api_client):
    response = backfill(api_client, [jobs("2024Q3", "1")], versions={"2024Q1": 1})
    assert response.status_code == 400 and "2024Q1" in response.json()["detail"]


def test_another_countys_values_and_read_only_keys_write_nothing(api_client, personas):
    from django.test import Client
    from django.utils import timezone

    from api.services import api_client_create

    other = backfill(api_client, [jobs("2024Q3", "1", region="610922000000")])
    assert other.status_code == 400 and "610922000000" in other.json()["results"][0]["reason"]
    _, key = api_client_create(name="只读", region=county("汉滨区"), access="read",
                               expires_at=timezone.now() + dt.timedelta(days=1), created_by=personas["city_admin"])
    read_only = backfill(Client(HTTP_AUTHORIZATION=f"Api-Key {key}"), [jobs("2024Q3", "1")])
    assert read_only.status_code == 403 and not IndicatorValue.objects.exists()
