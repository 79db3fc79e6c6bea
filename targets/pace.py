"""Pace, status and forecast: the rules that say whether a figure is on track.

Pure functions of numbers and dates, so they can be checked by hand. The rules are written here
once and shown in the UI from ``RULES`` — what leadership sees is what the code does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

# Thresholds, in one place.
PACE_AMBER = Decimal("0.90")  # cumulative / count targets: amber from 90 % of the pace line
RATE_AMBER = Decimal("0.95")  # rate floors: amber from 95 % of the target rate
CEILING_GREEN = Decimal("0.90")  # rate ceilings: green up to 90 % of the ceiling

RULES = {
    "pace": "绿：不低于时序进度应达值；黄：达到应达值的90%；红：低于应达值的90%。期末后：达到目标为绿，否则为红。",
    "floor": "绿：不低于目标值；黄：达到目标值的95%；红：低于目标值的95%。",
    "ceiling": "绿：不超过上限的90%；黄：不超过上限；红：超过上限。",
    "zero": "绿：为零；黄：不为零但比上季度减少；红：不为零且未减少。",
    "none": "无数据。",
}
RULES_EN = {
    "pace": "Green: at or above the pace line; amber: at least 90 % of it; red: below 90 %. "
            "After the period ends: green if the target is reached, else red.",
    "floor": "Green: at or above the target; amber: at least 95 % of it; red: below 95 %.",
    "ceiling": "Green: at most 90 % of the ceiling; amber: at most the ceiling; red: above the ceiling.",
    "zero": "Green: zero; amber: not zero but lower than last quarter; red: not zero and not lower.",
    "none": "No data.",
}


# Met or not at the end of the span, read from the status the rules above give at the span's end
# (so the final assessment and the target pages never disagree): amounts and floors are met when
# green (the target is reached); a ceiling is met when not exceeded (green or amber); a
# must-reach-zero figure when it is zero (green).
MET_RULES = {
    "pace": "期末达到目标值（状态为绿）为达标。",
    "floor": "期末不低于目标值（状态为绿）为达标。",
    "ceiling": "期末不超过上限（状态为绿或黄）为达标。",
    "zero": "期末为零（状态为绿）为达标。",
    "none": "无数据，无法判定。",
}
MET_RULES_EN = {
    "pace": "Met if the target is reached at the end (green).",
    "floor": "Met if at or above the target at the end (green).",
    "ceiling": "Met if the ceiling is not exceeded at the end (green or amber).",
    "zero": "Met if zero at the end (green).",
    "none": "No data: cannot be judged.",
}


def met(*, rule: str, status: str) -> bool | None:
    """Whether a figure assessed at its span's end (``status`` from :func:`assess` with ``as_of``
    the span's last day) meets its target; None without data or without a target."""
    if status == "none" or rule == "none":
        return None
    if rule == "ceiling":
        return status in ("green", "amber")
    return status == "green"


@dataclass(frozen=True)
class Assessment:
    rule: str
    status: str  # green | amber | red | none
    percent_achieved: Decimal | None
    percent_time_elapsed: Decimal
    expected_to_date: Decimal | None
    projected_end_value: Decimal | None
    required_run_rate: Decimal | None


def q2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def q4(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def elapsed_share(start: datetime.date, end: datetime.date, as_of: datetime.date) -> Decimal:
    """Share of [start, end] (whole days, both included) that has passed by the end of ``as_of``."""
    total = (end - start).days + 1
    done = (min(max(as_of, start - datetime.timedelta(days=1)), end) - start).days + 1
    return Decimal(done) / Decimal(total)


def rule_for(kind: str, direction: str) -> str:
    if direction == "zero":
        return "zero"
    if direction == "at_most":
        return "ceiling"
    if kind in ("ratio", "city_only"):
        return "floor"
    return "pace"  # flows, stocks and counts that must reach a number


def assess(
    *,
    kind: str,
    direction: str,
    value: Decimal | None,
    target: Decimal | None,
    span_start: datetime.date,
    span_end: datetime.date,
    as_of: datetime.date,
    quarters_remaining: int,
    expected_override: Decimal | None = None,
    previous_value: Decimal | None = None,
    trend_from: tuple[datetime.date, Decimal] | None = None,
) -> Assessment:
    """Where a figure stands at ``as_of`` (a quarter's last day) against ``target`` over the span.

    ``value`` is cumulative for flows and the period-end value otherwise. ``expected_override``
    replaces the linear pace line where the city set yearly allocations. ``trend_from`` is an
    earlier (date, value) for projecting stocks and rates; flows project their own run-rate.
    """
    share = elapsed_share(span_start, span_end, as_of)
    rule = rule_for(kind, direction)
    if value is None:
        return Assessment("none", "none", None, q2(share * HUNDRED), None, None, None)

    percent = q2(value / target * HUNDRED) if (target and direction == "at_least") else None
    ended = as_of >= span_end

    # Forecast: flows by their run-rate since the span began; stocks and counts by their trend over
    # the last year; rates are projected flat (a year's wobble extrapolated over years is noise).
    if kind == "flow":
        projected = value / share if share > 0 and not ended else value
    elif kind in ("ratio", "city_only"):
        projected = value
    elif trend_from is not None and trend_from[0] < as_of and not ended:
        days_past = Decimal((as_of - trend_from[0]).days)
        days_left = Decimal((span_end - as_of).days)
        projected = max(ZERO, value + (value - trend_from[1]) / days_past * days_left)
    else:
        projected = value

    expected = None
    required = None
    if rule == "pace":
        expected = expected_override if expected_override is not None else (target * share if target is not None else None)
        if target is not None and quarters_remaining > 0 and not ended:
            required = max(ZERO, target - value) / Decimal(quarters_remaining)
        if target is None:
            status = "none"
        elif ended:
            status = "green" if value >= target else "red"
        elif value >= expected:
            status = "green"
        elif value >= expected * PACE_AMBER:
            status = "amber"
        else:
            status = "red"
    elif rule == "floor":
        status = "none" if target is None else (
            "green" if value >= target else "amber" if value >= target * RATE_AMBER else "red")
    elif rule == "ceiling":
        status = "none" if target is None else (
            "green" if value <= target * CEILING_GREEN else "amber" if value <= target else "red")
    else:  # zero
        if value == 0:
            status = "green"
        elif previous_value is not None and value < previous_value:
            status = "amber"
        else:
            status = "red"
    return Assessment(rule, status, percent, q2(share * HUNDRED), q4(expected), q4(projected), q4(required))
