"""The pages, as each persona gets them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

READERS = ["city_admin", "lead_officer", "co_officer", "county_a", "leader"]


def test_anonymous_is_sent_to_login(client_for):
    for url in ["/", "/plans/ankang-2022/", "/plans/ankang-2022/tasks/1/", "/plans/ankang-2022/assessment/",
                "/regions/", "/audit/"]:
        response = client_for("anonymous").get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("persona", READERS)
def test_first_page_shows_the_whole_plan_in_chinese(client_for, persona):
    response = client_for(persona).get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    html = response.content.decode()
    assert "关于创建高质量充分就业市的实施意见" in html and "安政办发〔2022〕11号" in html
    for title in ["增强市场吸纳就业能力", "建立企业用工保障机制", "扩大基层就业规模", "创新智慧就业服务内容", "营造浓厚氛围"]:
        assert title in html
    assert "牵头 · 市工信局" in html  # task 2's and task 6's lead, labelled
    assert "主要目标" in html and "≥ 100,000 人" in html and "≤ 4.00%" in html and "≤ 5.50%" in html
    assert "实施意见" in html and "退出" in html  # the UI itself is Chinese despite an English browser


def test_language_switch_to_english_and_back(client_for):
    client = client_for("leader")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert "Implementation Opinions on Creating a High-Quality Full-Employment City" in html
    assert "Main targets" in html and "Municipal Bureau of Industry and Information Technology" in html
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}, follow=True)
    assert "主要目标" in response.content.decode()


def test_task_page_lists_departments_in_document_order(client_for):
    html = client_for("county_a").get("/plans/ankang-2022/tasks/6/").content.decode()
    positions = [html.index(name) for name in ["市工信局", "市人社局", "市教体局", "市文旅广电局", "市商务局", "市农业农村局", "市总工会"]]
    assert positions == sorted(positions)
    assert "牵头单位" in html and "市国资委" not in html.split("</h1>")[0]


def test_outsider_gets_no_plan(client_for):
    client = client_for("outsider")
    assert client.get("/").status_code == 403
    assert client.get("/plans/ankang-2022/").status_code == 404
    assert client.get("/plans/ankang-2022/tasks/1/").status_code == 404
    assert client.get("/plans/ankang-2022/assessment/").status_code == 404
    assert client.get("/regions/").status_code == 404  # not a plan reader: no empty list either
    assert client.get("/audit/").status_code == 404


def test_missing_and_forbidden_answer_alike(client_for):
    assert client_for("leader").get("/plans/no-such-plan/").status_code == 404
    assert client_for("leader").get("/plans/ankang-2022/tasks/99/").status_code == 404


def test_auditor_lands_on_the_audit_trail(client_for):
    client = client_for("auditor")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/audit/"
    html = client.get("/audit/").content.decode()
    assert "审计日志" in html
    assert client.get("/plans/ankang-2022/").status_code == 404


def test_regions_pages(client_for):
    client = client_for("county_a")
    html = client.get("/regions/").content.decode()
    assert "10个县（市、区），139个镇（街道），1620个村，304个社区" in html
    assert "汉滨区" in html and "旬阳市" in html
    html = client.get("/regions/610902000000/").content.decode()
    assert "老城街道" in html
    html = client.get("/regions/610902001000/").content.decode()
    assert "西大街社区居委会" in html


def test_plan_page_query_count_is_constant(client_for, plan):
    from tasks.models import Responsibility, Task

    client = client_for("leader")
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    section = plan.sections.get(key="tasks.5")
    lead = plan.tasks.get(number=1).responsibilities.get(role="lead").department
    for n in range(23, 43):  # twenty more tasks with departments
        task = Task.objects.create(plan=plan, section=section, number=n, title=f"任务{n}", clause="…")
        Responsibility.objects.create(task=task, department=lead, role="lead", order=1)
    with CaptureQueriesContext(connection) as after:
        html = client.get("/").content.decode()
    assert "任务42" in html
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_region_page_query_count_is_constant(client_for):
    client = client_for("leader")
    client.get("/regions/")
    with CaptureQueriesContext(connection) as counties:
        client.get("/regions/")
    with CaptureQueriesContext(connection) as hanbin:
        client.get("/regions/610902000000/")
    assert len(hanbin) <= len(counties) + 1  # + the parent lookup


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_login_page_is_chinese_and_logs_in(client, personas):
    from tests.conftest import PASSWORD

    assert "登录" in client.get("/accounts/login/").content.decode()
    response = client.post("/accounts/login/", {"username": "leader", "password": "wrong"})
    assert "用户名或密码错误" in response.content.decode()
    response = client.post("/accounts/login/", {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/reports/my/"


@pytest.mark.parametrize("url", ["/communities/?county=%00", "/communities/applications/?state=a%00b",
                                 "/targets/?q%00=1", "/reports/?period=2026Q3%00"])
def test_a_nul_character_in_a_query_is_a_400_not_a_server_error(client_for, url):
    response = client_for("city_admin").get(url)
    assert response.status_code == 400 and "空字符" in response.content.decode()


def test_a_nul_character_in_a_form_field_is_a_400(client_for):
    response = client_for("county_a").post("/communities/applications/new/", {"community": "6109\x00", "tier": "x"})
    assert response.status_code == 400 and "空字符" in response.content.decode()


def test_a_malformed_multipart_form_is_a_400(client_for):
    response = client_for("county_a").generic("POST", "/communities/applications/new/", b"--x\r\nbroken",
                                              content_type="multipart/form-data")
    assert response.status_code == 400
