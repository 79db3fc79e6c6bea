"""Compute once, serve many: the dashboards' figures are cached per roll-up generation and per
reader's scope (dashboards/caching.py). An approval and its roll-up show on the next request; a
change no roll-up made does not (so the cache is really read); and one county's cached view never
reaches another county."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dashboards.caching import key_for, per_generation, scope_of
from targets.generation import KEY, generation_bump, generation_current
from targets.models import Snapshot
from tests.dashboards.test_pages import chart_data
from tests.targets_helpers import approve

TARGET = "/dashboards/targets/urban_new_jobs/?quarter=2024Q1"
HANBIN, SHIQUAN = "610902000000", "610922000000"



@pytest.fixture
def figures(db):
    approve("urban_new_jobs", "汉滨区", "2024Q1", value=1200)
    approve("urban_new_jobs", "石泉县", "2024Q1", value=300)


def test_an_approval_and_its_roll_up_are_visible_on_the_next_request(client_for, figures):
    leader = client_for("leader")
    first = leader.get(TARGET)
    assert first.status_code == 200
    trend = chart_data(first)["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 1500.0

    approve("urban_new_jobs", "紫阳县", "2024Q1", value=500)  # approval → roll-up → new generation
    trend = chart_data(leader.get(TARGET))["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 2000.0


def test_the_second_request_reads_the_cache_and_only_a_roll_up_invalidates_it(client_for, figures):
    leader = client_for("leader")
    leader.get(TARGET)  # fills the cache
    with CaptureQueriesContext(connection) as cached:
        leader.get(TARGET)
    # a change no roll-up made is not seen: the page is served from the cache …
    Snapshot.objects.filter(plan__code="ankang-2022", indicator__code="urban_new_jobs", region__level="city",
                            year=2024, quarter=1).update(value=D(9999))
    trend = chart_data(leader.get(TARGET))["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 1500.0
    # … until a roll-up changes the generation, on every process (the number is in the shared cache)
    before = generation_current()
    generation_bump()
    assert generation_current() != before and cache.get(KEY) == generation_current()
    with CaptureQueriesContext(connection) as recomputed:
        trend = chart_data(leader.get(TARGET))["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 9999.0
    assert len(cached) < len(recomputed)  # the cached request skipped the snapshot queries


@pytest.mark.parametrize("url", ["/dashboards/", "/dashboards/certification/", "/dashboards/rankings/?quarter=2024Q1",
                                 f"/dashboards/counties/{HANBIN}/", TARGET])
def test_every_cached_page_reads_less_the_second_time(client_for, figures, url):
    leader = client_for("leader")
    with CaptureQueriesContext(connection) as first:
        assert leader.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert leader.get(url).status_code == 200
    assert len(second) < len(first), url


def test_a_county_cached_view_never_reaches_another_county(client_for, personas, plan, figures):
    county_a, county_b = client_for("county_a"), client_for("county_b")  # 汉滨区, 石泉县
    assert scope_of(personas["county_a"]) != scope_of(personas["county_b"])
    assert scope_of(personas["leader"]) == scope_of(personas["city_admin"]) == "city"
    # 汉滨区's officer fills the cache with their county's page …
    page_a = county_a.get(f"/dashboards/counties/{HANBIN}/")
    assert page_a.status_code == 200 and "汉滨区" in page_a.content.decode()
    # … which 石泉县's officer still cannot open, and their own page is their own county's
    assert county_b.get(f"/dashboards/counties/{HANBIN}/").status_code == 404
    page_b = county_b.get(f"/dashboards/counties/{SHIQUAN}/")
    assert page_b.status_code == 200
    rows = chart_data(page_b)["bars"]["series"][0]["data"]
    assert all(SHIQUAN in (row["url"] or SHIQUAN) for row in rows)
    # a key never matches across scopes, whatever the page: another county's reader computes afresh
    assert key_for("county-rows", user=personas["county_a"], plan=plan) != key_for(
        "county-rows", user=personas["county_b"], plan=plan)
    calls = []
    per_generation("probe", user=personas["county_a"], plan=plan, compute=lambda: calls.append("a") or "A's")
    assert per_generation("probe", user=personas["county_b"], plan=plan,
                          compute=lambda: calls.append("b") or "B's") == "B's"
    assert per_generation("probe", user=personas["county_a"], plan=plan, compute=lambda: "never") == "A's"
    assert calls == ["a", "b"]


# ---------------------------------------------------------------- whole pages: O(1) queries warm, still correct

# A warm (cached) page costs only the reader's own lookups: the session, the user with their roles
# (one statement on PostgreSQL: accounts/backends.py), the notifications badge and the plan
# switcher — no transaction around them (the dashboards only read: dashboards.views.reads_only).
# Nothing about the page itself: no snapshot, region, target or report is read.
WARM_QUERIES = 4 if connection.vendor == "postgresql" else 5
OWN_TABLES = ("django_session", "accounts_user", "accounts_roleassignment", "reports_notification", "tasks_plan")
EVERY_PAGE = ["/dashboards/", "/dashboards/targets/urban_new_jobs/", "/dashboards/targets/registered_unemployment_rate/",
              TARGET, f"/dashboards/counties/{HANBIN}/", "/dashboards/tasks/", "/dashboards/certification/",
              "/dashboards/rankings/?quarter=2024Q1", "/dashboards/behind/"]


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def _tables_read(captured) -> set[str]:
    import re

    return {m for q in captured for m in re.findall(r'FROM "(\w+)"', q["sql"])}


@pytest.mark.parametrize("url", EVERY_PAGE)
def test_a_warm_page_reads_only_the_readers_own_rows(client_for, figures, django_assert_max_num_queries, url):
    leader = client_for("leader")
    cold = leader.get(url)
    assert cold.status_code == 200
    with django_assert_max_num_queries(WARM_QUERIES) as warm_queries:
        warm = leader.get(url)
    assert warm.status_code == 200
    assert _tables_read(warm_queries.captured_queries) <= set(OWN_TABLES), url
    assert not [q for q in warm_queries.captured_queries if q["sql"].startswith(("BEGIN", "SAVEPOINT", "COMMIT"))]
    # the same page: body and chart data
    assert chart_data(warm) == chart_data(cold) and main_of(warm) == main_of(cold)


@pytest.mark.parametrize("url", [f"/dashboards/counties/{HANBIN}/", "/dashboards/", TARGET])
def test_a_county_officers_warm_page_costs_as_little(client_for, figures, django_assert_max_num_queries, url):
    officer = client_for("county_a")
    assert officer.get(url).status_code == 200
    with django_assert_max_num_queries(WARM_QUERIES):
        assert officer.get(url).status_code == 200


def test_an_export_is_served_from_the_pages_entry(client_for, figures, django_assert_max_num_queries):
    leader = client_for("leader")
    leader.get(TARGET)
    with django_assert_max_num_queries(WARM_QUERIES):
        response = leader.get(TARGET + "&export=counties&format=csv")
    assert response.status_code == 200 and "汉滨区" in response.content.decode("utf-8-sig")


def test_a_county_officers_cached_overview_never_reaches_another_county(client_for, figures):
    county_a, county_b = client_for("county_a"), client_for("county_b")
    page_a = county_a.get("/dashboards/").content.decode()  # fills 汉滨区's entry first
    assert f"/dashboards/counties/{HANBIN}/" in page_a and f"/dashboards/counties/{SHIQUAN}/" not in page_a
    page_b = county_b.get("/dashboards/").content.decode()
    assert f"/dashboards/counties/{SHIQUAN}/" in page_b and f"/dashboards/counties/{HANBIN}/" not in page_b
    # and a cached county page is still refused to the other county's officer
    assert county_a.get(f"/dashboards/counties/{HANBIN}/").status_code == 200
    assert county_b.get(f"/dashboards/counties/{HANBIN}/").status_code == 404


def test_a_reporting_record_changed_without_a_roll_up_shows_on_the_next_request(client_for, plan, figures):
    """Task reports, returns and instructions move the records' generation when saved (no roll-up
    follows them): the cached task board is not served after one changed."""
    import datetime

    from django.utils import timezone

    from reports.models import ReportingPeriod, TaskReport
    from tasks.models import Task

    leader = client_for("leader")
    url = "/dashboards/tasks/?period=2023Q1"
    period = ReportingPeriod.objects.get(year=2023, quarter=1)
    task = Task.objects.get(plan=plan, number=2)

    first = leader.get(url)
    assert first.status_code == 200 and "rows" in first.context  # computed
    second = leader.get(url)
    assert "rows" not in second.context and main_of(second) == main_of(first)  # served from the cache
    due = datetime.datetime.combine(period.due_on, datetime.time(12), tzinfo=timezone.get_current_timezone())
    TaskReport.objects.create(task=task, period=period, state="approved", first_submitted_at=due)
    after = leader.get(url)
    rows = {row.task.number: row for row in after.context["rows"]}  # computed afresh: the context is there
    col = [p.pk for p in after.context["grid_periods"]].index(period.pk)
    assert rows[2].cells[col].state == "approved"


def test_the_readers_own_parts_stay_their_own_on_a_shared_page(client_for, personas, plan, figures):
    """Two leaders share the city's cached pages, but the badge, the name in the navigation and the
    instructions a leader gave (the overview's 督办 list) are each one's own."""
    import datetime

    from accounts.roles import Role
    from divisions.models import Region
    from reports.models import Instruction, InstructionUnit, Notification
    from tasks.models import Task
    from tests.conftest import make_user

    other = make_user("leader_two", roles=[Role.LEADER])
    first, second = client_for("leader"), Client()
    second.force_login(other)
    instruction = Instruction.objects.create(task=Task.objects.get(plan=plan, number=2), author=personas["leader"],
                                             text="限期完成督办事项", deadline=datetime.date(2020, 1, 1))
    InstructionUnit.objects.create(instruction=instruction, region=Region.objects.get(level="county", name="汉滨区"))
    for url in ("/dashboards/", TARGET):
        assert first.get(url).status_code == 200  # fills the city's entry
        Notification.objects.create(recipient=other, kind=Notification.Kind.REVIEW, key="t", title="请审核")
        html = second.get(url).content.decode()
        assert f">{other}<" in html and f">{personas['leader']}<" not in html
        assert 'text-bg-warning ms-1">1<' in html  # the other leader's unread notification
        assert "限期完成督办事项" not in html  # not theirs
        mine = first.get(url).content.decode()
        assert 'text-bg-warning ms-1">' not in mine
        assert ("限期完成督办事项" in mine) == (url == "/dashboards/")
        Notification.objects.filter(recipient=other).delete()


def test_a_draft_save_of_a_returns_figures_keeps_the_cached_pages_but_opening_or_changing_a_return_does_not(personas):
    """A county's draft save (the form, an import, the API's push) changes its figures — value rows
    no dashboard reads (they show approved figures, through the roll-up) — and only the return's
    version, editor and time: the records' generation stays, so a county system pushing every few
    seconds does not make every dashboard compute afresh. Opening a return (the county page lists
    it) or changing what a dashboard shows of it (its state) moves the generation."""
    import datetime
    from unittest import mock

    from kernel.generations import RECORDS, generations_current
    from reports.models import ReportingPeriod
    from reports.services import county_return_open, county_return_save
    from tests.targets_helpers import county

    period, officer = ReportingPeriod.objects.get(year=2024, quarter=3), personas["county_a"]
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2024, 10, 15)):
        before = generations_current(RECORDS)
        county_return = county_return_open(region=county("汉滨区"), period=period, user=officer)
        opened = generations_current(RECORDS)
        assert opened != before
        for value in ("120", "121"):
            county_return = county_return_save(county_return=county_return, figures={"urban_new_jobs": {"value": value}},
                                               version=county_return.version, user=officer)
        assert generations_current(RECORDS) == opened
    assert county_return.version == 3 and county_return.history.count() == 3  # each save is still in the history
    county_return.state = "submitted"
    county_return.save()
    assert generations_current(RECORDS) != opened


def test_a_warm_page_is_one_read_of_the_cache_and_an_entry_of_older_generations_is_never_served(client_for, figures,
                                                                                                  monkeypatch):
    """The generations and the page are read together (dashboards/caching.py: ``cached_page``); the
    entry carries the generations it was computed under. A request that read older numbers and
    stores its page late (it raced a roll-up) leaves an entry the next request recomputes."""
    import dashboards.caching as caching
    from kernel.generations import RECORDS, generations_current

    leader = client_for("leader")
    calls, depth = [], [0]

    def counted(name, original):
        def call(*args, **kwargs):
            if not depth[0]:  # what the page asks, not what a cache does inside (LocMemCache.get_many gets each)
                calls.append((name, args[0]))
            depth[0] += 1
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1
        return call

    for name in ("get", "get_many", "set_many"):
        monkeypatch.setattr(caching.cache, name, counted(name, getattr(caching.cache, name)))
    leader.get(TARGET)  # fills the cache
    [stored] = [keys for name, keys in calls if name == "set_many"]
    [key] = [k for k in stored if not k.endswith(":tables")]
    calls.clear()
    leader.get(TARGET)
    assert [name for name, _keys in calls] == ["get_many"], calls  # the generations and the page, in one round trip
    monkeypatch.undo()

    generations, page = cache.get(key)
    assert generations == generations_current(KEY, RECORDS)
    Snapshot.objects.filter(plan__code="ankang-2022", indicator__code="urban_new_jobs", region__level="city",
                            year=2024, quarter=1).update(value=D(7777))
    generation_bump()  # a roll-up …
    cache.set(key, (generations, page))  # … and a request that raced it writes its older page last
    trend = chart_data(leader.get(TARGET))["trend"]
    assert trend["value"][trend["quarters"].index("2024年第一季度")] == 7777.0  # recomputed, not the late entry
