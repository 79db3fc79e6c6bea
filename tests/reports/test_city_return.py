"""The city's own return: the figures only the city reports (the surveyed unemployment rate),
entered by the city's statistics officer through the form, the Excel template and the API with a
city-scoped key; reviewed by the office like a county's return; refused for counties."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import RoleAssignment
from accounts.roles import Role
from api.services import api_client_create
from imports.models import ImportBatch
from imports.services import import_confirm, import_upload
from imports.templates import return_template
from reports.models import Correction, CountyReturn, ReportingPeriod
from reports.services import (
    correction_approve,
    corrections_request,
    county_return_approve,
    county_return_open,
    county_return_save,
    county_return_submit,
    reported_indicators,
)
from targets.models import IndicatorValue, Snapshot
from targets.rollup import rollup
from tests.imports_helpers import upload
from tests.targets_helpers import city, county

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)
RATE = "surveyed_unemployment_rate"


@pytest.fixture(autouse=True)
def in_window(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def period(label="2024Q3") -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))


def city_key(personas, access="read_write") -> Client:
    _record, key = api_client_create(name="市统计局调查系统", region=city(), access=access,
                                     expires_at=timezone.now() + dt.timedelta(days=30),
                                     created_by=personas["city_admin"])
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}")


def submitted_city_return(personas, value="5.1") -> CountyReturn:
    stats = personas["city_stats"]
    r = county_return_open(region=city(), period=period(), user=stats)
    r = county_return_save(county_return=r, figures={RATE: {"value": value}}, version=r.version, user=stats)
    return county_return_submit(county_return=r, version=r.version, user=stats)


def test_the_city_return_holds_the_city_only_indicators():
    assert [i.code for i in reported_indicators(city())] == [RATE]
    assert RATE not in {i.code for i in reported_indicators(county("汉滨区"))}


def test_a_statistics_officer_belongs_to_the_city(personas):
    user = personas["county_a"]
    with pytest.raises(ValidationError, match="全市"):
        RoleAssignment(user=user, role=Role.CITY_STATS_OFFICER).full_clean()


def test_the_form_saves_submits_and_the_office_approves_into_the_city_figure(personas, client_for):
    client = client_for("city_stats")
    url = f"/reports/returns/{city().code}/2024Q3/"
    page = client.get(url)
    assert page.status_code == 200 and "城镇调查失业率" in page.content.decode()
    response = client.post(url, {"action": "save", "version": 0, f"v__{RATE}__value": "5.2"})
    assert response.status_code == 302, response.content.decode()
    r = CountyReturn.objects.get(region=city(), period=period())
    assert r.state == "draft"
    response = client.post(url, {"action": "submit", "version": r.version, f"v__{RATE}__value": "5.2",
                                 "explanation": ""})
    assert response.status_code == 302, response.content.decode()
    r.refresh_from_db()
    assert r.state == "submitted"
    # review by someone else: the statistics officer cannot approve their own figures
    refused = client.post(url, {"action": "approve", "version": r.version})
    assert refused.status_code in (400, 403) and CountyReturn.objects.get(pk=r.pk).state == "submitted"
    assert client_for("city_admin").post(url, {"action": "approve", "version": r.version}).status_code == 302
    r.refresh_from_db()
    assert r.state == "approved" and r.reviewed_by == personas["city_admin"]
    value = IndicatorValue.objects.get(indicator__code=RATE, region=city(), year=2024, quarter=3)
    assert (value.value, value.status, value.submitted_by, value.approved_by) == (
        D("5.2"), "approved", personas["city_stats"], personas["city_admin"])
    rollup(trigger="test", indicator_codes=[RATE], today=IN_WINDOW)
    snap = Snapshot.objects.get(indicator__code=RATE, region=city(), year=2024, quarter=3, plan__code="ankang-2022")
    assert snap.value == D("5.2") and snap.status != "none"
    target_page = client_for("leader").get("/targets/ankang-2022/surveyed_unemployment_rate/?quarter=2024Q3")
    assert target_page.status_code == 200 and "5.2" in target_page.content.decode()


def test_a_correction_keeps_both_figures(personas):
    r = submitted_city_return(personas)
    r = county_return_approve(county_return=r, version=r.version, reviewer=personas["city_admin"])
    assert corrections_request(county_return=r, figures={RATE: {"value": "5.3"}}, reason="调查样本更正",
                               user=personas["city_stats"]) == 1
    correction = Correction.objects.get(county_return=r)
    correction_approve(correction=correction, reviewer=personas["city_admin"])
    item = correction.items.get()
    assert (item.old_value, item.new_value) == (D("5.1"), D("5.3"))
    assert IndicatorValue.objects.get(indicator__code=RATE, region=city(), year=2024, quarter=3).value == D("5.3")


@pytest.mark.parametrize("persona", ["county_a", "city_admin", "leader", "co_officer"])
def test_nobody_but_the_statistics_officer_fills_in_the_city_return(persona, personas):
    with pytest.raises(PermissionDenied):
        county_return_open(region=city(), period=period(), user=personas[persona])


def test_a_county_officer_cannot_see_or_post_the_city_return(personas, client_for):
    url = f"/reports/returns/{city().code}/2024Q3/"
    assert client_for("county_a").get(url).status_code == 404
    assert client_for("county_a").post(url, {"action": "save", "version": 0,
                                             f"v__{RATE}__value": "5.0"}).status_code == 404
    assert not IndicatorValue.objects.filter(indicator__code=RATE).exists()


def test_a_county_return_refuses_the_city_only_figure(personas):
    officer = personas["county_a"]
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    with pytest.raises(ValidationError, match=RATE):
        county_return_save(county_return=r, figures={RATE: {"value": "5"}}, version=r.version, user=officer)
    assert not IndicatorValue.objects.filter(indicator__code=RATE).exists()


def test_the_city_template_imports_unedited(personas):
    data = return_template(county=city(), period=period())
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    assert [(r[0].value, r[1].value) for r in rows] == [(RATE, "value")]
    rows[0][6].value = 5.4
    out = io.BytesIO()
    workbook.save(out)
    batch = import_upload(user=personas["city_stats"], kind=ImportBatch.Kind.COUNTY_RETURN,
                          upload=upload(out.getvalue(), "安康市2024Q3季报模板.xlsx"), region=city(), period=period())
    assert batch.state == ImportBatch.State.READY, batch.errors
    assert import_confirm(batch=batch, user=personas["city_stats"]).state == ImportBatch.State.APPLIED
    value = IndicatorValue.objects.get(indicator__code=RATE, region=city(), year=2024, quarter=3)
    assert (value.value, value.source) == (D("5.4"), "import")


def test_a_county_officer_cannot_import_into_the_city_return(personas, client_for):
    with pytest.raises(PermissionDenied):
        import_upload(user=personas["county_a"], kind=ImportBatch.Kind.COUNTY_RETURN,
                      upload=upload(b"x", "a.csv"), region=city(), period=period())
    assert client_for("county_a").get(f"/imports/templates/returns/{city().code}/2024Q3/").status_code == 404


def test_the_city_key_pushes_and_submits_the_city_figure(personas):
    client = city_key(personas)
    body = {"values": [{"indicator": RATE, "region": city().code, "component": "value", "value": "5.0"}]}
    response = client.post("/api/v1/returns/2024Q3/values/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200 and response.json()["written"], response.content
    version = response.json()["return_version"]
    response = client.post("/api/v1/returns/2024Q3/submit/", json.dumps({"version": version}),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    r = CountyReturn.objects.get(region=city(), period=period())
    assert r.state == "submitted"


def test_a_county_key_cannot_push_the_city_figure(personas, api_client):
    for region in (city().code, county("汉滨区").code):
        body = {"values": [{"indicator": RATE, "region": region, "component": "value", "value": "5.0"}]}
        response = api_client.post("/api/v1/returns/2024Q3/values/", json.dumps(body),
                                   content_type="application/json")
        assert response.status_code == 400, response.content
        assert response.json()["rejected"] == 1
    assert not IndicatorValue.objects.filter(indicator__code=RATE).exists()


def test_the_city_key_cannot_push_county_figures(personas):
    body = {"values": [{"indicator": "urban_new_jobs", "region": city().code, "component": "value", "value": "5"}]}
    response = city_key(personas).post("/api/v1/returns/2024Q3/values/", json.dumps(body),
                                       content_type="application/json")
    assert response.status_code == 400 and "全市" in json.dumps(response.json(), ensure_ascii=False)
    assert not IndicatorValue.objects.exists()
