"""The final assessment in a real browser (Playwright driving Debian's Chromium, as
tests/dashboards/test_browser.py): the demo's issued 2021–2025 assessment loads without console
errors or failed requests and fits the screen at 1280 px and at 390 px; a screenshot of each is
saved under var/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1). Skipped where the
browser is missing, failed then under REQUIRE_SERVICES=1 (the dashboards' fixtures)."""

from __future__ import annotations

from tests.dashboards.test_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    SHOTS,
    WIDTHS,
    demo_leader,
    playwright_api,
    reference_data_restored,
)


def test_the_issued_assessment_in_the_browser(playwright_api, demo_leader, live_server):  # noqa: F811
    from accounts.models import User
    from seeding.demo.assessment import demo_assessment_seed

    assessment = demo_assessment_seed(drafter=User.objects.get(username="demo_admin"),
                                      checker=User.objects.get(username="demo_admin2"))
    assert assessment.state == "issued" and assessment.files_state == "done"
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            for device, (width, height) in WIDTHS.items():
                context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
                context.add_cookies([{"name": "sessionid", "value": demo_leader, "url": live_server.url}])
                page = context.new_page()
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                        if m.type == "error" else None)
                page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
                page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
                response = page.goto(live_server.url + "/plans/ankang-2022/assessment/", wait_until="load")
                assert response is not None and response.status == 200
                text = page.locator("main").text_content() or ""
                assert assessment.doc_number in text and "已签发" in text and "城镇新增就业" in text
                overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (device, overflow)
                page.screenshot(path=str(SHOTS / f"assessment-{device}.png"), full_page=True)
                context.close()
        finally:
            browser.close()
    assert problems == []


def test_the_annual_assessment_in_the_browser(playwright_api, demo_leader, live_server):  # noqa: F811
    """The demo's issued 2025 annual assessment: loads cleanly, fits 1280 px and 390 px, ranks with
    its rules, and a score opens to the records behind it."""
    from accounts.models import User
    from seeding.demo.annual import demo_annual_seed

    done = demo_annual_seed(drafter=User.objects.get(username="demo_admin"),
                            checker=User.objects.get(username="demo_admin2"))
    issued = next(a for a in done if a.year == 2025)
    assert issued.state == "issued" and issued.files_state == "done"
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        try:
            for device, (width, height) in WIDTHS.items():
                context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
                context.add_cookies([{"name": "sessionid", "value": demo_leader, "url": live_server.url}])
                page = context.new_page()
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                        if m.type == "error" else None)
                page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
                page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
                response = page.goto(live_server.url + "/assessments/annual/2025/", wait_until="load")
                assert response is not None and response.status == 200
                text = page.locator("main").text_content() or ""
                assert issued.doc_number in text and "已签发" in text and "评分规则" in text
                page.locator("details.drill summary").first.click()
                assert page.locator("details.drill a").first.is_visible()
                overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (device, overflow)
                page.screenshot(path=str(SHOTS / f"annual-assessment-{device}.png"), full_page=False)
                context.close()
        finally:
            browser.close()
    assert problems == []
