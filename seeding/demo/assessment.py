"""The demo's final assessment of the 2021–2025 plan: drafted by demo_admin after the roll-up (so
its figures are the demo snapshots at 2025Q4), checked and issued by demo_admin2, its files written
by the same job as any other — all through the services."""

from __future__ import annotations

from django.db import transaction

from assessments.models import FinalAssessment
from assessments.services import assessment_check, assessment_draft, assessment_issue
from tasks.models import Plan

DEMO_DOC_NUMBER = "安就业办发〔2026〕1号（演示）"


def demo_assessment_seed(*, drafter, checker) -> FinalAssessment | None:
    """Once: a second seed_demo leaves an existing assessment (and its versions) alone."""
    plan = Plan.objects.filter(code="ankang-2022").first()
    if plan is None or FinalAssessment.objects.filter(plan=plan).exists():
        return None
    with transaction.atomic():
        assessment = assessment_draft(plan=plan, user=drafter, doc_number=DEMO_DOC_NUMBER,
                                      title=f"【演示】{plan.title}（{plan.period_text}）终期评估报告")
        assessment = assessment_check(assessment=assessment, user=checker)
        assessment = assessment_issue(assessment=assessment, user=checker)
    assessment.refresh_from_db()  # the files job has run after the commit (eagerly on the embedded default)
    return assessment
