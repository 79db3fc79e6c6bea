"""What client generators rely on: JSON-only bodies, stable operationIds and component names, one
error shape, ASCII metadata. Renaming any of these breaks every generated client: a change here
is a v2 change (docs/api.md, versioning policy), except additions."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

# The contract: each operation's id. Add to it; never rename or remove within v1.
OPERATION_IDS = {
    ("get", "/api/v1/certifications/"): "certifications_list",
    ("get", "/api/v1/departments/"): "departments_list",
    ("get", "/api/v1/indicators/"): "indicators_list",
    ("get", "/api/v1/periods/"): "periods_list",
    ("get", "/api/v1/plans/"): "plans_list",
    ("get", "/api/v1/plans/{code}/"): "plans_retrieve",
    ("get", "/api/v1/regions/"): "regions_list",
    ("get", "/api/v1/regions/{code}/"): "regions_retrieve",
    ("get", "/api/v1/returns/"): "returns_list",
    ("post", "/api/v1/returns/values/"): "returns_values_backfill",
    ("post", "/api/v1/returns/{period}/submit/"): "returns_submit",
    ("post", "/api/v1/returns/{period}/values/"): "returns_values_push",
    ("get", "/api/v1/snapshots/"): "snapshots_list",
    ("get", "/api/v1/targets/"): "targets_list",
    ("get", "/api/v1/task-reports/"): "task_reports_list",
    ("post", "/api/v1/task-reports/{period}/{task}/"): "task_reports_save",
    ("post", "/api/v1/task-reports/{period}/{task}/submit/"): "task_reports_submit",
    ("post", "/api/v1/task-report-parts/{period}/{task}/"): "task_report_parts_save",
    ("post", "/api/v1/task-report-parts/{period}/{task}/submit/"): "task_report_parts_submit",
    ("get", "/api/v1/tasks/"): "tasks_list",
    ("get", "/api/v1/task-measures/"): "task_measures_list",
    ("get", "/api/v1/task-measure-figures/"): "task_measure_figures_list",
    ("get", "/api/v1/values/"): "values_list",
}
# Components a client's code names (its model classes): they stay.
COMPONENTS = {"BulkValues", "BackfillValues", "BackfillValueIn", "ValueIn", "ImportSummary", "Result", "Submit",
              "Error", "CountyReturn", "Value", "Snapshot", "TaskReportState", "Certification", "Plan", "Task",
              "Department", "Region", "RegionDetail", "Indicator", "Component", "Target", "Period",
              "PaginatedValueList", "PaginatedCountyReturnList", "PaginatedSnapshotList",
              "PaginatedTaskReportStateList", "PaginatedCertificationList", "ReviewStateEnum", "ValueStatusEnum",
              "SnapshotStatusEnum", "SelfStatusEnum", "ReportContentIn", "TaskReport", "TaskReportPart",
              "TaskMeasure", "TaskMeasureFigure", "PaginatedTaskMeasureList", "PaginatedTaskMeasureFigureList"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_every_operation_has_its_stable_operation_id(schema):
    assert {(m, p): o["operationId"] for m, p, o in operations(schema)} == OPERATION_IDS
    assert len(set(OPERATION_IDS.values())) == len(OPERATION_IDS)


def test_components_keep_their_names(schema):
    names = set(schema["components"]["schemas"])
    assert COMPONENTS <= names, COMPONENTS - names
    # no name made up by a collision rule (drf-spectacular's hashed "…Enum" names, numbered duplicates)
    assert not [n for n in names if any(ch.isdigit() for ch in n)], names


def test_writes_accept_json_only(schema):
    writes = [(p, o) for m, p, o in operations(schema) if m in ("post", "put", "patch")]
    assert writes
    for path, operation in writes:
        assert list(operation["requestBody"]["content"]) == ["application/json"], path
        assert "415" in operation["responses"], path


def test_every_error_has_the_one_shape(schema):
    for _method, path, operation in operations(schema):
        for code in ("400", "401", "403", "404", "429"):
            body = operation["responses"][code]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/Error"}, (path, code)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"] and set(error["properties"]) == {"detail", "errors"}


def test_metadata_gives_an_ascii_package_name(schema):
    title = schema["info"]["title"]
    assert title.isascii() and title == "Ankang Jobs Client"
    assert schema["info"]["version"] == "1.0.0"


def test_a_body_that_is_not_json_is_refused_with_415(api_client):
    response = api_client.post("/api/v1/returns/2024Q3/values/", {"values": "x"})  # multipart
    assert response.status_code == 415 and response.json()["detail"]
