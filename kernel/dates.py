"""Dates and quarters the way a person reads them: 2026年第三季度, 2026年11月30日 (in Chinese; in
English 2026 Q3, 30 November 2026). Codes like 2026Q3 stay in URLs, exports' technical columns
and the API; everything a person reads goes through these (the ``cn`` template filters)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from .quarters import Quarter

_ZH_NUMBERS = {1: "一", 2: "二", 3: "三", 4: "四"}
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]


def _english() -> bool:
    return (get_language() or settings.LANGUAGE_CODE).startswith("en")


def as_quarter(value) -> Quarter | None:
    """A Quarter from a Quarter, a label like "2026Q3", an object with ``year`` and ``quarter``
    (a period, a snapshot) or a (year, number) pair; None if it is none of these."""
    if value is None or value == "":
        return None
    if isinstance(value, Quarter):
        return value
    if isinstance(value, str):
        try:
            return Quarter.parse(value)
        except ValueError:
            return None
    if isinstance(value, tuple) and len(value) == 2:
        return Quarter(int(value[0]), int(value[1]))
    year, number = getattr(value, "year", None), getattr(value, "quarter", None)
    if isinstance(year, int) and isinstance(number, int):
        return Quarter(year, number)
    return None


def quarter_text(value) -> str:
    """2026年第三季度 (English: 2026 Q3); the value itself as text if it is not a quarter."""
    quarter = as_quarter(value)
    if quarter is None:
        return "" if value is None else str(value)
    if _english():
        return f"{quarter.year} Q{quarter.number}"
    return f"{quarter.year}年第{_ZH_NUMBERS[quarter.number]}季度"


def date_text(value) -> str:
    """2026年11月30日 (English: 30 November 2026); an aware moment in Ankang's local date."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if _english():
        return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


def moment_text(value) -> str:
    """2026年11月30日 14:05:09 in Ankang's local time, to the second (the audit trail, histories)."""
    if value is None or value == "":
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{date_text(local.date())} {local:%H:%M:%S}"
