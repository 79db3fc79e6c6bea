"""Never lose typed work, in a real browser (Playwright driving Debian's Chromium, as
tests/dashboards/test_browser.py): the part autosaves while the officer types, a conflict is shown
and stops autosaving (nothing overwritten), and submitting asks first."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from reports.models import TaskReportPart
from tests.dashboards.test_browser import CHROMIUM, playwright_api, reference_data_restored  # noqa: F401

IN_WINDOW = dt.date(2024, 10, 15)
TASK_URL = "/reports/tasks/6/2024Q3/"


@pytest.fixture
def co_session(reference_data_restored, live_server, personas, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares this thread
    from django.test import Client

    client = Client()
    client.force_login(personas["co_officer"])
    with mock.patch("django.utils.timezone.localdate", return_value=IN_WINDOW):
        yield client.cookies["sessionid"].value


def the_part() -> TaskReportPart | None:
    return TaskReportPart.objects.filter(task__number=6, task__plan__code="ankang-2022", department__name="市商务局",
                                         period__year=2024, period__quarter=3).first()


def test_the_part_autosaves_shows_a_conflict_and_asks_before_sending(playwright_api, co_session, live_server,  # noqa: F811
                                                                      personas):
    from reports.services import task_part_save

    errors = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(locale="zh-CN")
        context.add_cookies([{"name": "sessionid", "value": co_session, "url": live_server.url}])
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(live_server.url + TASK_URL)
        page.locator("#part-measures").type("开展招聘会3场")
        status = page.locator("[data-autosave-status]").first
        status.filter(has_text="已自动保存").wait_for(timeout=15000)
        part = the_part()
        assert part is not None and part.measures == "开展招聘会3场"
        # a colleague saves meanwhile: the next autosave is a conflict, shown, and overwrites nothing
        task_part_save(part=part, fields={"measures": "同事的内容"}, version=part.version, user=personas["co_officer"])
        page.locator("#part-measures").type("，服务企业40家")
        page.locator(".alert-danger").filter(has_text="co_officer").wait_for(timeout=15000)
        assert the_part().measures == "同事的内容"
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
        page.click("button[value=part_submit]")
        page.wait_for_timeout(500)
        assert asked and "牵头单位" in asked[0]
        assert the_part().state == TaskReportPart.State.DRAFT  # not sent: the officer said no
        browser.close()
    # the browser logs the autosave's 409 answer itself; nothing else went wrong
    assert [e for e in errors if "409" not in e] == []
