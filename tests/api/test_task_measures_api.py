"""Issue 16: department systems push and read their task measures' figures (任务指标) with their
task reports and parts, by the same service and rules as the page (whole counts, refused whole
naming the measure), and read the measures and the figures back."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from api.services import api_client_create
from reports.models import TaskMeasureFigure, TaskReportPart
from tasks.models import Department
from tests.api.test_department_clients import FIELDS, api, post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        yield


@pytest.fixture
def dept_keys(personas) -> dict[str, str]:
    """Task 6: lead 市工信局, co-responsible 市商务局 (read-write), and a read-only key of the lead."""
    later = timezone.now() + dt.timedelta(days=30)
    keys = {}
    for name, department, access in [("lead", "市工信局", "read_write"), ("co", "市商务局", "read_write"),
                                     ("lead_ro", "市工信局", "read")]:
        _, keys[name] = api_client_create(name=f"{department}系统", department=Department.objects.get(name=department),
                                          access=access, expires_at=later, created_by=personas["city_admin"])
    return keys


def test_the_co_department_pushes_its_parts_figures_and_reads_them_back(dept_keys):
    co = api(dept_keys["co"])
    saved = post(co, "/api/v1/task-report-parts/2024Q3/6/", {
        **FIELDS, "figures": {"t6_demand_surveys": "3", "t6_demand_list_enterprises": 120}})
    assert saved.status_code == 200, saved.content
    assert saved.json()["figures"] == {"t6_demand_surveys": "3.00", "t6_demand_list_enterprises": "120.00"}
    row = TaskMeasureFigure.objects.get(measure__code="t6_demand_surveys")
    assert (row.department.name, row.part, row.value) == ("市商务局", TaskReportPart.objects.get(), 3)
    assert row.history.count() == 1  # audited like a figure typed on the page
    cleared = post(co, "/api/v1/task-report-parts/2024Q3/6/", {"figures": {"t6_demand_surveys": None}})
    assert cleared.json()["figures"] == {"t6_demand_list_enterprises": "120.00"}
    assert cleared.json()["measures"] == FIELDS["measures"]  # the text left out is kept

    listed = co.get("/api/v1/task-measure-figures/?period=2024Q3&task=6").json()["results"]
    assert [(r["measure"], r["department"], r["value"], r["entered_in"], r["state"]) for r in listed] == [
        ("t6_demand_list_enterprises", "市商务局", "120.00", "part", "draft")]
    measures = co.get("/api/v1/task-measures/?plan=ankang-2022&task=6").json()["results"]
    assert [m["code"] for m in measures] == ["t6_demand_surveys", "t6_demand_list_enterprises", "t6_reserve_pool"]
    assert "市商务局" in measures[0]["reporting_units"] and measures[0]["clause"]


@pytest.mark.parametrize(("figures", "says"), [
    ({"t6_demand_surveys": "2.5"}, "小数"),              # a count of surveys is whole
    ({"t6_demand_surveys": "-1"}, "负"),
    ({"t6_demand_surveys": "１２"}, "数字"),
    ({"t6_reserve_pool": "10"}, "t6_reserve_pool"),     # not a measure 市商务局 enters
    ({"t1_market_entities": "10"}, "t1_market_entities"),
])
def test_bad_figures_are_refused_whole_and_nothing_written(figures, says, dept_keys):
    co = api(dept_keys["co"])
    refused = post(co, "/api/v1/task-report-parts/2024Q3/6/", {
        **FIELDS, "figures": {"t6_demand_list_enterprises": "50", **figures}})
    assert refused.status_code == 400, refused.content
    assert says in refused.content.decode()
    assert not TaskMeasureFigure.objects.exists() and not TaskReportPart.objects.exists()


def test_the_lead_pushes_its_reports_figures_and_the_read_only_key_cannot(dept_keys):
    lead = api(dept_keys["lead"])
    saved = post(lead, "/api/v1/task-reports/2024Q3/6/", {**FIELDS, "figures": {"t6_demand_surveys": "4"}})
    assert saved.status_code == 200, saved.content
    assert saved.json()["figures"] == {"t6_demand_surveys": "4.00"}
    assert TaskMeasureFigure.objects.get().report is not None
    read_only = api(dept_keys["lead_ro"])
    assert post(read_only, "/api/v1/task-reports/2024Q3/6/", {"figures": {"t6_demand_surveys": "9"}}).status_code == 403
    assert TaskMeasureFigure.objects.get().value == 4
    rows = read_only.get("/api/v1/task-measure-figures/?task=6").json()["results"]
    assert [(r["measure"], r["entered_in"]) for r in rows] == [("t6_demand_surveys", "report")]


def test_a_county_key_sees_no_departments_figures(dept_keys, api_client):
    post(api(dept_keys["co"]), "/api/v1/task-report-parts/2024Q3/6/", {"figures": {"t6_demand_surveys": "3"}})
    response = api_client.get("/api/v1/task-measure-figures/")
    assert response.status_code == 200 and response.json()["results"] == []
    assert post(api_client, "/api/v1/task-report-parts/2024Q3/6/",
                {"figures": {"t6_demand_surveys": "5"}}).status_code == 403
