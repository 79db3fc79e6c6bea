"""Demo figures for the embedded default: plausible, deterministic, and labelled.

Every value carries source_ref 【演示数据】 and the demo banner is on wherever they are shown.
The last quarter is left submitted-but-unapproved, so the pages can show the difference between
official figures and 含未审核数据. Refuses to run without DEMO_MODE.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from divisions.models import Region
from kernel.quarters import Quarter
from targets.models import Indicator, IndicatorValue, Target
from targets.services import REGISTRY_BOUNDS, quota_set_issue

DEMO_REF = "【演示数据】demo_values_seed"
# Relative size of each county's labour market (a demo weighting, not a statistic).
WEIGHTS = {"汉滨区": 3.0, "汉阴县": 1.0, "石泉县": 0.9, "宁陕县": 0.4, "紫阳县": 1.3, "岚皋县": 0.8,
           "平利县": 0.9, "镇坪县": 0.35, "白河县": 0.8, "旬阳市": 1.8}
FIRST, LAST_APPROVED, LAST = Quarter(2021, 1), Quarter(2026, 2), Quarter(2026, 3)


def _d(x: float, places: int = 0) -> Decimal:
    return Decimal(str(round(x, places)))


def _figures(code: str, weight: float, i: int, n: int, rnd: random.Random) -> dict[str, Decimal]:
    """Figures for one county in quarter ``i`` of ``n`` (0-based)."""
    t = i / max(n - 1, 1)
    if code == "urban_new_jobs":
        return {"value": _d(weight / 10.15 * 5000 * rnd.uniform(0.75, 1.2) * (0.8 if i % 4 == 0 else 1.05))}
    if code == "rural_labour_local_transfer":
        return {"value": _d(weight / 10.15 * 4800 * rnd.uniform(0.7, 1.15))}
    if code == "willing_able_employment_rate":
        den = weight * 21000 * rnd.uniform(0.97, 1.03)
        return {"able_and_willing": _d(den), "employed": _d(den * min(1.0, rnd.uniform(0.965, 0.99) + 0.02 * t))}
    if code == "hard_to_employ_assistance_rate":
        den = weight * 900 * rnd.uniform(0.9, 1.1)
        return {"hard_to_employ": _d(den), "assisted": _d(den * min(1.0, rnd.uniform(0.93, 0.99) + 0.05 * t))}
    if code == "zero_employment_households":
        return {"value": _d(max(0.0, weight * 12 * (1 - t) * rnd.uniform(0.6, 1.3) - (2 if t > 0.85 else 0)))}
    if code == "registered_unemployment_rate":
        den = weight * 60000 * rnd.uniform(0.97, 1.03)
        return {"urban_labour_force": _d(den), "registered_unemployed": _d(den * rnd.uniform(0.026, 0.043))}
    if code == "new_labour_local_share":
        den = weight * 2400 * rnd.uniform(0.9, 1.1)
        return {"new_labour": _d(den), "employed_locally": _d(den * rnd.uniform(0.42, 0.6))}
    if code == "fe_campaign_towns":
        return {"value": _d(min(weight * 10, weight * 10 * (0.3 + 0.8 * t)))}
    if code == "fe_campaign_villages":
        return {"value": _d(min(weight * 180, weight * 180 * (0.25 + 0.85 * t)))}
    if code == "public_vacancies_graduate_share":
        den = weight * 60 * rnd.uniform(0.8, 1.2)
        return {"vacancies": _d(den), "graduate_posts": _d(den * rnd.uniform(0.62, 0.82))}
    if code == "internship_posts":
        return {"value": _d(weight / 10.15 * 520 * rnd.uniform(0.8, 1.2))}
    if code in ("standard_entrepreneurship_centre_coverage", "relocation_community_service_upgrade",
                "relocation_service_window_upgrade", "urban_15min_service_circle", "rural_30min_service_circle"):
        roles = {c.role: c.code for c in Indicator.objects.get(code=code).components.all()}
        den = max(1.0, round(weight * 12))
        return {roles["denominator"]: _d(den), roles["numerator"]: _d(min(den, den * (0.35 + 0.7 * t)))}
    raise KeyError(code)


@transaction.atomic
def demo_values_seed(*, approver) -> int:
    """Create the demo figures once (a second call finds them and does nothing)."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo figures are only created with DEMO_MODE on (never in production)")
    if IndicatorValue.objects.filter(source_ref=DEMO_REF).exists():
        return 0
    rnd = random.Random(20220421)
    quarters = Quarter.between(FIRST.start, LAST.end)
    city = Region.objects.get(level=Region.Level.CITY)
    now = timezone.now()
    rows = []
    for indicator in Indicator.objects.exclude(kind=Indicator.Kind.DERIVED).prefetch_related("components"):
        components = {c.code: c for c in indicator.components.all()}
        units = [(city, 1.0)] if indicator.kind == Indicator.Kind.CITY_ONLY else [
            (r, WEIGHTS[r.name]) for r in Region.objects.counties().order_by("code")]
        for region, weight in units:
            for i, q in enumerate(quarters):
                if indicator.kind == Indicator.Kind.CITY_ONLY:
                    figures = {"value": _d(rnd.uniform(4.6, 5.6), 1)}
                else:
                    figures = _figures(indicator.code, weight, i, len(quarters), rnd)
                    if indicator.code in REGISTRY_BOUNDS:  # never more towns or villages than the county has
                        level = REGISTRY_BOUNDS[indicator.code][0]
                        registered = Region.objects.filter(county=region, level=level).count()
                        figures = {c: min(v, Decimal(registered)) for c, v in figures.items()}
                approved = q <= LAST_APPROVED
                for code, value in figures.items():
                    rows.append(IndicatorValue(
                        indicator=indicator, component=components[code], region=region, year=q.year,
                        quarter=q.number, value=value, source=IndicatorValue.Source.SYSTEM, source_ref=DEMO_REF,
                        status=IndicatorValue.Status.APPROVED if approved else IndicatorValue.Status.SUBMITTED,
                        submitted_by=approver, submitted_at=now, approved_by=approver if approved else None,
                        approved_at=now if approved else None))
    IndicatorValue.objects.bulk_create(rows, batch_size=1000)
    _demo_quotas(approver)
    return len(rows)


def _split(total: Decimal, weights: dict[Region, float]) -> dict[Region, Decimal]:
    """Split ``total`` in proportion to ``weights``, whole numbers that add up exactly."""
    share = sum(weights.values())
    quotas = {r: (total * Decimal(w / share)).quantize(Decimal(1)) for r, w in weights.items()}
    largest = max(weights, key=weights.get)
    quotas[largest] += total - sum(quotas.values())
    return quotas


def _demo_quotas(approver) -> None:
    """Demo county quotas for every main target the counties share: amounts split by the demo
    weights (jobs) or by each county's real number of villages and communities (certification);
    rates, ceilings and zero apply to each county as they stand. The surveyed unemployment rate
    is the city's alone and gets none."""
    counties = list(Region.objects.counties().order_by("code"))
    villages = {c: Region.objects.filter(county=c, level=Region.Level.VILLAGE).count() for c in counties}
    for target in Target.objects.filter(plan__code="ankang-2022", category=Target.Category.MAIN).select_related(
            "indicator"):
        if target.indicator.kind == Indicator.Kind.CITY_ONLY:
            continue
        if target.indicator.kind == Indicator.Kind.DERIVED:
            quotas = _split(target.value, {c: float(villages[c]) for c in counties})
        elif target.direction == Target.Direction.AT_LEAST and target.indicator.kind == Indicator.Kind.FLOW:
            quotas = _split(target.value, {c: WEIGHTS[c.name] for c in counties})
        else:
            quotas = {c: target.value for c in counties}
        quota_set_issue(target=target, quotas=quotas, issued_on=datetime.date(2022, 5, 20), user=approver,
                        document="【演示】安康市就业工作领导小组办公室分解下达通知")
