"""Issue 17 part 3: every role lands on its own to-do list (待办) — direct links, the state, the
deadline and the days left (or how long an item has waited for a reviewer, oldest first); a leader
on a watch list. "Today" is frozen: days are counted from it."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest

from communities.models import Application, Tier
from divisions.models import Region
from reports.models import CountyReturn, PeriodException, ReportingPeriod
from reports.services import instruction_give, task_part_return
from tasks.models import Task
from tests.reports.test_compilation import sent_part
from tests.reports.test_county_returns import submitted

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 10, 5)  # 2024Q3 open for entry, due 2024-10-10: 5 days left


def todo_of(client) -> str:
    """The to-do section of the landing page as text, one row a line."""
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        response = client.get("/reports/my/")
    assert response.status_code == 200
    html = response.content.decode().split('<section class="todo')[1].split("</section>")[0]
    html = re.sub(r"</tr>|</h3>", "\n", re.sub(r"\s+", " ", html))
    return re.sub(r" +", " ", re.sub(r"<[^>]+>", " ", html))


def links_of(client) -> set[str]:
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        html = client.get("/reports/my/").content.decode()
    return set(re.findall(r'href="(/[^"#?]*)', html.split('<section class="todo')[1].split("</section>")[0]))


def period(label: str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=int(label[:4]), quarter=int(label[-1]))


def task(number: int) -> Task:
    return Task.objects.get(plan__code="ankang-2022", number=number)


def test_a_county_officer_has_its_returns_and_instructions_with_days_left(personas, client_for):
    county = Region.objects.get(level="county", name="汉滨区")
    returned = CountyReturn.objects.create(region=county, period=period("2024Q1"), state="returned",
                                           review_comment="请核实第3项")
    PeriodException.objects.create(region=county, period=period("2024Q1"), open_until=dt.date(2024, 10, 8),
                                   reason="退回修改", opened_by=personas["city_admin"])
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        instruction_give(task=task(6), text="请汉滨区加快推进", user=personas["leader"], deadline=dt.date(2024, 10, 20),
                         units=[county], today=TODAY)
    text = todo_of(client_for("county_a"))
    rows = text.splitlines()
    this_quarter = next(row for row in rows if "汉滨区2024年第三季度季度报表" in row)
    assert "未开始" in this_quarter and "2024年10月10日" in this_quarter and "还剩5天" in this_quarter
    earlier = next(row for row in rows if "汉滨区2024年第一季度季度报表" in row)
    assert "已退回" in earlier and "请核实第3项" in earlier and "还剩3天" in earlier  # the exception's last day
    instruction = next(row for row in rows if "请汉滨区加快推进" in row)
    assert "还剩15天" in instruction
    links = links_of(client_for("county_a"))
    assert {"/reports/returns/610902000000/2024Q3/", "/reports/returns/610902000000/2024Q1/"} <= links
    assert returned.pk and "石泉县" not in text
    assert "汉滨区" not in todo_of(client_for("county_b"))  # another county sees none of it


def test_days_overdue_once_the_due_date_has_passed(client_for):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        html = client_for("county_a").get("/reports/my/").content.decode()
    assert "已逾期5天" in html and "2024年10月10日" in html


def test_department_officers_have_reports_to_compile_and_parts_to_file(personas, client_for):
    part = sent_part(personas["co_officer"], number=6)  # 市商务局's part of task 6 (lead 市工信局)
    task_part_return(part=part, version=part.version, user=personas["lead_officer"], comment="请补充数据")
    lead = todo_of(client_for("lead_officer"))
    assert "待汇总报送的任务进展报告（我牵头）" in lead
    row = next(r for r in lead.splitlines() if "6. 建立企业用工保障机制 · 2024年第三季度" in r)
    assert "还剩5天" in row and "已收到0/6个分报告" in row
    co = todo_of(client_for("co_officer"))
    row = next(r for r in co.splitlines() if "6. 建立企业用工保障机制 · 2024年第三季度" in r)
    assert "牵头单位已退回" in row and "还剩5天" in row
    assert "/reports/tasks/6/2024Q3/" in links_of(client_for("co_officer"))
    assert "/reports/returns/" not in " ".join(links_of(client_for("co_officer")))


def test_the_office_sees_what_waits_oldest_first(personas, client_for):
    first = submitted(personas, "石泉县")
    second = submitted(personas, "汉滨区")
    CountyReturn.objects.filter(pk=first.pk).update(submitted_at=dt.datetime(2024, 10, 1, 9, tzinfo=dt.UTC))
    CountyReturn.objects.filter(pk=second.pk).update(submitted_at=dt.datetime(2024, 10, 3, 9, tzinfo=dt.UTC))
    text = todo_of(client_for("city_admin"))
    assert text.index("石泉县2024年第三季度季度报表") < text.index("汉滨区2024年第三季度季度报表")
    assert "已等待4天" in text and "已等待2天" in text


def test_a_leader_lands_on_a_watch_list(personas, client_for):
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2024, 10, 15)):
        instruction_give(task=task(2), text="园区就业要抓紧", user=personas["leader"], deadline=dt.date(2024, 10, 18),
                         today=dt.date(2024, 10, 15))
        response = client_for("leader").get("/reports/my/")
    assert response.status_code == 200  # no longer sent elsewhere: the leader's own landing page
    html = response.content.decode()
    for heading in ("进度滞后的目标", "逾期未报的单位", "我作出的未办结批示"):
        assert heading in html
    assert "园区就业要抓紧" in html and "还剩3天" in html
    assert "石泉县2024年第三季度季度报表" in html and "已逾期5天" in html


def test_a_town_officer_has_the_applications_at_the_town(personas, client_for):
    community = Region.objects.filter(parent__name="新城街道", kind="community").order_by("code").first()
    application = Application.objects.create(
        community=community, county=community.county, tier=Tier.objects.get(code="municipal"), state="in_review",
        step="town", steps="town,county,city", created_by=personas["county_a"], submitted_by=personas["county_a"],
        submitted_at=dt.datetime(2024, 10, 2, 9, tzinfo=dt.UTC))
    text = todo_of(client_for("town_officer"))
    assert community.name in text and "已等待3天" in text
    assert f"/communities/applications/{application.pk}/" in links_of(client_for("town_officer"))
