import datetime
from zoneinfo import ZoneInfo

import pytest

from kernel.quarters import Quarter


def test_parse_and_label():
    assert Quarter.parse("2024Q3") == Quarter(2024, 3)
    assert Quarter.parse(" 2024q1 ").label == "2024Q1"
    for bad in ["2024Q5", "2024-3", "Q3", ""]:
        with pytest.raises(ValueError):
            Quarter.parse(bad)


def test_bounds_and_neighbours():
    q = Quarter(2024, 1)
    assert (q.start, q.end) == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert Quarter(2024, 4).end == datetime.date(2024, 12, 31)
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter(2025, 1).previous() == Quarter(2024, 4)
    assert Quarter(2024, 3).previous() == Quarter(2024, 2)


def test_plan_period_has_twenty_quarters():
    quarters = Quarter.between(datetime.date(2021, 1, 1), datetime.date(2025, 12, 31))
    assert len(quarters) == 20 and quarters[0].label == "2021Q1" and quarters[-1].label == "2025Q4"


@pytest.mark.parametrize("utc, expected", [
    ("2024-03-31T15:59:59", "2024Q1"),  # 23:59:59 on 31 March in Ankang
    ("2024-03-31T16:00:00", "2024Q2"),  # 00:00 on 1 April in Ankang, still 31 March in UTC
    ("2024-12-31T16:30:00", "2025Q1"),
])
def test_quarter_of_a_moment_is_taken_in_local_time(utc, expected, settings):
    moment = datetime.datetime.fromisoformat(utc).replace(tzinfo=ZoneInfo("UTC"))
    assert Quarter.of_moment(moment).label == expected
