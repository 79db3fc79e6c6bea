"""Integrity rules of figures, one rule in one place (targets.services.figures_validate), refused
alike through every channel — the return's form, its Excel/CSV import and the API push: counts of
people, households, villages and posts are whole numbers; counts are bounded by the registry."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from divisions.models import Region
from imports.models import ImportBatch
from imports.services import import_upload
from reports.models import ReportingPeriod
from reports.services import county_return_open, county_return_save
from targets.models import IndicatorValue
from tests.imports_helpers import csv_bytes, upload
from tests.targets_helpers import county

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.date(2024, 10, 15)
HANBIN = "610902000000"


@pytest.fixture(autouse=True)
def in_window(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def villages_of_hanbin() -> int:
    return Region.objects.filter(county=county("汉滨区"), level=Region.Level.VILLAGE).count()


def cases():
    """(indicator, component, figure, what the refusal says)."""
    return [
        ("urban_new_jobs", "value", "12.5", "整数"),  # persons
        ("zero_employment_households", "value", "3.5", "整数"),  # households
        ("internship_posts", "value", "0.1", "整数"),  # posts
        ("fe_campaign_villages", "value", str(villages_of_hanbin() + 1), "名录"),  # more than the registry holds
    ]


def service_save(personas, code, component, figure):
    officer = personas["county_a"]
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    county_return_save(county_return=r, figures={code: {component: figure}}, version=r.version, user=officer)


@pytest.mark.parametrize("index", range(4))
def test_the_service_refuses(index, personas):
    code, component, figure, says = cases()[index]
    with pytest.raises(ValidationError) as refused:
        service_save(personas, code, component, figure)
    assert says in " ".join(refused.value.messages) and figure in " ".join(refused.value.messages)
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("index", range(4))
def test_the_form_refuses(index, client_for):
    code, component, figure, says = cases()[index]
    response = client_for("county_a").post(f"/reports/returns/{HANBIN}/2024Q3/", {
        "action": "save", "version": 0, f"v__{code}__{component}": figure})
    assert response.status_code == 400 and says in response.content.decode()
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("index", range(4))
def test_the_import_refuses_naming_sheet_row_and_column(index, personas):
    code, component, figure, says = cases()[index]
    data = csv_bytes([["指标代码", "分项代码", "数值"], ["urban_new_jobs", "value", "100"] if code != "urban_new_jobs"
                      else ["internship_posts", "value", "5"], [code, component, figure]])
    batch = import_upload(user=personas["county_a"], kind=ImportBatch.Kind.COUNTY_RETURN, upload=upload(data, "报表.csv"),
                          region=county("汉滨区"), period=period())
    assert batch.state == ImportBatch.State.REFUSED
    error = next(e for e in batch.errors if says in e["message"])
    assert (error["row"], error["column"]) == (3, "C")
    assert not IndicatorValue.objects.exists()  # nothing half-written: the good row is not saved either


@pytest.mark.parametrize("index", range(4))
def test_the_api_refuses(index, api_client):
    code, component, figure, says = cases()[index]
    body = {"values": [{"indicator": "urban_new_jobs", "region": HANBIN, "component": "value", "value": "100"},
                       {"indicator": code, "region": HANBIN, "component": component, "value": figure}]}
    if code == "urban_new_jobs":
        body["values"] = body["values"][1:]
    response = api_client.post("/api/v1/returns/2024Q3/values/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert says in json.dumps(response.json(), ensure_ascii=False)
    assert not IndicatorValue.objects.exists()


def test_whole_counts_and_decimal_rates_pass(personas):
    officer = personas["county_a"]
    r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
    county_return_save(county_return=r, figures={
        "urban_new_jobs": {"value": "12.0"}, "fe_campaign_villages": {"value": str(villages_of_hanbin())}},
        version=r.version, user=officer)
    assert IndicatorValue.objects.count() == 2


def test_a_ratios_counted_parts_are_whole_too(personas):
    with pytest.raises(ValidationError, match="整数"):
        officer = personas["county_a"]
        r = county_return_open(region=county("汉滨区"), period=period(), user=officer)
        county_return_save(county_return=r, figures={"registered_unemployment_rate": {
            "registered_unemployed": "30", "urban_labour_force": "1000.5"}}, version=r.version, user=officer)


def test_task_report_evidence_is_removed_before_submission_only(personas, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.models import Evidence
    from reports.services import evidence_attach, evidence_remove, task_part_open, task_part_save, task_part_submit
    from tasks.models import Department, Task

    settings.MEDIA_ROOT = tmp_path
    officer = personas["co_officer"]
    part = task_part_open(task=Task.objects.get(plan__code="ankang-2022", number=6),
                          department=Department.objects.get(name="市商务局"), period=period(), user=officer)
    pdf = lambda: SimpleUploadedFile("纪要.pdf", b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")  # noqa: E731
    wrong, right = evidence_attach(record=part, upload=pdf(), user=officer), evidence_attach(record=part, upload=pdf(),
                                                                                            user=officer)
    with pytest.raises(PermissionDenied):
        evidence_remove(evidence=wrong, user=personas["lead_officer"])
    evidence_remove(evidence=wrong, user=officer)
    assert list(Evidence.objects.values_list("pk", flat=True)) == [right.pk]
    part = task_part_save(part=part, fields={"measures": "做法", "progress": "进展", "self_status": "on_track"},
                          version=part.version, user=officer)
    task_part_submit(part=part, version=part.version, user=officer)
    with pytest.raises(ValidationError, match="提交前"):
        evidence_remove(evidence=Evidence.objects.get(pk=right.pk), user=officer)
