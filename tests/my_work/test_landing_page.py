"""Everyone lands on their own work for the quarter."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):  # 2024Q3, overdue
        yield


def test_login_lands_on_my_work(client, personas):
    from tests.conftest import PASSWORD

    response = client.post("/accounts/login/", {"username": "county_a", "password": PASSWORD})
    assert response["Location"] == "/reports/my/"


def test_each_persona_sees_its_own_work(client_for):
    county = client_for("county_a").get("/reports/my/").content.decode()
    assert "季度报表" in county and "汉滨区 2024年第三季度" in county and "逾期" in county
    dept = client_for("co_officer").get("/reports/my/").content.decode()
    main = dept.split("<main")[1].split("</main>")[0]
    assert "其他单位任务中的我方分报告" in main and "我牵头的任务进展报告" in main
    assert "/reports/returns/" not in main  # a department files no county return
    admin = client_for("city_admin").get("/reports/my/").content.decode()
    assert "待市就业办审核" in admin
    leader = client_for("leader").get("/reports/my/")  # a leader's landing page: the watch list (my_work.todo)
    assert leader.status_code == 200 and "逾期未报的单位" in leader.content.decode()
    response = client_for("auditor").get("/reports/my/")
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert client_for("outsider").get("/reports/my/").status_code == 403
    assert client_for("anonymous").get("/reports/my/").status_code == 302


def test_returned_work_of_an_earlier_period_is_on_the_landing_page(client_for, personas):
    from reports.models import CountyReturn, ReportingPeriod
    from tests.targets_helpers import county

    CountyReturn.objects.create(region=county("汉滨区"), period=ReportingPeriod.objects.get(year=2024, quarter=1),
                                state="returned", review_comment="请核实")
    html = client_for("county_a").get("/reports/my/").content.decode()
    assert "汉滨区2024年第一季度季度报表" in html and "已退回" in html
    assert "/reports/returns/610902000000/2024Q1/" in html
    assert "2024年第一季度" not in client_for("county_b").get("/reports/my/").content.decode()


def test_certification_applications_waiting_for_the_user_are_on_the_landing_page(client_for, personas):
    from communities import pipeline
    from communities.models import Application, Tier
    from divisions.models import Region
    from tests.conftest import make_user

    community = Region.objects.filter(county__name="汉滨区", kind="community").order_by("code").first()
    application = Application.objects.create(
        community=community, county=community.county, tier=Tier.objects.get(code="municipal"), state="in_review",
        step="county", steps="county,city", created_by=personas["county_a"], submitted_by=personas["county_a"])
    reviewer = make_user("county_a_reviewer", roles=["county_officer"], county="汉滨区")
    assert pipeline.can_review(application, reviewer) and not pipeline.can_review(application, personas["county_a"])
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    html = client.get("/reports/my/").content.decode()
    assert f"/communities/applications/{application.pk}/" in html
    assert f"/communities/applications/{application.pk}/" not in client_for("county_a").get("/reports/my/").content.decode()
