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


def test_through_and_the_filter_of_a_span_of_quarters():
    from kernel.quarters import quarters_q

    assert [q.label for q in Quarter(2025, 3).through(Quarter(2026, 1))] == ["2025Q3", "2025Q4", "2026Q1"]
    assert Quarter(2026, 1).through(Quarter(2025, 4)) == []
    q = quarters_q(Quarter(2025, 3), Quarter(2026, 1))
    rows = [(y, n) for y in (2024, 2025, 2026, 2027) for n in (1, 2, 3, 4)]

    def holds(year, number, node=q):  # evaluate the Q tree over plain tuples
        if isinstance(node, tuple):
            field, value = node
            attr, _, op = field.partition("__")
            have = {"year": year, "quarter": number}[attr]
            return {"": have == value, "gt": have > value, "gte": have >= value, "lt": have < value,
                    "lte": have <= value}[op]
        results = [holds(year, number, child) for child in node.children]
        return all(results) if node.connector == "AND" else any(results)

    assert [r for r in rows if holds(*r)] == [(2025, 3), (2025, 4), (2026, 1)]
    assert [r for r in rows if holds(*r, node=quarters_q(None, Quarter(2024, 2)))] == [(2024, 1), (2024, 2)]
    assert [r for r in rows if holds(*r, node=quarters_q(Quarter(2027, 4), None))] == [(2027, 4)]


@pytest.mark.django_db
def test_a_plans_window_and_how_its_period_is_said(plan):
    from django.utils import translation

    assert (plan.first_quarter.label, plan.last_quarter.label) == ("2021Q1", "2025Q4")
    assert plan.covers(Quarter(2021, 1)) and plan.covers(Quarter(2025, 4)) and not plan.covers(Quarter(2026, 1))
    with translation.override("zh-hans"):
        assert plan.period_text == "2021年—2025年"
        plan.period_start = datetime.date(2025, 7, 1)
        assert plan.period_text == "2025-07-01至2025-12-31"
    with translation.override("en"):
        assert plan.period_text == "2025-07-01 to 2025-12-31"
