"""The platform's one rule for a figure typed by a person or sent by a system, and its messages.

A figure is written with the ASCII digits 0–9, an optional minus sign and at most one decimal point:
no exponent (1e3), no full-width digits (１２３), no units, spaces or separators inside (callers
that accept thousands separators or full-width digits — the import reads them — translate them
first), not NaN or Infinity. It has at most ``places`` decimals (never silently rounded) and
``whole_digits`` digits before the point (what the database column holds), and is not negative
unless allowed. Every refusal names what the figure is (``label``: the indicator and component as
users know them, never a code) in the user's language; none is Django's or DRF's default wording.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .refusals import refuse

_PLAIN = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?", re.ASCII)


def figure(raw, *, label: str, places: int = 4, whole_digits: int = 14, allow_negative: bool = False) -> Decimal:
    """``raw`` (text, int, Decimal or float) as a Decimal with ``places`` decimals, or a refusal."""
    if isinstance(raw, bool) or raw is None:
        refuse(_("%(label)s: “%(value)s” is not a number: write it with the half-width digits 0–9 and at most one "
                 "decimal point, without units, spaces or separators."), label=label, value=raw)
    text = (repr(raw) if isinstance(raw, float) else str(raw)).strip()
    match = _PLAIN.fullmatch(text)
    if match is None:
        refuse(_("%(label)s: “%(value)s” is not a number: write it with the half-width digits 0–9 and at most one "
                 "decimal point, without units, spaces or separators."), label=label, value=text)
    whole, fraction = match.group(1).lstrip("0"), (match.group(2) or "")
    if len(fraction.rstrip("0")) > places:
        refuse(_("%(label)s: “%(value)s” has more than %(places)s decimal places."), label=label, value=text,
               places=places)
    if len(whole) > whole_digits:
        refuse(_("%(label)s: “%(value)s” is too large (at most %(digits)s digits before the decimal point)."),
               label=label, value=text, digits=whole_digits)
    value = Decimal(text).quantize(Decimal(1).scaleb(-places))
    if value < 0 and not allow_negative:
        refuse(_("%(label)s cannot be negative (%(value)s)."), label=label, value=text)
    return value


def whole_number(raw, *, label: str, minimum: int | None = 0, maximum: int = 2**31 - 1) -> int:
    """A whole number (a version, a count) by the same rule, within ``minimum``..``maximum``."""
    text = "" if raw is None or isinstance(raw, bool) else str(raw).strip()
    if not re.fullmatch(r"-?[0-9]{1,12}", text, flags=re.ASCII):
        refuse(_("%(label)s: “%(value)s” is not a whole number."), label=label, value=raw)
    value = int(text)
    if (minimum is not None and value < minimum) or value > maximum:
        refuse(_("%(label)s: %(value)s is out of range (%(minimum)s to %(maximum)s)."), label=label, value=value,
               minimum=minimum if minimum is not None else "…", maximum=maximum)
    return value


# ---- Showing a figure: the one rule every page follows (the ``num`` template filter) -------------
# Decimals per unit, fixed: counts are whole, rates and money have two decimals. A unit not listed
# shows at most two decimals, trailing zeros dropped (a figure whose unit the page does not name).
# Thousands are grouped with a comma (100,000); a percentage takes its sign without a space
# (3.85%), other units follow after a space (100,000 人); a missing figure is "—".
COUNT_UNITS = ("人", "人次", "户", "个", "家", "所", "条", "次", "场", "项", "名", "村", "社区", "期", "批")
UNIT_PLACES: dict[str, int] = {**{unit: 0 for unit in COUNT_UNITS},
                               "%": 2, "‰": 2, "万人": 2, "万人次": 2, "元": 2, "万元": 2, "亿元": 2}
DEFAULT_PLACES = 2
MISSING = "—"


def places_for(unit: str | None) -> int | None:
    """The fixed decimals of ``unit``, or None for a unit without a rule (at most two, trimmed)."""
    return UNIT_PLACES.get((unit or "").strip())


def figure_text(value, unit: str | None = None, *, suffix: bool = True) -> str:
    """``value`` as every page shows it: 100,000 人 · 3.85% · 1,234.50 万元 · 12.5 · —."""
    from decimal import ROUND_HALF_UP, InvalidOperation

    if value is None or value == "" or isinstance(value, bool):
        return MISSING
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return MISSING
    unit = (unit or "").strip()
    places = places_for(unit)
    fixed = places is not None
    places = DEFAULT_PLACES if places is None else places
    number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # never "-0"
    text = f"{number:,.{places}f}"
    if not fixed and "." in text:
        text = text.rstrip("0").rstrip(".")
    if not suffix or not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"
