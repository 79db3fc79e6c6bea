"""The city's own return (its statistics officer's: the surveyed unemployment rate and the other
city-only figures) is a reporting unit of the timeliness page, beside the counties, judged
against the same due date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone as tz

from reports.models import CountyReturn, ReportingPeriod
from reports.selectors import city_timeliness
from reports.services import county_return_open
from tests.targets_helpers import city, county

pytestmark = pytest.mark.django_db


def period() -> ReportingPeriod:
    return ReportingPeriod.objects.get(year=2024, quarter=3)


def at(y, m, d, h):
    return tz.make_aware(dt.datetime(y, m, d, h), dt.UTC)


def test_the_city_return_is_counted_missing_then_late(personas):
    (row,) = city_timeliness(user=personas["city_admin"], period=period())
    assert row.unit == city() and (row.expected, row.missing) == (1, 1)
    # 16:30 UTC on 10-10 is 00:30 on 10-11 in Ankang: late
    CountyReturn.objects.create(region=city(), period=period(), state="submitted", first_submitted_at=at(2024, 10, 10, 16))
    (row,) = city_timeliness(user=personas["city_admin"], period=period())
    assert (row.on_time, row.late, row.missing) == (0, 1, 0)


def test_a_draft_city_return_is_still_missing(personas):
    county_return_open(region=city(), period=period(), user=personas["city_stats"])
    (row,) = city_timeliness(user=personas["leader"], period=period())
    assert row.missing == 1


def test_the_page_lists_the_city_beside_the_counties(client_for, personas):
    CountyReturn.objects.create(region=city(), period=period(), state="submitted", first_submitted_at=at(2024, 10, 9, 3))
    CountyReturn.objects.create(region=county("汉滨区"), period=period(), state="submitted",
                                first_submitted_at=at(2024, 10, 9, 3))
    html = client_for("leader").get("/reports/timeliness/?period=2024Q3").content.decode()
    section = html[html.index("全市与各县"):]
    assert "安康市" in section and "汉滨区" in section and section.index("安康市") < section.index("汉滨区")
    # 11 units (the city and ten counties), 2 on time
    assert "18.18%" in section  # 2 of 11, the one rule for rates (two decimals)
    response = client_for("leader").get("/reports/timeliness/?period=2024Q3&export=counties&format=csv")
    csv = (b"".join(response.streaming_content) if response.streaming else response.content).decode("utf-8-sig")
    assert "安康市" in csv
    county_view = client_for("county_b").get("/reports/timeliness/?period=2024Q3").content.decode()
    main = county_view[county_view.index("<main"):county_view.index("</main>")]
    assert "安康市" not in main and "石泉县" in main


def test_a_county_officer_does_not_see_the_city_row(personas):
    assert city_timeliness(user=personas["county_a"], period=period()) == []
