"""Department systems write their task reports and parts through the API, with the pages' workflow
and scoping: the lead department its report, a co-responsible department its part, nobody another's."""

from __future__ import annotations

import datetime as dt
import json
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from api.models import ApiClient
from api.services import api_client_create
from reports.models import TaskReport, TaskReportPart
from tasks.models import Department

pytestmark = pytest.mark.django_db
FIELDS = {"measures": "召开企业用工对接会3场", "progress": "新增就业1200人", "problems": "",
          "next_steps": "继续推进", "self_status": "on_track"}


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        yield


@pytest.fixture
def dept_keys(personas) -> dict[str, str]:
    """Task 6: lead 市工信局, co-responsible 市商务局."""
    later = timezone.now() + dt.timedelta(days=30)
    keys = {}
    for name, department, access in [("lead", "市工信局", "read_write"), ("co", "市商务局", "read_write"),
                                     ("lead_ro", "市工信局", "read")]:
        _, keys[name] = api_client_create(name=f"{department}系统", department=Department.objects.get(name=department),
                                          access=access, expires_at=later, created_by=personas["city_admin"])
    return keys


def api(key):
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}")


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_client_is_for_one_county_or_one_department(personas):
    from django.core.exceptions import ValidationError

    from tests.targets_helpers import county

    with pytest.raises(ValidationError):
        api_client_create(name="x", region=county("汉滨区"), department=Department.objects.get(name="市工信局"),
                          access="read", expires_at=timezone.now() + dt.timedelta(days=1),
                          created_by=personas["city_admin"])
    with pytest.raises(ValidationError):
        api_client_create(name="x", access="read", expires_at=timezone.now() + dt.timedelta(days=1),
                          created_by=personas["city_admin"])


def test_the_co_department_files_its_part_and_the_lead_its_report(dept_keys):
    co, lead = api(dept_keys["co"]), api(dept_keys["lead"])
    saved = post(co, "/api/v1/task-report-parts/2024Q3/6/", FIELDS)
    assert saved.status_code == 200, saved.content
    part = saved.json()
    assert (part["department"], part["state"], part["measures"]) == ("市商务局", "draft", FIELDS["measures"])
    stale = post(co, "/api/v1/task-report-parts/2024Q3/6/", {**FIELDS, "version": part["version"] - 1})
    assert stale.status_code == 409
    submitted = post(co, "/api/v1/task-report-parts/2024Q3/6/submit/", {"version": part["version"]})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert TaskReportPart.objects.get().state == "submitted"

    report = post(lead, "/api/v1/task-reports/2024Q3/6/", FIELDS).json()
    assert report["state"] == "draft"
    missing = post(lead, "/api/v1/task-reports/2024Q3/6/submit/", {"version": report["version"]})
    assert missing.status_code == 400  # other co-responsible units' parts are missing: a reason is needed
    done = post(lead, "/api/v1/task-reports/2024Q3/6/submit/", {"version": report["version"],
                                                                "explanation": "其余配合单位本季度无相关工作"})
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    listed = api(dept_keys["lead"]).get("/api/v1/task-reports/", {"period": "2024Q3"}).json()["results"]
    assert [(r["task"], r["state"]) for r in listed] == [(6, "submitted")]


def test_a_department_cannot_write_another_departments_report_or_part(dept_keys):
    # the co-responsible department does not compile the lead's report
    assert post(api(dept_keys["co"]), "/api/v1/task-reports/2024Q3/6/", FIELDS).status_code == 403
    # the lead department has no part of its own task
    assert post(api(dept_keys["lead"]), "/api/v1/task-report-parts/2024Q3/6/", FIELDS).status_code == 400
    # a task the department has nothing to do with
    from tasks.models import Task

    unrelated = Task.objects.filter(plan__code="ankang-2022").exclude(
        responsibilities__department__name="市商务局").order_by("number").first()
    other = post(api(dept_keys["co"]), f"/api/v1/task-report-parts/2024Q3/{unrelated.number}/", FIELDS)
    assert other.status_code == 400 and "市商务局" in other.json()["detail"]
    # a read-only key, a county's key
    assert post(api(dept_keys["lead_ro"]), "/api/v1/task-reports/2024Q3/6/", FIELDS).status_code == 403
    assert not TaskReport.objects.exists() and not TaskReportPart.objects.exists()


def test_a_county_key_and_a_county_officer_cannot_write_task_reports(api_client, client_for):
    assert post(api_client, "/api/v1/task-reports/2024Q3/6/", FIELDS).status_code == 403
    assert post(client_for("county_a"), "/api/v1/task-reports/2024Q3/6/", FIELDS).status_code == 403
    assert post(client_for("leader"), "/api/v1/task-report-parts/2024Q3/6/", FIELDS).status_code == 403


def test_a_closed_period_and_bad_fields_are_refused(dept_keys):
    lead = api(dept_keys["lead"])
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 21)):
        closed = post(lead, "/api/v1/task-reports/2024Q3/6/", FIELDS)
    assert closed.status_code == 409 and "2024年第三季度" in closed.json()["detail"]
    bad = post(lead, "/api/v1/task-reports/2024Q3/6/", {**FIELDS, "self_status": "great"})
    assert bad.status_code == 400 and "self_status" in bad.json()["errors"]
    assert post(lead, "/api/v1/task-reports/2024Q3/999/", FIELDS).status_code == 404
    incomplete = post(lead, "/api/v1/task-reports/2024Q3/6/", {"measures": "x"}).json()
    refused = post(lead, "/api/v1/task-reports/2024Q3/6/submit/", {"version": incomplete["version"]})
    assert refused.status_code == 400


def test_the_department_client_is_a_department_officer(dept_keys):
    client = ApiClient.objects.get(name="市工信局系统", access="read_write")
    assert client.region is None and client.user.department.name == "市工信局"
    assert client.user.has_role("dept_officer")
