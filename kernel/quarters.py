"""Quarters, in local dates. A quarter is a calendar quarter in Asia/Shanghai: a value recorded
at 2024-03-31T20:00Z belongs to 2024Q2 (04:00 on 1 April in Ankang), not to Q1."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

_LABEL = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"quarter number must be 1–4, not {self.number}")

    @classmethod
    def parse(cls, label: str) -> Quarter:
        """``"2024Q3"`` → Quarter(2024, 3)."""
        m = _LABEL.match(label.strip().upper())
        if not m:
            raise ValueError(f"not a quarter label like 2024Q3: {label!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of_date(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def of_moment(cls, moment: datetime.datetime) -> Quarter:
        """The quarter an aware moment falls in, by Ankang's calendar."""
        return cls.of_date(timezone.localdate(moment))

    @classmethod
    def between(cls, start: datetime.date, end: datetime.date) -> list[Quarter]:
        """Every quarter that overlaps [start, end], in order."""
        q, last, out = cls.of_date(start), cls.of_date(end), []
        while q <= last:
            out.append(q)
            q = q.next()
        return out

    def through(self, last: Quarter) -> list[Quarter]:
        """This quarter and every one after it up to ``last``, in order (none if ``last`` is earlier)."""
        q, out = self, []
        while q <= last:
            out.append(q)
            q = q.next()
        return out

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self) -> str:
        return self.label


def opening_quarter(today: datetime.date, *, plan_start: datetime.date | None = None,
                    plan_end: datetime.date | None = None, due_days: int | None = None) -> Quarter | None:
    """The quarter a page opens on, the one rule every page uses: the latest quarter whose
    reporting is due by ``today`` (due ``REPORT_DUE_DAYS`` after the quarter ends; a quarter still
    running, or just ended and not yet due, is not it), capped at the plan's last quarter for a
    plan that has ended. None while nothing of the plan is due yet."""
    due_days = settings.REPORT_DUE_DAYS if due_days is None else due_days
    quarter = Quarter.of_date(today)
    while quarter.end + datetime.timedelta(days=due_days) > today:
        quarter = quarter.previous()
    if plan_end is not None and quarter.end > plan_end:
        quarter = Quarter.of_date(plan_end)
    if plan_start is not None and quarter < Quarter.of_date(plan_start):
        return None
    return quarter


def quarters_q(first: Quarter | None, last: Quarter | None, *, year: str = "year", quarter: str = "quarter") -> Q:
    """A filter for rows whose (``year``, ``quarter``) fields lie in [first, last]; either end may
    be open (None)."""
    q = Q()
    if first is not None:
        q &= Q(**{f"{year}__gt": first.year}) | Q(**{year: first.year, f"{quarter}__gte": first.number})
    if last is not None:
        q &= Q(**{f"{year}__lt": last.year}) | Q(**{year: last.year, f"{quarter}__lte": last.number})
    return q
