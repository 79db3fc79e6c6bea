"""The plan switcher: the current plan (in force today, else the last to have started) is the
default everywhere; ``?plan=<code>`` shows another, a closed plan stays readable; the navigation
lists every plan with the link that shows the same page for it."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from unittest import mock

import pytest

from targets.rollup import rollup
from tasks.models import Plan
from tasks.selectors import plan_chosen_for_user, plan_current_for_user
from tests.targets_helpers import approve, successor

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


def test_the_current_plan_is_the_one_in_force_else_the_last_started(personas, today):
    leader = personas["leader"]
    assert plan_current_for_user(leader).code == "ankang-2022"  # ended, but the last to have started
    successor()
    assert plan_current_for_user(leader).code == "ankang-2026"  # in force today
    assert plan_chosen_for_user(leader, "ankang-2022").code == "ankang-2022"
    assert plan_chosen_for_user(leader, "no-such-plan") is None
    assert plan_chosen_for_user(personas["outsider"], "ankang-2022") is None
    successor(start=datetime.date(2031, 1, 1), end=datetime.date(2035, 12, 31), code="ankang-2031")
    assert plan_current_for_user(leader).code == "ankang-2026"  # a plan not begun is not the default


def test_pages_default_to_the_current_plan_and_show_the_chosen_one(client_for, today):
    successor()
    client = client_for("leader")
    assert client.get("/").context["plan"].code == "ankang-2026"
    assert client.get("/targets/").context["plan"].code == "ankang-2026"
    assert client.get("/dashboards/").context["plan"].code == "ankang-2026"
    # the closed plan, chosen
    assert client.get("/?plan=ankang-2022").context["plan"].code == "ankang-2022"
    assert client.get("/targets/?plan=ankang-2022").context["plan"].code == "ankang-2022"
    assert client.get("/dashboards/?plan=ankang-2022").context["plan"].code == "ankang-2022"
    assert client.get("/dashboards/rankings/?plan=ankang-2022").context["plan"].code == "ankang-2022"
    for url in ("/?plan=nope", "/targets/?plan=nope", "/dashboards/?plan=nope"):
        assert client.get(url).status_code == 404


def test_the_navigation_lists_both_plans_with_links_to_the_same_page(client_for, today):
    successor()
    client = client_for("leader")
    response = client.get("/targets/")
    items = {i["plan"].code: i for i in response.context["switcher_plans"]}
    assert set(items) == {"ankang-2022", "ankang-2026"}
    assert items["ankang-2026"]["current"] and items["ankang-2022"]["closed"]
    assert items["ankang-2022"]["url"] == "/targets/?plan=ankang-2022" and items["ankang-2026"]["url"] == "/targets/"
    html = response.content.decode()
    assert 'id="plan-switcher"' in html and 'href="/targets/?plan=ankang-2022"' in html
    assert "当前规划" in html and "已结束" in html
    # a page naming its plan switches to the other plan's page of the same kind
    response = client.get("/targets/ankang-2022/urban_new_jobs/")
    items = {i["plan"].code: i["url"] for i in response.context["switcher_plans"]}
    assert items == {"ankang-2022": "/targets/ankang-2022/", "ankang-2026": "/targets/ankang-2026/"}
    response = client.get("/plans/ankang-2022/tasks/6/")
    assert {i["plan"].code: i["url"] for i in response.context["switcher_plans"]}["ankang-2026"] == "/plans/ankang-2026/"
    # the dashboards keep their page
    response = client.get("/dashboards/rankings/")
    assert {i["plan"].code: i["url"] for i in response.context["switcher_plans"]}["ankang-2022"] == (
        "/dashboards/rankings/?plan=ankang-2022")


def test_no_switcher_for_someone_who_cannot_read_the_plan(client_for, today):
    response = client_for("auditor").get("/audit/")
    assert "switcher_plans" not in response.context or not response.context["switcher_plans"]


def test_each_plan_chosen_shows_only_its_own_figures(client_for, today):
    """Two overlapping plans: the same values count toward both, each in its own window; choosing a
    plan shows that plan's figures only."""
    successor(start=datetime.date(2025, 7, 1))
    approve("urban_new_jobs", "汉滨区", "2024Q1", value=30000)
    approve("urban_new_jobs", "汉滨区", "2025Q3", value=4321)
    approve("urban_new_jobs", "石泉县", "2025Q4", value=5000)
    approve("urban_new_jobs", "汉滨区", "2026Q1", value=1111)
    rollup(today=TODAY)
    client = client_for("leader")
    default = client.get("/targets/").content.decode()
    old = client.get("/targets/?plan=ankang-2022").content.decode()
    assert "10,432" in default and "39,321" not in default
    assert "39,321" in old and "10,432" not in old
    card = next(c for c in client.get("/dashboards/?plan=ankang-2022").context["overview"].cards
                if c.target.code == "urban_new_jobs")
    assert card.snapshot.plan.code == "ankang-2022" and card.snapshot.value == D(39321)
    assert Plan.objects.count() == 2
