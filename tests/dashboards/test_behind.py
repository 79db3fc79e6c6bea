"""The leader's page (差距与责任, issue 17 part 6): where the plan is behind and who is responsible,
on one screen — targets behind pace with their lead department and their counties behind, the
units overdue for the last quarter that fell due, the instructions past their deadline."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from unittest import mock

import pytest
from django.test import TestCase

from dashboards.selectors import behind_page
from divisions.models import Region
from kernel.quarters import Quarter
from reports.services import instruction_give
from targets.models import Target
from tasks.models import Department, Plan, Task
from tests.targets_helpers import approve

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 5, 20)  # 2024Q1 has fallen due: the pages open on it


def frozen(day: datetime.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def behind(db, personas):
    from targets.services import quota_set_issue

    county = {name: Region.objects.get(level="county", name=name) for name in ("汉滨区", "石泉县")}
    with TestCase.captureOnCommitCallbacks(execute=True):
        quota_set_issue(target=Target.objects.get(plan__code="ankang-2022", code="urban_new_jobs"),
                        issued_on=datetime.date(2022, 5, 1), user=None,
                        quotas={county["汉滨区"]: D(20000), county["石泉县"]: D(6000)})
    approve("urban_new_jobs", "汉滨区", "2024Q1", value=1200)
    approve("urban_new_jobs", "石泉县", "2024Q1", value=300)
    with frozen(datetime.date(2024, 5, 1)):
        instruction_give(task=Task.objects.get(plan__code="ankang-2022", number=6), text="稳岗返还落实情况",
                         user=personas["leader"], deadline=datetime.date(2024, 5, 10),
                         units=[Department.objects.get(name="市商务局")])


def test_targets_behind_with_their_counties_worst_first_and_who_answers(behind, personas):
    plan = Plan.objects.get(code="ankang-2022")
    page = behind_page(user=personas["leader"], plan=plan, today=TODAY, as_of=Quarter(2024, 1))
    assert page.quarter == Quarter(2024, 1)
    rows = {row.target.code: row for row in page.targets}
    jobs = rows["urban_new_jobs"]
    assert jobs.snapshot.status == "red" and jobs.lead is None and not jobs.city_only
    # 石泉县 300/6000 = 5 % before 汉滨区 1200/20000 = 6 %
    assert [(s.region.name, s.percent_achieved) for s in jobs.lagging] == [("石泉县", D("5.00")), ("汉滨区", D("6.00"))]
    assert [row.snapshot.status for row in page.targets] == sorted(
        (row.snapshot.status for row in page.targets), key=lambda status: status != "red")  # red first
    # the units overdue for 2024Q1: every county (no return came in) and the departments with reports missing
    assert page.overdue_period.label == "2024Q1"
    assert len(page.overdue_counties) == 10
    assert {u.unit.name for u in page.overdue_departments} >= {"市工信局", "市人社局", "市商务局"}
    assert all(u.missing > 0 for u in page.overdue_departments)
    [(instruction, units)] = page.overdue_instructions
    assert instruction.text == "稳岗返还落实情况" and [u.name for u in units] == ["市商务局"]


def test_a_task_level_target_names_its_tasks_lead(behind, personas):
    """A target of a task answers to the task's lead unit."""
    plan = Plan.objects.get(code="ankang-2022")
    target = Target.objects.get(plan=plan, code="internship_posts_per_year")
    approve("internship_posts", "汉滨区", "2024Q1", value=10)
    page = behind_page(user=personas["leader"], plan=plan, today=TODAY, as_of=Quarter(2024, 1))
    row = next(row for row in page.targets if row.target == target)
    assert row.task.number == 14 and row.lead.name == target.task.lead.name


def test_the_page_in_one_screen_for_the_office_and_leaders_only(behind, client_for):
    with frozen(TODAY):
        response = client_for("leader").get("/dashboards/behind/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "差距与责任" in html and "数据截至2024年第一季度" in html and "城镇新增就业" in html
        assert "石泉县" in html and "各县（市、区）按分解任务" in html
        assert "稳岗返还落实情况" in html and "市商务局" in html
        assert client_for("city_admin").get("/dashboards/behind/").status_code == 200
        for persona in ("county_a", "lead_officer", "auditor"):
            assert client_for(persona).get("/dashboards/behind/").status_code == 404, persona
        # the export of its table
        export = client_for("leader").get("/dashboards/behind/?export=behind&format=csv")
        assert export.status_code == 200 and "城镇新增就业" in export.content.decode("utf-8-sig")


def test_bars_sorted_city_only_marked_and_the_quarter_in_every_heading(behind, client_for):
    """The charts' specs ask for bars by value (best first: the largest share, the lowest rate under
    a ceiling); a city-only figure says 仅全市 and has no county map; headings name the quarter."""
    import re

    from tests.dashboards.test_pages import chart_data

    client = client_for("leader")
    with frozen(TODAY):
        jobs = client.get("/dashboards/targets/urban_new_jobs/")
        assert chart_data(jobs)["bars"]["sort"] == "desc"
        assert chart_data(client.get("/dashboards/targets/registered_unemployment_rate/"))["bars"]["sort"] == "asc"
        html = jobs.content.decode()
        headings = re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)
        assert headings and all("2024年第一季度" in h for h in headings), headings
        surveyed = client.get("/dashboards/targets/surveyed_unemployment_rate/").content.decode()
        assert "仅全市" in surveyed and 'data-chart="countyMap"' not in surveyed
        assert "仅全市" in client.get("/dashboards/").content.decode()
