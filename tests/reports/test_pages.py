"""The returns pages in the browser: each persona's view, the forms, and an outsider test for each."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from kernel.numbers import figure_text
from reports.models import CountyReturn
from tests.reports.test_county_returns import full_figures

pytestmark = pytest.mark.django_db
URL = "/reports/returns/610902000000/2024Q3/"  # 汉滨区


@pytest.fixture(autouse=True)
def in_window():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        yield


def post_figures(client, action="save", version=0, figures=None, **extra):
    data = {"action": action, "version": version, **extra}
    for code, comps in (figures or full_figures()).items():
        for comp, value in comps.items():
            data[f"v__{code}__{comp}"] = value
    return client.post(URL, data)


def test_anonymous_outsider_and_auditor_see_nothing(client_for):
    for url in ["/reports/", URL]:
        assert client_for("anonymous").get(url).status_code == 302
        for persona in ("outsider", "auditor", "lead_officer"):
            assert client_for(persona).get(url).status_code == 404, (persona, url)


def test_another_county_is_a_404(client_for):
    assert client_for("county_b").get(URL).status_code == 404
    assert client_for("county_b").post(URL, {"action": "save", "version": 0}).status_code == 404
    assert not CountyReturn.objects.exists()


def test_county_officer_fills_in_saves_and_submits(client_for):
    client = client_for("county_a")
    page = client.get(URL).content.decode()
    assert "城镇新增就业人数" in page and "保存草稿" in page
    response = post_figures(client, "save")
    assert response.status_code == 302
    r = CountyReturn.objects.get()
    assert r.state == "draft"
    response = post_figures(client, "submit", version=r.version)
    assert response.status_code == 302
    assert CountyReturn.objects.get().state == "submitted"
    assert "已报送" in client.get("/reports/?period=2024Q3").content.decode()


def test_bad_figures_are_refused_with_a_chinese_message_per_figure(client_for):
    client = client_for("county_a")
    figures = full_figures()
    figures["registered_unemployment_rate"] = {"registered_unemployed": "5", "urban_labour_force": "0"}
    response = post_figures(client, "save", figures=figures)
    assert response.status_code == 400
    html = response.content.decode()
    assert "分母不能为零" in html and "未保存" in html


def test_stale_form_is_a_409_naming_who_changed_it(client_for, personas):
    client = client_for("county_a")
    post_figures(client, "save")
    r = CountyReturn.objects.get()
    stale = r.version
    post_figures(client, "save", version=stale)
    response = post_figures(client, "save", version=stale)
    assert response.status_code == 409
    assert "county_a" in response.content.decode()


def test_office_reviews_in_the_browser_and_leader_only_reads(client_for):
    county_client = client_for("county_a")
    post_figures(county_client, "save")
    post_figures(county_client, "submit", version=CountyReturn.objects.get().version)
    leader_page = client_for("leader").get(URL).content.decode()
    assert "审核通过" not in leader_page and "保存草稿" not in leader_page
    admin = client_for("city_admin")
    assert "审核通过" in admin.get(URL).content.decode()
    r = CountyReturn.objects.get()
    response = admin.post(URL, {"action": "send_back", "version": r.version, "comment": ""})
    assert response.status_code == 400 and CountyReturn.objects.get().state == "submitted"
    response = admin.post(URL, {"action": "send_back", "version": r.version, "comment": "请核实"})
    assert response.status_code == 302 and CountyReturn.objects.get().state == "returned"
    assert "请核实" in county_client.get(URL).content.decode()
    assert client_for("leader").post(URL, {"action": "approve", "version": r.version + 1}).status_code == 403


def test_inbox_counts_and_overdue(client_for):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 11)):  # a day after due
        html = client_for("city_admin").get("/reports/?period=2024Q3").content.decode()
    # the ten counties and the city's own return (the statistics officer's)
    assert html.count("逾期") >= 11 and "未开始 11" in html


def test_correction_in_the_browser(client_for):
    from reports.models import Correction

    county_client = client_for("county_a")
    post_figures(county_client, "save")
    post_figures(county_client, "submit", version=CountyReturn.objects.get().version)
    admin = client_for("city_admin")
    admin.post(URL, {"action": "approve", "version": CountyReturn.objects.get().version})
    assert "申请更正" in county_client.get(URL).content.decode()
    figures = full_figures()
    figures["urban_new_jobs"] = {"value": "14"}
    response = post_figures(county_client, "correct", version=CountyReturn.objects.get().version, figures=figures,
                            reason="漏报")
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.indicator.code == "urban_new_jobs"
    response = admin.post(URL, {"action": "correction_approve", "correction": correction.pk,
                                "version": CountyReturn.objects.get().version})
    assert response.status_code == 302 and Correction.objects.get().state == "approved"
    html = county_client.get(URL).content.decode()
    unit = Correction.objects.get().items.get().value.component.unit  # shown by the one number format: 10 人
    assert f"<del>{figure_text(10, unit)}</del>" in html and f"<strong>{figure_text(14, unit)}</strong>" in html
    assert client_for("county_b").post(URL, {"action": "correction_approve", "correction": correction.pk}).status_code == 404
