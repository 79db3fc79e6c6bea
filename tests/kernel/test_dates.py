"""Dates and quarters as a person reads them (kernel/dates.py)."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from kernel.dates import date_text, moment_text, quarter_text
from kernel.quarters import Quarter


def test_quarters_in_chinese_from_every_shape():
    assert quarter_text(Quarter(2026, 3)) == "2026年第三季度"
    assert quarter_text("2025Q4") == "2025年第四季度"
    assert quarter_text(SimpleNamespace(year=2021, quarter=1)) == "2021年第一季度"
    assert quarter_text((2024, 2)) == "2024年第二季度"
    assert quarter_text("not a quarter") == "not a quarter" and quarter_text(None) == ""


def test_dates_in_chinese_and_local_time():
    assert date_text(datetime.date(2026, 11, 30)) == "2026年11月30日"
    # 2026-03-31 20:00 UTC is already 1 April in Ankang
    moment = datetime.datetime(2026, 3, 31, 20, 0, 5, tzinfo=ZoneInfo("UTC"))
    assert date_text(moment) == "2026年4月1日"
    assert moment_text(moment) == "2026年4月1日 04:00:05"


def test_english_when_the_page_is_in_english():
    with translation.override("en"):
        assert quarter_text("2026Q3") == "2026 Q3"
        assert date_text(datetime.date(2026, 11, 30)) == "30 November 2026"


def test_template_filters():
    html = Template("{% load cn %}{{ q|quarter_cn }} {{ d|date_cn }}").render(
        Context({"q": "2026Q3", "d": datetime.date(2026, 11, 30)}))
    assert html == "2026年第三季度 2026年11月30日"


def test_the_opening_quarter_at_quarter_boundaries_and_after_a_plan_ends(settings):
    from kernel.quarters import opening_quarter

    settings.REPORT_DUE_DAYS = 10  # a quarter's reporting is due 10 days after it ends
    day = datetime.date
    assert opening_quarter(day(2026, 11, 30)) == Quarter(2026, 3)  # 2026Q4 is running: nothing due yet
    assert opening_quarter(day(2026, 10, 9)) == Quarter(2026, 2)  # Q3 has ended but is not due yet
    assert opening_quarter(day(2026, 10, 10)) == Quarter(2026, 3)  # due on the tenth day
    assert opening_quarter(day(2027, 1, 10)) == Quarter(2026, 4)  # across the year
    assert opening_quarter(day(2027, 1, 9)) == Quarter(2026, 3)
    # a closed 2021–2025 plan opens on its last quarter, whatever today is
    assert opening_quarter(day(2026, 11, 30), plan_start=day(2021, 1, 1), plan_end=day(2025, 12, 31)) == Quarter(
        2025, 4)
    # a plan none of whose quarters is due yet has nothing to open on
    assert opening_quarter(day(2026, 4, 9), plan_start=day(2026, 1, 1), plan_end=day(2030, 12, 31)) is None
    assert opening_quarter(day(2026, 4, 10), plan_start=day(2026, 1, 1)) == Quarter(2026, 1)
