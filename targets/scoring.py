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


def goal_of(*, direction: str, target_value: Decimal | None, expected_to_date: Decimal | None) -> Decimal | None:
    """What a snapshot's figure is scored against: an amount's quota to date (its pace line) where
    there is one, else its target (a county's quota, the rate to reach, the ceiling)."""
    if direction == "at_least" and expected_to_date is not None:
        return expected_to_date
    return target_value


def _plain(value: Decimal) -> str:
    """1200 → 1,200; 3897.0427 (a quota to date) → 3,897.04; 4.4 → 4.4; 0.004 → 0.004."""
    return f"{(q2(value) if abs(value) >= 1 else value).normalize():,f}"


class Scored:
    """A figure scored against its goal: ``share`` (0–1, capped; None when no value, which counts
    0), whether the rule applies at all (a value with no goal does not), and the Chinese detail."""

    __slots__ = ("share", "goal", "applicable", "detail")

    def __init__(self, share: Decimal | None, goal: Decimal | None, applicable: bool, detail: str) -> None:
        self.share, self.goal, self.applicable, self.detail = share, goal, applicable, detail

    @property
    def percent(self) -> Decimal | None:
        """The completion as it counts, in percent (0 without a value); None if not applicable."""
        if not self.applicable:
            return None
        return q2((self.share if self.share is not None else Decimal(0)) * HUNDRED)


def score_figure(*, direction: str, value: Decimal | None, goal: Decimal | None, unit: str) -> Scored:
    """Score ``value`` against ``goal`` by the rule of ``direction`` (``achievement``), with the detail
    shown beside the score: no value → 0 (NO_VALUE); a value with no goal → not applicable."""
    share = achievement(direction=direction, value=value, target=goal)
    if value is None:
        return Scored(None, goal, True, NO_VALUE)
    if share is None:
        return Scored(None, goal, False, f"实际值{_plain(value)}{unit}，无配额目标，该项不适用。")
    sign = {"at_least": "目标", "at_most": "上限", "zero": "目标"}[direction]
    raw = f"（实际完成{q2(value / goal * HUNDRED):f}%）" if direction == "at_least" and goal else ""
    return Scored(share, goal, True, f"实际值{_plain(value)}{unit}，{sign}{_plain(goal) if goal is not None else '0'}"
                                     f"{unit}，完成率{q2(share * HUNDRED):f}%{raw}")


def total_percent(scores: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Σ scores ÷ Σ weights × 100 over the applicable items, two decimals (``TOTAL_RULE``); None
    when nothing applies. ``scores`` are (score, weight) pairs."""
    weights = sum((w for _, w in scores), Decimal(0))
    if not weights:
        return None
    return q2(sum((s for s, _ in scores), Decimal(0)) / weights * HUNDRED)


TOTAL_RULE = ("总分＝各适用项得分之和÷各适用项分值之和×100（不适用的项不计入，保留两位小数）；"
              "按总分从高到低排名，总分相同的并列，其后名次顺延（如1、1、3）。")
RANKING_RULE = ("各县（市、区）每项指标的完成率按年度考核的同一规则计算（见下）：总量类以截至本季度的配额应达值为目标，"
                "比率类以目标值或上限为准；各项完成率等权平均（不适用的项不计入，保留两位小数），"
                "按平均完成率从高到低排名，相同的并列，其后名次顺延（如1、1、3）。")
