"""Issue 16: the surveyed unemployment rate, once the office approves the city's own return, is on
every surface the leaders read — the overview, the target page, the report pack and the final
assessment — each tested on its own; before approval it is on none; county officers and county
keys cannot put it there."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from openpyxl import load_workbook

from assessments.services import assessment_draft
from kernel.quarters import Quarter
from packs.jobs import report_pack_build_job  # noqa: F401  (the pack's job, run eagerly on commit)
from packs.services import report_pack_request
from reports.models import ReportingPeriod
from reports.services import county_return_approve, county_return_open, county_return_save, county_return_submit
from targets.models import IndicatorValue
from tests.targets_helpers import city

pytestmark = pytest.mark.django_db
RATE = "surveyed_unemployment_rate"


def city_rate(personas, label: str, value: str, *, approve: bool = True, today: dt.date):
    """The statistics officer enters and submits the city's return; the office approves it."""
    stats = personas["city_stats"]
    period = ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))
    with TestCase.captureOnCommitCallbacks(execute=True):  # the roll-up runs after the commit
        r = county_return_open(region=city(), period=period, user=stats)
        r = county_return_save(county_return=r, figures={RATE: {"value": value}}, version=r.version, user=stats,
                               today=today)
        r = county_return_submit(county_return=r, version=r.version, user=stats, today=today)
        if approve:
            county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])


@pytest.fixture
def autumn_2024():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        yield dt.date(2024, 10, 15)


def rate_card(html: str) -> str:
    """The overview's card of the surveyed unemployment rate."""
    start = html.index("调查失业率")
    return html[start:start + 1500]


@pytest.mark.parametrize("approved", [True, False])
def test_the_overview_shows_the_approved_rate(approved, personas, client_for, autumn_2024, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    city_rate(personas, "2024Q3", "5.2", approve=approved, today=autumn_2024)
    card = rate_card(client_for("leader").get("/dashboards/").content.decode())
    assert ("5.2" in card) is approved, card
    if approved:
        assert "无数据" not in card[:600]


@pytest.mark.parametrize("approved", [True, False])
def test_the_target_page_shows_the_approved_rate(approved, personas, client_for, autumn_2024, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    city_rate(personas, "2024Q3", "5.2", approve=approved, today=autumn_2024)
    page = client_for("leader").get(f"/targets/ankang-2022/{RATE}/?quarter=2024Q3").content.decode()
    assert ("5.2" in page) is approved


@pytest.mark.parametrize("approved", [True, False])
def test_the_report_pack_carries_the_approved_rate(approved, personas, plan, autumn_2024, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    city_rate(personas, "2024Q3", "5.2", approve=approved, today=autumn_2024)
    with TestCase.captureOnCommitCallbacks(execute=True):
        pack = report_pack_request(plan=plan, quarter=Quarter(2024, 3), user=personas["city_admin"])
    pack.refresh_from_db()
    workbook = load_workbook(io.BytesIO(pack.file.open("rb").read()))
    rows = list(workbook["目标与进度"].iter_rows(values_only=True))
    header = rows[0]
    row = dict(zip(header, next(r for r in rows[1:] if r[header.index("代码")] == RATE), strict=True))
    assert (row["数值"] is not None and D(str(row["数值"])) == D("5.2")) is approved, row


@pytest.mark.parametrize("approved", [True, False])
def test_the_final_assessment_states_the_approved_rate(approved, personas, plan, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 1, 5)):
        city_rate(personas, "2025Q4", "5.1", approve=approved, today=dt.date(2026, 1, 5))
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 11, 30)):
        a = assessment_draft(plan=plan, user=personas["city_admin"], doc_number="安就业办发〔2026〕9号")
    final = next(t for t in a.content["targets"] if t["code"] == RATE)["final"]
    if approved:
        assert D(final["value"]) == D("5.1") and final["met"] is True  # ≤ 5.5 %
    else:
        assert not final["value"]


def test_county_officers_and_county_keys_cannot_put_it_there(personas, client_for, api_client, autumn_2024):
    period = ReportingPeriod.objects.get(year=2024, quarter=3)
    with pytest.raises(PermissionDenied):
        county_return_open(region=city(), period=period, user=personas["county_a"])
    url = f"/reports/returns/{city().code}/2024Q3/"
    assert client_for("county_a").post(url, {"action": "save", "version": 0,
                                             f"v__{RATE}__value": "4.0"}).status_code == 404
    body = {"values": [{"indicator": RATE, "region": city().code, "component": "value", "value": "4.0"}]}
    refused = api_client.post("/api/v1/returns/2024Q3/values/", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["rejected"] == 1
    assert not IndicatorValue.objects.filter(indicator__code=RATE).exists()
    assert "4.0" not in rate_card(client_for("leader").get("/dashboards/").content.decode())
