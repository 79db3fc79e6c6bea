"""The dashboards in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium, with
fonts-noto-cjk), locale zh-CN, over the demo dataset. Every dashboard loads with its charts drawn,
without console errors or failed requests, at 1280 px and at 390 px (a phone); a screenshot of
each is saved under var/screenshots/ — or, with UPDATE_SCREENSHOTS=1, under docs/screenshots/
(what the README shows), so an ordinary test run leaves the checkout clean.

Needs the browser: `apt-get install chromium fonts-noto-cjk` and `pip install playwright` (in
requirements-dev.txt; no `playwright install`, no browser download)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import reference_data_load

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") == "1" else "var") / "screenshots"
PAGES = {
    "overview": "/dashboards/",
    "target": "/dashboards/targets/urban_new_jobs/",
    "target-rate": "/dashboards/targets/registered_unemployment_rate/",
    "county": "/dashboards/counties/610902000000/",
    "tasks": "/dashboards/tasks/",
    "certification": "/dashboards/certification/",
    "rankings": "/dashboards/rankings/",
    "certification-progress": "/communities/progress/",
    "behind": "/dashboards/behind/",
}
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}



@pytest.fixture
def playwright_api(settings):
    """Playwright and Debian's Chromium. Missing on a laptop: skipped, saying why; missing in CI
    (REQUIRE_SERVICES=1, where .ci/run installs them): a failure."""
    problem = None
    try:
        import playwright.sync_api as api
    except ImportError:
        api, problem = None, "playwright is not installed (requirements-dev.txt)"
    if problem is None and shutil.which(CHROMIUM) is None:
        problem = f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    if problem:
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {problem}")
        pytest.skip(problem)
    return api


@pytest.fixture
def reference_data_restored(django_db_blocker):
    """live_server needs a transactional database, which is flushed afterwards: put back the
    divisions, the plan and the periods every other test expects (set up before the database
    fixture, so torn down after the flush). Loaded first as well, all idempotent: another
    transactional test may have run before this one."""
    with django_db_blocker.unblock():
        reference_data_load()
    yield
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def demo_leader(reference_data_restored, live_server, settings, monkeypatch):
    """The demo dataset (what `dev.py run` shows) and the demo leader's session cookie."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares this thread
    settings.DEMO_MODE = True
    from django.test import Client

    from accounts.models import User
    from seeding.demo.accounts import demo_accounts_seed
    from seeding.demo.certification import demo_applications_seed, demo_certifications_seed, demo_profiles_seed
    from seeding.demo.figures import demo_values_seed
    from seeding.demo.reporting import demo_returns_seed, demo_task_reports_seed
    from targets.rollup import rollup

    users = demo_accounts_seed()
    admin = next(u for u in users if u.username == "demo_admin")
    demo_values_seed(approver=admin)
    demo_certifications_seed()
    demo_profiles_seed()
    demo_returns_seed(admin=admin)
    demo_task_reports_seed(admin=admin)
    demo_applications_seed(users={u.username: u for u in users})
    rollup(trigger="test")
    client = Client()
    client.force_login(User.objects.get(username="demo_leader"))
    return client.cookies["sessionid"].value


def test_every_dashboard_draws_its_charts_in_chinese_without_errors(playwright_api, demo_leader, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            for device, (width, height) in WIDTHS.items():
                context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height},
                                              device_scale_factor=1)
                context.add_cookies([{"name": "sessionid", "value": demo_leader, "url": live_server.url}])
                page = context.new_page()
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                        if m.type == "error" else None)
                page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
                page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
                page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
                for name, path in PAGES.items():
                    response = page.goto(live_server.url + path, wait_until="load")
                    assert response is not None and response.status == 200, (path, response and response.status)
                    assert page.locator("html").get_attribute("lang") == "zh-CN"
                    charts = page.locator("[data-chart]")
                    if name == "behind":  # the leader's page: a table, no chart; real items from the demo
                        text = page.locator("main").inner_text()
                        assert "滞后" in text and "市人社局" in text and "逾期未办结的领导批示" in text, text[:500]
                    else:
                        assert charts.count() > 0, path
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('[data-chart]')].every(e => e.dataset.drawn === '1')",
                        timeout=10_000)
                    drawn = page.eval_on_selector_all(
                        "[data-chart]", "els => els.map(e => [e.dataset.chart, e.clientWidth, e.clientHeight,"
                        " e.querySelectorAll('svg path, svg text').length])")
                    for kind, w, h, shapes in drawn:
                        assert w > 0 and h > 0 and shapes > 0, (path, kind, w, h, shapes)
                    if "targets/" in path:  # the county map is stamped 示意图 and names the counties
                        svg_text = page.locator("[data-chart=countyMap] svg").text_content() or ""
                        assert "示意图" in svg_text and "汉滨区" in svg_text
                    # nothing wider than the screen but the tables' own scrollers
                    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 1, (path, device, overflow)
                    page.screenshot(path=str(SHOTS / f"{name}-{device}.png"), full_page=True)
                context.close()
        finally:
            browser.close()
    assert problems == []
