"""Exports of the plan page (tasks and their units, targets) and of the divisions pages."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_plans_tasks_export_with_lead_and_co_responsible_units(client_for, plan):
    response = client_for("county_a").get(f"/plans/{plan.code}/?export=tasks&format=csv")
    assert response.status_code == 200
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[4] == "配合单位" and len(header) == 6
    assert len([r for r in body if r[0].isdigit() and int(r[0]) <= 19]) == 19
    task2 = next(r for r in body if r[0] == "2")
    assert task2[3] == "市工信局" and "市商务局" in task2[4]
    response = client_for("leader").get(f"/plans/{plan.code}/?export=targets&format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_the_divisions_export_lists_the_units_with_their_counts(client_for):
    rows = _csv(client_for("leader").get("/regions/?export=units&format=csv"))
    assert len(rows) == 11  # the header and the ten counties
    hanbin = next(r for r in rows if r[1] == "汉滨区")
    assert hanbin[0] == "610902000000" and int(hanbin[3]) > 0
    # the auditor reads no plan data: refused, as every page of it refuses them
    assert client_for("auditor").get("/regions/?export=units&format=csv").status_code == 404
