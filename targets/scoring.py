"""Scoring a figure against its target, and ranking with ties: the one rule the annual assessment
(assessments) and the dashboards' rankings both use. Pure functions of numbers, checkable by hand;
the rules are written here once, in Chinese, and shown beside every score (``ACHIEVEMENT_RULES``).

- An amount or a floor ("at least"): achievement = value ÷ target, **capped at 100%** — an
  over-achievement on one figure does not hide a shortfall on another.
- A ceiling ("at most", e.g. registered unemployment ≤ 4%): met (100%) if the value is at most the
  target; above it, target ÷ value (4.4% against ≤ 4% scores 4 ÷ 4.4 = 90.91%).
- Must reach zero: 100% at zero, else 0.
- No value (nothing reported or approved): 0, said so.

Ranking is competition ranking (并列): equal scores share a rank and the next rank skips (1, 1, 3)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)

ACHIEVEMENT_RULES = {
    "at_least": "完成率＝实际值÷目标值（配额），超过100%的按100%计（封顶）；得分＝分值×完成率。",
    "at_most": "实际值不高于目标值（上限）的，完成率按100%计；高于上限的，完成率＝上限÷实际值；得分＝分值×完成率。",
    "zero": "实际值为零的，完成率按100%计；不为零的按0计；得分＝分值×完成率。",
}
NO_VALUE = "无数据（未报送或未审核），该项得0分。"


def q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def achievement(*, direction: str, value: Decimal | None, target: Decimal | None) -> Decimal | None:
    """The share of the target reached, 0–1 (capped); None without a value or a usable target."""
    if value is None:
        return None
    if direction == "zero":
        return Decimal(1) if value == 0 else Decimal(0)
    if target is None:
        return None
    if direction == "at_most":
        if value <= target:
            return Decimal(1)
        return target / value if value > 0 else Decimal(1)
    if target <= 0:
        return Decimal(1) if value >= target else Decimal(0)
    return min(max(value / target, Decimal(0)), Decimal(1))


def capped_percent(percent: Decimal | None) -> Decimal | None:
    """A percent achieved (of an amount to reach) as it counts toward a ranking: at most 100."""
    return None if percent is None else min(percent, HUNDRED)


def competition_ranks(scores: list[Decimal | None]) -> list[int | None]:
    """Ranks of ``scores`` (higher is better), equal scores sharing a rank (并列) and the next rank
    skipping: [90, 95, 90, None, 80] → [2, 1, 2, None, 4]. No score, no rank."""
    known = sorted((s for s in scores if s is not None), reverse=True)
    first = {}
    for position, score in enumerate(known, start=1):
        first.setdefault(score, position)
    return [None if s is None else first[s] for s in scores]
