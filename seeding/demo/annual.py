"""The demo's annual assessments (年度考核): a 【演示】 scheme for 2025 (the 2021–2025 plan) and 2026
(the successor), for the counties and for the departments; the 2025 assessment computed from the
demo records, drafted by demo_admin, checked and issued by demo_admin2 (its 通报 written by the
job); the 2026 one computed in draft by demo_admin — all through the services, once."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from assessments.annual import DEFAULT_RULES
from assessments.models import AnnualAssessment
from assessments.services import ItemInput, annual_check, annual_compute, annual_issue, scheme_save
from targets.models import Target
from tasks.models import Plan

NOTE = "【演示】演示用考核方案，分值与规则仅为示例。"
DOC_NUMBERS = {2025: "安就业办发〔2026〕5号（演示）", 2026: "安就业办发〔2027〕1号（演示）"}


def _county_items(plan: Plan) -> list[ItemInput]:
    items = []
    for code, name, weight in (("urban_new_jobs", "城镇新增就业", 25), ("rural_labour_local_transfer", "农村劳动力就地就近就业", 15),
                               ("registered_unemployment_rate", "城镇登记失业率", 15)):
        target = Target.objects.filter(plan=plan, indicator__code=code).select_related("indicator").first()
        if target is not None:
            items.append(ItemInput("target", name, Decimal(weight), DEFAULT_RULES["target"], target.indicator))
    rest = 100 - sum(i.weight for i in items)
    return items + [
        ItemInput("timeliness", "季报按时报送", rest - 30, DEFAULT_RULES["timeliness"]),
        ItemInput("completeness", "季报报送完整", Decimal(5), DEFAULT_RULES["completeness"]),
        ItemInput("sent_back", "季报被退回", Decimal(5), DEFAULT_RULES["sent_back"]),
        ItemInput("instructions", "领导批示办理", Decimal(20), DEFAULT_RULES["instructions"]),
    ]


def _department_items() -> list[ItemInput]:
    return [ItemInput("timeliness", "任务报告按时报送", Decimal(30), DEFAULT_RULES["timeliness"]),
            ItemInput("completeness", "任务报告报送完整", Decimal(20), DEFAULT_RULES["completeness"]),
            ItemInput("sent_back", "任务报告被退回", Decimal(10), DEFAULT_RULES["sent_back"]),
            ItemInput("instructions", "领导批示办理", Decimal(20), DEFAULT_RULES["instructions"]),
            ItemInput("measures", "任务指标达标", Decimal(20), DEFAULT_RULES["measures"])]


def demo_annual_seed(*, drafter, checker) -> list[AnnualAssessment]:
    if AnnualAssessment.objects.exists():
        return []
    done = []
    for year, code in ((2025, "ankang-2022"), (2026, "ankang-2026")):
        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            continue
        with transaction.atomic():
            scheme_save(year=year, audience="counties", plan=plan, items=_county_items(plan), user=drafter, note=NOTE)
            scheme_save(year=year, audience="departments", plan=plan, items=_department_items(), user=drafter,
                        note=NOTE)
            a = annual_compute(year=year, user=drafter, doc_number=DOC_NUMBERS[year],
                               title=f"【演示】关于{year}年度高质量充分就业工作考核结果的通报")
            if year == 2025:
                a = annual_check(assessment=a, user=checker)
                a = annual_issue(assessment=a, user=checker)
        a.refresh_from_db()  # the 通报's job has run after the commit (eagerly on the embedded default)
        done.append(a)
    return done
