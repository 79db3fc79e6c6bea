"""The status and forecast rules, checked by hand at their boundaries."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from targets.pace import assess, elapsed_share

START, END = datetime.date(2021, 1, 1), datetime.date(2025, 12, 31)  # 1,826 days


def pace(value, as_of, target=D(100000), **kw):
    return assess(kind="flow", direction="at_least", value=value, target=target, span_start=START, span_end=END,
                  as_of=as_of, quarters_remaining=kw.pop("quarters_remaining", 0), **kw)


def test_elapsed_share_at_start_middle_end_and_after():
    assert elapsed_share(START, END, datetime.date(2020, 12, 31)) == 0
    assert elapsed_share(START, END, datetime.date(2021, 3, 31)) == D(90) / D(1826)
    assert elapsed_share(START, END, datetime.date(2023, 6, 30)) == D(911) / D(1826)
    assert elapsed_share(START, END, END) == 1
    assert elapsed_share(START, END, datetime.date(2026, 3, 31)) == 1


def test_pace_at_plan_start():
    a = pace(D(5000), datetime.date(2021, 3, 31), quarters_remaining=19)
    # expected = 100000 × 90/1826 = 4928.80; 5000 ≥ it → green
    assert a.expected_to_date == D("4928.8061") and a.status == "green"
    assert a.percent_achieved == D("5.00") and a.percent_time_elapsed == D("4.93")
    assert a.projected_end_value == D("101444.4444")  # 5000 / (90/1826)
    assert a.required_run_rate == D("5000.0000")  # (100000 − 5000) / 19


def test_pace_mid_period_boundaries():
    as_of = datetime.date(2023, 6, 30)
    expected = D(100000) * D(911) / D(1826)  # 49890.47…
    assert pace(expected, as_of).status == "green"
    assert pace(expected * D("0.9"), as_of).status == "amber"
    assert pace(expected * D("0.9") - D("0.0001"), as_of).status == "red"


def test_pace_at_and_after_plan_end():
    assert pace(D(100000), END).status == "green"
    assert pace(D(99999), END).status == "red"
    after = pace(D(99999), datetime.date(2026, 3, 31))
    assert after.status == "red" and after.percent_time_elapsed == D("100.00") and after.required_run_rate is None
    assert after.projected_end_value == D(99999)


def test_allocations_replace_the_linear_pace_line():
    a = pace(D(30000), datetime.date(2022, 12, 31), expected_override=D(28000))
    assert a.expected_to_date == D(28000) and a.status == "green"


@pytest.mark.parametrize("value, status", [
    (D("3.6"), "green"), (D("3.6001"), "amber"), (D("4"), "amber"), (D("4.0001"), "red"),
])
def test_ceiling_boundaries(value, status):
    a = assess(kind="ratio", direction="at_most", value=value, target=D(4), span_start=START, span_end=END,
               as_of=datetime.date(2023, 6, 30), quarters_remaining=10)
    assert a.status == status and a.percent_achieved is None


@pytest.mark.parametrize("value, status", [(D(100), "green"), (D(95), "amber"), (D("94.99"), "red")])
def test_floor_boundaries(value, status):
    a = assess(kind="ratio", direction="at_least", value=value, target=D(100), span_start=START, span_end=END,
               as_of=datetime.date(2023, 6, 30), quarters_remaining=10)
    assert a.status == status


@pytest.mark.parametrize("value, previous, status", [
    (D(0), D(5), "green"), (D(3), D(5), "amber"), (D(5), D(5), "red"), (D(6), D(5), "red"), (D(2), None, "red"),
])
def test_zero_rule(value, previous, status):
    a = assess(kind="stock", direction="zero", value=value, target=D(0), span_start=START, span_end=END,
               as_of=datetime.date(2023, 6, 30), quarters_remaining=10, previous_value=previous)
    assert a.status == status


def test_no_value_is_no_status():
    a = pace(None, datetime.date(2023, 6, 30))
    assert (a.status, a.rule, a.percent_achieved, a.projected_end_value) == ("none", "none", None, None)


def test_stock_projects_its_trend():
    a = assess(kind="stock", direction="at_least", value=D(40), target=D(100), span_start=START, span_end=END,
               as_of=datetime.date(2024, 12, 31), quarters_remaining=4,
               trend_from=(datetime.date(2023, 12, 31), D(20)))
    # +20 over 366 days; 365 days left → 40 + 20/366 × 365
    assert a.projected_end_value == (D(40) + D(20) / D(366) * D(365)).quantize(D("0.0001"))
