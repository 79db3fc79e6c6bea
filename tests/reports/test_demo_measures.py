"""The demo's task measures: the group's members, a figure for every task in every quarter from
2021Q1, labelled 【演示数据】, and one part returned by its lead."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from kernel.quarters import Quarter
from reports.models import TaskMeasureFigure, TaskReportPart
from reports.selectors import measure_rollups
from seeding.demo.figures import FIRST, LAST_APPROVED
from seeding.demo.measures import demo_measures_seed
from seeding.demo.reporting import demo_task_reports_seed
from tasks.models import Department
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_demo_reports_every_tasks_measures_in_every_quarter(settings, plan):
    settings.DEMO_MODE = True
    admin = make_user("office", roles=[Role.CITY_ADMIN], department="市人社局")
    lead = make_user("lead", roles=[Role.DEPT_OFFICER], department="市工信局")
    demo_task_reports_seed(admin=admin)
    created = demo_measures_seed(admin=admin, lead_user=lead)
    assert created > 0 and demo_measures_seed(admin=admin, lead_user=lead) == 0  # once
    assert set(Department.objects.get(name="市重点产业链牵头单位").members.values_list("name", flat=True)) == {
        "市工信局", "市富硒办", "市文旅广电局", "市商务局"}
    figures = TaskMeasureFigure.objects.filter(measure__task__plan=plan)
    assert set(figures.values_list("note", flat=True)) == {"【演示数据】"}
    reported = set(figures.values_list("measure__task__number", "period__year", "period__quarter"))
    for q in Quarter.between(FIRST.start, LAST_APPROVED.end):
        for number in range(1, 20):
            assert (number, q.year, q.number) in reported, (number, q.label)
    chain = figures.filter(measure__code="t2_chain_jobs").select_related("part").first()
    assert chain.part.department.name == "市重点产业链牵头单位" and chain.part.filed_by_department.name == "市富硒办"
    returned = TaskReportPart.objects.get(task__number=2, task__plan=plan, department__name="市商务局",
                                          period__year=2026, period__quarter=3)
    assert returned.state == "draft" and returned.return_comment and returned.returned_by == lead
    rollups = {r.measure.code: r for r in measure_rollups(plan=plan)}
    assert rollups["t12_skills_training"].total > 0 and rollups["t14_medical_interns"].years[2025] > 0
    assert rollups["t19_urban_circle"].total is not None
