"""The browser walk (issue 17 part 7): Playwright on Debian's Chromium opens every page of the site
(every HTML page of the authorization matrix, tests/platform/authorization_matrix.py) as every persona
that may open it (tests/conftest.py ``personas``), at 1280 px and at 390 px, on a live server with a
compact dataset, and fails on:

- a console error or an uncaught script error;
- a failed request: the page itself not 2xx, or any of its sub-resources (styles, scripts, fonts,
  images) failing or answering 4xx/5xx;
- a link on the page the persona cannot open: every same-site ``href`` is requested with the Django
  test client as that persona and must answer 2xx or a redirect that is not the login page (at
  most a few links per URL pattern and persona: the task board links hundreds of reports);
- sideways overflow: the document wider than the window (tables scroll inside their own box);
- text on the page that looks like a machine code (a snake_case identifier) or English error
  wording (``None``, "This field is required", "Traceback"…).

One browser, one context per persona (both widths by resizing it). Skipped where Chromium or
Playwright is missing; a failure then under REQUIRE_SERVICES=1 (CI installs chromium and
fonts-noto-cjk), as tests/dashboards/test_browser.py.

    .venv/bin/python -m pytest -q -p no:cacheprovider tests/platform/test_browser_walk.py
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from tests.conftest import reference_data_load
from tests.platform.authorization_matrix import PAGES

WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
LINKS_PER_PATTERN = 4  # links checked per URL pattern and persona (first, last and between)
SKIP_LINKS = ("/static/", "/media/", "/i18n/", "/api/", "/healthz")
# a snake_case word of two parts or more (urban_new_jobs, CERTIFICATION_HIGHER_TIERS_...), not in a URL or a file name
SNAKE = re.compile(r"(?<![\w/.\-@])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![\w/.\-@])")
ENGLISH_ERRORS = re.compile(
    r"\b(?:None|null|undefined|NaN|Traceback|Exception|Error|error|Invalid|invalid|This field|is required|"
    r"must be|cannot be|not found|Not Found|Forbidden|Bad Request|Server Error|object Object)\b")
# the walker's own signed-in personas; the anonymous opens the sign-in pages
WALKERS = ("city_admin", "lead_officer", "co_officer", "county_a", "county_b", "town_officer", "leader", "auditor",
           "security_admin", "outsider", "anonymous")


def chromium_path() -> str | None:
    return shutil.which("chromium")


@pytest.fixture
def playwright_api(settings):
    """Playwright and Debian's Chromium: skipped where missing, failed under REQUIRE_SERVICES=1."""
    problem = None
    try:
        import playwright.sync_api as api
    except ImportError:
        api, problem = None, "playwright is not installed (requirements-dev.txt)"
    if problem is None and chromium_path() is None:
        problem = "needs Debian's Chromium on the PATH (apt-get install chromium fonts-noto-cjk)"
    if problem:
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {problem}")
        pytest.skip(problem)
    return api


@pytest.fixture
def reference_data_restored(django_db_blocker):
    """live_server's database is flushed afterwards: put the reference data back (as
    tests/dashboards/test_browser.py)."""
    with django_db_blocker.unblock():
        reference_data_load()
    yield
    with django_db_blocker.unblock():
        reference_data_load()


@pytest.fixture
def compact_data(reference_data_restored, live_server, personas, settings, tmp_path, monkeypatch):
    """A compact dataset: approved figures of two counties and the city in two quarters of the 2022
    plan (so the dashboards draw charts with data), a county return, an application, a certification
    and an import batch of 汉滨区 (the matrix's objects), rolled up."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop shares this thread
    settings.MEDIA_ROOT = tmp_path
    from communities import pipeline
    from communities.services import certification_issue
    from imports.models import ImportBatch
    from targets.rollup import rollup
    from tests.communities.test_pipeline import tier, unit
    from tests.targets_helpers import city, record_approved

    for quarter, scale in (("2024Q4", 1), ("2025Q4", 2)):
        for county, weight in (("汉滨区", 3), ("石泉县", 1)):
            record_approved("urban_new_jobs", county, quarter, value=1500 * weight * scale)
            record_approved("registered_unemployment_rate", county, quarter,
                            registered_unemployed=30 * weight, urban_labour_force=1000 * weight)
        record_approved("surveyed_unemployment_rate", city(), quarter, value="5.1")
    application = pipeline.application_create(community=unit(), tier=tier("municipal"), user=personas["county_a"])
    certification = certification_issue(community=unit(), tier=tier("municipal"), certificate_number="漫游-1",
                                        issuer="市", certified_on=dt.date(2024, 1, 1),
                                        valid_until=dt.date(2026, 12, 31))
    batch = ImportBatch.objects.create(kind=ImportBatch.Kind.COMMUNITY_PROFILES, state=ImportBatch.State.FAILED,
                                       created_by=personas["county_a"], scope_region=personas["county_a"].region,
                                       file_name="a.csv", file_sha256="", file_size=1)
    rollup(trigger="test")
    return {"application": application.pk, "certification": certification.pk, "batch": batch.pk,
            "village": unit().code}


def client_for_persona(personas, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(personas[persona])
    return client


def html_pages(objects: dict, persona: str) -> list[tuple[str, str]]:
    """(matrix key, path) of every HTML page ``persona`` may open: the matrix's GET pages, not the
    API, nor the POST-only URLs; the admin's index for the admin's three."""
    out = []
    for name, entry in PAGES.items():
        if entry.api or entry.methods == "POST" or persona not in entry.ok:
            continue
        if name.startswith("admin:") and name != "admin:index":
            continue
        if name in ("healthz", "set_language"):
            continue
        out.append((name, entry.path.format(**objects)))
    return out


def visible_text_problems(text: str, usernames: frozenset[str] = frozenset()) -> list[str]:
    """Machine codes and English error wording in a page's visible text; a person's login name
    (``demo_admin``, the personas' ``county_a``) is a name people type, not a code."""
    problems = []
    for match in SNAKE.finditer(text):
        if match.group(0) not in usernames:
            problems.append(f"machine code {match.group(0)!r}")
    for match in ENGLISH_ERRORS.finditer(text):
        start = max(match.start() - 20, 0)
        problems.append(f"English wording {match.group(0)!r} in …{text[start:match.end() + 20]!r}")
    return problems


class LinkJudge:
    """Whether a persona can open a link: requested once with the test client, cached; at most
    LINKS_PER_PATTERN links of one URL pattern per persona (spread over the ones seen)."""

    def __init__(self, personas):
        self.personas = personas
        self.clients: dict[str, Client] = {}
        self.answers: dict[tuple[str, str], int | str] = {}
        self.seen: dict[tuple[str, str], int] = defaultdict(int)

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            self.clients[persona] = client_for_persona(self.personas, persona)
        return self.clients[persona]

    def problems(self, persona: str, hrefs: list[str]) -> list[str]:
        out = []
        for href in sorted(set(hrefs)):
            if not href.startswith("/") or href.startswith("//") or href.startswith(SKIP_LINKS):
                continue
            path = urlsplit(href).path
            try:
                pattern = resolve(path).view_name
            except Resolver404:
                out.append(f"link {href}: no such page")
                continue
            key = (persona, href)
            if key not in self.answers:
                count = self.seen[(persona, pattern)]
                self.seen[(persona, pattern)] += 1
                if count >= LINKS_PER_PATTERN:
                    continue
                response = self.client(persona).get(href)
                login = response.status_code in (301, 302) and "/login/" in response.get("Location", "")
                ok = 200 <= response.status_code < 300 or (300 <= response.status_code < 400 and not login)
                self.answers[key] = "ok" if ok else response.status_code
            if self.answers[key] != "ok":
                out.append(f"link {href} answers {self.answers[key]}")
        return out


WATCH = """() => {
  const text = document.body ? document.body.innerText : "";
  const hrefs = [...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href"));
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, text, hrefs};
}"""


def refused_by_the_matrix(persona: str, url: str) -> bool:
    """Whether the matrix says ``persona`` is refused the page at ``url`` (a signed-in account
    without a role is sent from the sign-in page to 我的工作, which refuses it by design)."""
    path = urlsplit(url).path
    try:
        name = resolve(path).view_name
    except Resolver404:
        return False
    entry = PAGES.get(name)
    return entry is not None and persona not in entry.ok


class Walker:
    """One persona's tab: what went wrong where, from the browser's events."""

    def __init__(self, persona: str, page, problems: list[str]):
        self.persona, self.page, self.problems, self.at = persona, page, problems, ""
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.problems.append(f"{self.at}: script error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"{self.at}: failed request {request.url}"))
        page.on("response", self.response)

    def console(self, message) -> None:
        if message.type == "error" and not self.expected_refusal_message(message.text):
            self.problems.append(f"{self.at}: console {message.type}: {message.text}")

    def expected_refusal_message(self, text: str) -> bool:
        return getattr(self, "_refused_document", False) and "status of 403" in text

    def response(self, response) -> None:
        if response.status < 400:
            return
        if response.request.is_navigation_request() and refused_by_the_matrix(self.persona, response.url):
            self._refused_document = True  # the page itself, refused as the matrix says: its console line too
            return
        self.problems.append(f"{self.at}: HTTP {response.status} {response.url}")

    def visit(self, base: str, path: str, device: str) -> dict | None:
        self.at, self._refused_document = f"{self.persona} {device} {path}", False
        response = self.page.goto(base + path, wait_until="load")
        if response is None or response.status >= 400:
            return None  # reported by the response handler, unless the matrix refuses it
        if self.page.locator("[data-chart]").count():
            self.page.wait_for_function("() => [...document.querySelectorAll('[data-chart]')]"
                                        ".every(e => e.dataset.drawn === '1')", timeout=10_000)
        return self.page.evaluate(WATCH)


def html_walk(probe: Client, pages: list[tuple[str, str]]) -> list[str]:
    """The paths that are HTML pages for the persona (a redirect is followed by the browser; a
    file download is not a page)."""
    walk = []
    for _name, path in pages:
        response = probe.get(path)
        if response.status_code == 200 and not response.get("Content-Type", "").startswith("text/html"):
            continue
        walk.append(path)
    return walk


def test_every_page_as_every_persona_at_two_widths(playwright_api, compact_data, live_server, personas):
    from accounts.models import User

    started = time.monotonic()
    usernames = frozenset(User.objects.values_list("username", flat=True))
    links = LinkJudge(personas)
    problems: list[str] = []
    visited = 0
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path())
        try:
            for persona in WALKERS:
                probe = client_for_persona(personas, persona)
                walk = html_walk(probe, html_pages(compact_data, persona))
                context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
                if persona != "anonymous":
                    context.add_cookies([{"name": "sessionid", "value": probe.cookies["sessionid"].value,
                                          "url": live_server.url}])
                walker = Walker(persona, context.new_page(), problems)
                for device, (width, height) in WIDTHS.items():
                    walker.page.set_viewport_size({"width": width, "height": height})
                    for path in walk:
                        seen = walker.visit(live_server.url, path, device)
                        visited += 1
                        if seen is None:
                            continue
                        if seen["overflow"] > 1:
                            problems.append(f"{walker.at}: {seen['overflow']} px wider than the window")
                        if device == "desktop":  # the same text and links at both widths
                            problems += [f"{walker.at}: {problem}"
                                         for problem in visible_text_problems(seen["text"], usernames)]
                            problems += [f"{walker.at}: {problem}"
                                         for problem in links.problems(persona, seen["hrefs"])]
                context.close()
        finally:
            browser.close()
    print(f"browser walk: {visited} page loads in {time.monotonic() - started:.0f} s")
    assert visited > 150, visited  # every persona's pages, twice: not an empty walk
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(dict.fromkeys(problems))


def test_the_walk_would_see_a_machine_code_and_english_errors():
    """The text check itself: what it catches and what it lets through."""
    assert visible_text_problems("城镇新增就业 urban_new_jobs · 流量")
    assert visible_text_problems("CERTIFICATION_HIGHER_TIERS_COUNT_TOWARD_LOWER 已开启")
    assert visible_text_problems("value不能为负数 This field is required.")
    assert visible_text_problems("完成率 None")
    assert not visible_text_problems("导出: Excel · CSV · 2026年第三季度 · /reports/tasks/ · a_b.xlsx")
    assert not visible_text_problems("张三（county_a）提交", frozenset({"county_a"}))
