"""Issue 16: (5) task 14's "internship posts collected" is one figure — the plan indicator the
counties report — read by the task measure, not typed twice; (6) the successor plan imported from
its workbook carries over the measures of the tasks whose words it keeps, and the demo gives them
figures for 2026's quarters."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from accounts.roles import Role
from imports.models import ImportBatch
from imports.plan_kind import SHEETS
from imports.plan_workbook import plan_workbook
from imports.services import import_confirm, import_upload
from reports.models import TaskMeasureFigure
from reports.selectors import measure_rollups
from reports.services import measures_entered_by
from seeding.demo.successor import SAMPLE, successor_sample_rows
from tasks.models import Department, Plan, TaskMeasure
from tests.conftest import make_user
from tests.imports_helpers import upload
from tests.targets_helpers import approve, record

pytestmark = pytest.mark.django_db


def test_internship_posts_are_read_from_the_counties_returns_once(plan):
    measure = TaskMeasure.objects.get(task__plan=plan, code="t14_internship_posts")
    assert not measure.is_entered and measure.indicator_code == "internship_posts"
    task14 = measure.task
    from reports.models import ReportingPeriod

    q4 = ReportingPeriod.objects.get(year=2024, quarter=4)
    for name in ("市人社局", "市卫健委"):
        entered = measures_entered_by(task=task14, department=Department.objects.get(name=name), period=q4)
        assert measure not in entered  # no department is asked for it again
    approve("internship_posts", "汉滨区", "2024Q2", value=1500)
    approve("internship_posts", "石泉县", "2024Q4", value=600)
    approve("internship_posts", "汉滨区", "2025Q1", value=300)
    record("internship_posts", "紫阳县", "2024Q4", value=Decimal(999), submit=True)  # not approved
    rollup = next(r for r in measure_rollups(plan=plan, task=task14) if r.measure.code == "t14_internship_posts")
    assert (rollup.years[2024], rollup.years[2025], rollup.total) == (2100, 300, 2400)
    assert rollup.years_met == {2024: True, 2025: False}
    everything = next(r for r in measure_rollups(plan=plan, task=task14, approved_only=False)
                      if r.measure.code == "t14_internship_posts")
    assert everything.years[2024] == 3099


def test_the_task_page_shows_the_counties_figure_and_where_it_comes_from(plan, client_for):
    approve("internship_posts", "汉滨区", "2024Q2", value=1500)
    page = client_for("leader").get("/reports/tasks/14/2024Q3/").content.decode()
    assert "取自县（市、区）季报：公开征集见习岗位数" in page and "1,500 个" in page  # the one number format


def _import_successor(admin, rows=None) -> Plan:
    data = plan_workbook(rows) if rows is not None else SAMPLE.read_bytes()
    batch = import_upload(user=admin, kind=ImportBatch.Kind.PLAN, upload=upload(data, "plan.xlsx"))
    assert batch.state == ImportBatch.State.READY, batch.errors
    assert import_confirm(batch=batch, user=admin).state == ImportBatch.State.APPLIED
    return Plan.objects.get(code="ankang-2026")


def test_the_successor_keeps_the_measures_of_the_tasks_whose_words_it_keeps(plan, personas):
    new = _import_successor(personas["city_admin"])
    old = {(m.task.number, m.code): m for m in TaskMeasure.objects.filter(task__plan=plan).select_related("task")}
    copied = {(m.task.number, m.code): m for m in TaskMeasure.objects.filter(task__plan=new).select_related(
        "task", "numerator")}
    assert set(copied) == set(old) and len(copied) == 62
    share = copied[(14, "t14_vacancy_share")]
    assert share.numerator.task.plan == new  # a ratio points at the copies
    units = {m.code: set(m.reporting_units.values_list("name", flat=True)) for m in TaskMeasure.objects.filter(
        task__plan=new)}
    assert units["t6_demand_surveys"] == {"市工信局", "市文旅广电局", "市商务局", "市农业农村局"}
    assert copied[(14, "t14_internship_posts")].indicator_code == "internship_posts"
    assert TaskMeasure.objects.filter(task__plan=plan).count() == 62  # the closed plan's are untouched


def test_a_task_the_successor_rewrites_starts_without_measures(plan, personas):
    rows = copy.deepcopy(successor_sample_rows())
    fields = [f for f, _h, _r in SHEETS["tasks"][1]]
    six = next(r for r in rows["tasks"] if r[fields.index("number")] == 6)
    six[fields.index("clause")] = "【演示】建立重点企业用工服务专员制度，常态化开展用工监测。"
    new = _import_successor(personas["city_admin"], rows)
    assert not TaskMeasure.objects.filter(task__plan=new, task__number=6).exists()
    assert TaskMeasure.objects.filter(task__plan=new, task__number=7).exists()


def test_the_demo_gives_the_successors_measures_figures_for_2026(plan, personas, settings):
    from seeding.demo.measures import demo_measures_seed
    from seeding.demo.reporting import demo_task_reports_seed

    settings.DEMO_MODE = True
    admin = make_user("office", roles=[Role.CITY_ADMIN], department="市人社局")
    new = _import_successor(personas["city_admin"])
    demo_task_reports_seed(admin=admin)
    assert demo_measures_seed(admin=admin, lead_user=make_user("lead", roles=[Role.DEPT_OFFICER],
                                                                department="市工信局")) > 0
    figures = TaskMeasureFigure.objects.filter(measure__task__plan=new)
    reported = set(figures.values_list("measure__task__number", "period__year", "period__quarter"))
    for quarter in (1, 2):
        for number in range(1, 20):
            assert (number, 2026, quarter) in reported, (number, quarter)
    assert set(figures.values_list("note", flat=True)) == {"【演示数据】"}
    assert not TaskMeasureFigure.objects.filter(measure__task__plan=plan, period__year=2026).exists()
    rollups = {r.measure.code: r for r in measure_rollups(plan=new, upto=None)}
    assert rollups["t12_skills_training"].years[2026] > 0
    returned = new.tasks.get(number=2).report_parts.get(department__name="市商务局", period__year=2026,
                                                        period__quarter=3)
    assert returned.state == "draft" and returned.return_comment  # the returned part is on the plan in force
    assert dt.date(2026, 9, 30) <= new.period_end
