"""Demo task measures (任务指标): the group of key-industry-chain leads with its members, a figure
for every entered measure of every task in every quarter from 2021Q1 (the leads' in their
reports, the co-responsible units' in their parts), all noted 【演示数据】, and one part returned by
its lead (task 2's 市商务局 part in 2026Q3, which demo_dept can fix and resend). Refuses to run
without DEMO_MODE."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kernel.quarters import Quarter
from reports.models import (
    Notification,
    PeriodException,
    ReportingPeriod,
    SelfStatus,
    TaskMeasureFigure,
    TaskReport,
    TaskReportPart,
)
from reports.notifications import notify, officers_of
from seeding.demo.figures import FIRST, LAST
from tasks.models import Department, Plan, Task, TaskMeasure

DEMO_NOTE = "【演示数据】"
# The members of 市重点产业链牵头单位: each key chain's lead department (a demo reading of 推行产业链长制).
CHAIN_LEADS = {"市工信局": "新型材料、装备制造、电子信息", "市富硒办": "富硒食品", "市文旅广电局": "文化旅游",
               "市商务局": "现代物流与商贸"}
# A plausible quarterly size for each measure (city-wide, before the split between units).
SIZES = {
    "t1_market_entities": 900, "t1_cluster_jobs": 62000, "t2_park_jobs": 48000, "t2_chain_jobs": 21000,
    "t3_rural_sites": 12, "t3_rural_jobs": 2600, "t4_community_factories": 560, "t4_factory_jobs": 21500,
    "t5_assessed_units": 45, "t5_training_schools": 26, "t6_demand_surveys": 3, "t6_demand_list_enterprises": 1200,
    "t6_reserve_pool": 8600, "t7_hr_service_firms": 58, "t7_flexible_postings": 5200, "t8_fe_towns": 38,
    "t9_incubation_parks": 34, "t9_national_provincial_bases": 1, "t9_park_entrepreneurs": 1350,
    "t10_service_events": 160, "t10_matchmaking_events": 40, "t11_brand_training": 2100,
    "t11_brand_employment": 56000, "t12_skills_training": 9000, "t12_entrepreneurship_training": 1400,
    "t12_apprentices": 420, "t13_poverty_employed": 265000, "t13_public_welfare_posts": 16500,
    "t13_public_welfare_placed": 15800, "t13_transport_subsidy": 5200, "t14_vacancies": 1100,
    "t14_vacancies_graduates": 820, "t14_internship_posts": 560, "t14_medical_interns": 90,
    "t14_research_assistants": 25, "t15_returning_entrepreneurs": 650, "t15_returning_jobs": 3100,
    "t15_liaison_events": 9, "t15_startup_subsidies": 1450, "t16_guaranteed_loan_amount": 21000,
    "t16_guaranteed_loan_people": 1050, "t17_standard_centres": 120, "t17_areas": 150, "t17_areas_covered": 128,
    "t17_workshops": 640, "t18_relocation_communities": 214, "t18_communities_upgraded": 190,
    "t18_large_communities": 96, "t18_windows_upgraded": 88, "t18_ledger_communities": 205,
    "t19_urban_communities": 304, "t19_urban_covered": 280, "t19_villages": 1620, "t19_villages_covered": 1430,
    "t19_platform_users": 820000,
}
# The covered share grows to full coverage over the plan; other stocks grow a little each quarter.
COVERED = {"t17_areas_covered": "t17_areas", "t18_communities_upgraded": "t18_relocation_communities",
           "t18_windows_upgraded": "t18_large_communities", "t19_urban_covered": "t19_urban_communities",
           "t19_villages_covered": "t19_villages"}


def _value(measure: TaskMeasure, q: Quarter, i: int, n: int, share: float, rnd: random.Random) -> Decimal:
    base = SIZES.get(measure.code, 100) * share
    t = i / max(n - 1, 1)
    if measure.code in COVERED:
        whole = SIZES[COVERED[measure.code]] * share
        value = whole * min(1.0, 0.7 + 0.35 * t)
    elif measure.code == "t14_vacancies_graduates":
        value = SIZES["t14_vacancies"] * share * rnd.uniform(0.68, 0.8)
    elif measure.kind == TaskMeasure.Kind.STOCK:
        value = base * (0.75 + 0.35 * t) * rnd.uniform(0.98, 1.02)
    else:  # a flow: seasonal, a slow first quarter
        value = base * rnd.uniform(0.8, 1.2) * (0.7 if q.number == 1 else 1.05)
    places = 2 if not measure.whole_numbers else 0
    return Decimal(str(round(value, places)))


@transaction.atomic
def demo_measures_seed(*, admin, lead_user=None) -> int:
    """The group's members and the demo figures; returns how many figures were created."""
    if not settings.DEMO_MODE:
        raise RuntimeError("demo measures are only created with DEMO_MODE on (never in production)")
    group = Department.objects.get(name="市重点产业链牵头单位")
    group.members.add(*Department.objects.filter(name__in=CHAIN_LEADS))
    for member in Department.objects.filter(name__in=CHAIN_LEADS, chain=""):  # the chain it leads (a demo reading)
        member.chain = CHAIN_LEADS[member.name]
        member.save()  # through the history, so the audit trail has it
    if TaskMeasureFigure.objects.exists():
        return 0
    rnd = random.Random(2022)
    now = timezone.now()
    periods = {p.as_quarter: p for p in ReportingPeriod.objects.all()}
    every_quarter = list(Quarter.between(FIRST.start, LAST.end))
    # every plan's measures (the 2021–2025 plan's and the demo successor's, carried over by its
    # import), each in the quarters its task was reported on: a quarter's reports are on the tasks
    # of the plan in force then (the successor's from 2026Q1 when it is there)
    reports = {(r.task_id, r.period_id): r for r in TaskReport.objects.all()}
    parts = {(p.task_id, p.department_id, p.period_id): p for p in TaskReportPart.objects.all()}
    measures = [m for m in TaskMeasure.objects.select_related("task__plan")
                .prefetch_related("reporting_units", "task__responsibilities")
                .order_by("task__plan__period_start", "task__number", "order") if m.is_entered]

    new_parts, filer = [], Department.objects.get(name="市富硒办")  # files the group's parts
    for m in measures:
        lead_id = next(r.department_id for r in m.task.responsibilities.all() if r.role == "lead")
        for unit in m.reporting_units.all():
            if unit.pk == lead_id:
                continue
            for q in every_quarter:
                key = (m.task_id, unit.pk, periods[q].pk)
                if key not in parts and (m.task_id, periods[q].pk) in reports:
                    parts[key] = TaskReportPart(
                        task_id=m.task_id, department=unit, period=periods[q], state=TaskReportPart.State.SUBMITTED,
                        measures=f"【演示】{unit.name}落实第{m.task.number}项任务。", progress="【演示】按计划推进。",
                        self_status=SelfStatus.ON_TRACK, submitted_by=admin, submitted_at=now, first_submitted_at=now,
                        updated_by=admin, updated_at=now,
                        filed_by_department=filer if unit.pk == group.pk else None)
                    new_parts.append(parts[key])
    TaskReportPart.objects.bulk_create(new_parts, batch_size=500)
    parts = {(p.task_id, p.department_id, p.period_id): p for p in TaskReportPart.objects.all()}
    figures = []
    for m in measures:
        units = list(m.reporting_units.all())
        lead_id = next(r.department_id for r in m.task.responsibilities.all() if r.role == "lead")
        for unit_index, unit in enumerate(units):
            share = (len(units) - unit_index) / sum(range(1, len(units) + 1))  # the first-named unit the largest
            for q in every_quarter:
                i = every_quarter.index(q)  # the plans continue each other: growth over the whole run
                period = periods[q]
                if m.period == TaskMeasure.Period.YEAR and q.number != 4:
                    continue
                record = ({"report": reports.get((m.task_id, period.pk))} if unit.pk == lead_id
                          else {"part": parts.get((m.task_id, unit.pk, period.pk))})
                if next(iter(record.values())) is None:
                    continue  # not reported this quarter (tasks 17 and 19 in 2026Q3)
                figures.append(TaskMeasureFigure(measure=m, period=period, department=unit,
                                                 value=_value(m, q, i, len(every_quarter), share, rnd), note=DEMO_NOTE,
                                                 updated_by=admin, updated_at=now, **record))
    TaskMeasureFigure.objects.bulk_create(figures, batch_size=1000)
    _returned_part(admin=admin, lead_user=lead_user or admin)
    return len(figures)


def _returned_part(*, admin, lead_user) -> None:
    """Task 2's 2026Q3 part from 市商务局, returned by its lead 市工信局 with a comment and reopened
    for 市商务局 for a week: demo_dept fixes and resends it, demo_lead sees it come back."""
    period = ReportingPeriod.objects.get(year=LAST.year, quarter=LAST.number)
    task = Task.objects.get(plan=Plan.objects.current(LAST.end), number=2)  # the plan in force in 2026Q3
    now = timezone.now()
    part, _created = TaskReportPart.objects.get_or_create(
        task=task, period=period, department=Department.objects.get(name="市商务局"), defaults={
            "measures": "【演示】推进商贸物流园区建设，组织园区企业专场招聘。", "progress": "【演示】园区新增就业岗位420个。",
            "self_status": SelfStatus.ON_TRACK, "submitted_by": admin, "submitted_at": now, "first_submitted_at": now,
            "updated_by": admin, "updated_at": now})
    part.state = TaskReportPart.State.DRAFT
    part.returned_by, part.returned_at = lead_user, timezone.now()
    part.return_comment = "【演示】请补充商贸物流园区本季度新增就业岗位的来源和口径。"
    part.save()
    PeriodException.objects.get_or_create(period=period, department=part.department, defaults={
        "opened_by": admin, "open_until": timezone.localdate() + datetime.timedelta(days=7),
        "reason": "【演示】牵头单位退回分报告，延长填报一周"})
    notify(users=officers_of(department=part.department), kind=Notification.Kind.RETURNED,
           key=f"part:{part.pk}:returned:v{part.version}", title=f"第2项任务{period.label}分报告被牵头单位退回",
           body=part.return_comment, link=f"/reports/tasks/2/{period.label}/")
