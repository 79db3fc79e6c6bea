"""Demo returns over the demo figures (see seeding/demo/figures.py) — the ten counties' and the city's
own (the surveyed unemployment rate, entered by demo_stats): approved up to 2026Q2; for 2026Q3
submitted and awaiting the city's review, except 石泉县's, which the city returned with a comment
and reopened for a week by an exception, so every step of the workflow can be tried."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from divisions.models import Region
from kernel.quarters import Quarter
from reports.models import CountyReturn, PeriodException, ReportingPeriod, SelfStatus, TaskReport, TaskReportPart
from seeding.demo.figures import DEMO_REF, FIRST, LAST, LAST_APPROVED
from targets.models import IndicatorValue
from tasks.models import Department, Plan, Task


@transaction.atomic
def demo_returns_seed(*, admin) -> int:
    if not settings.DEMO_MODE:
        raise RuntimeError("demo returns are only created with DEMO_MODE on (never in production)")
    if CountyReturn.objects.exists():
        return 0
    now = timezone.now()
    periods = {(p.year, p.quarter): p for p in ReportingPeriod.objects.all()}
    returns = []
    # the counties' returns and the city's own (the surveyed unemployment rate, by the city's
    # statistics officer): approved to 2026Q2, 2026Q3 waiting for the office's review
    stats = User.objects.filter(username="demo_stats").first() or admin
    for county in Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.COUNTY]).order_by("code"):
        submitter = stats if county.level == Region.Level.CITY else admin
        for q in Quarter.between(FIRST.start, LAST.end):
            approved = q <= LAST_APPROVED
            returns.append(CountyReturn(
                region=county, period=periods[(q.year, q.number)],
                state=CountyReturn.State.APPROVED if approved else CountyReturn.State.SUBMITTED,
                submitted_by=submitter, submitted_at=now, first_submitted_at=_demo_submission(county, q),
                reviewed_by=admin if approved else None,
                reviewed_at=now if approved else None, updated_by=admin, updated_at=now,
                explanation="【演示数据】"))
    CountyReturn.objects.bulk_create(returns, batch_size=500)
    if stats is not admin:  # the city's figures were entered by its statistics officer
        IndicatorValue.objects.filter(region__level=Region.Level.CITY, source_ref=DEMO_REF).update(submitted_by=stats)
    shiquan = CountyReturn.objects.get(region__name="石泉县", period__year=LAST.year, period__quarter=LAST.number)
    shiquan.state = CountyReturn.State.RETURNED
    shiquan.review_comment = "【演示】城镇新增就业人数较上季度波动较大，请核实后重新报送。"
    shiquan.reviewed_by, shiquan.reviewed_at = admin, now
    shiquan.save()
    IndicatorValue.objects.filter(region=shiquan.region, year=LAST.year, quarter=LAST.number,
                                  source_ref=DEMO_REF).update(status=IndicatorValue.Status.RETURNED)
    PeriodException.objects.create(period=shiquan.period, region=shiquan.region, opened_by=admin,
                                   open_until=timezone.localdate() + datetime.timedelta(days=7),
                                   reason="【演示】退回修改，延长填报一周")
    _demo_open_early(admin=admin, region=Region.objects.counties().get(name="汉滨区"))
    return len(returns)


def _demo_open_early(*, admin, **unit) -> None:
    """The quarter in progress opens for entry only when it ends; the demo opens it early for one
    unit (汉滨区, 市工信局, 市重点产业链牵头单位), recorded as an exception, so starting it can be tried — every other
    unit's page says when it opens."""
    running = LAST.next()
    period = ReportingPeriod.objects.filter(year=running.year, quarter=running.number).first()
    if period is not None:
        PeriodException.objects.create(period=period, opened_by=admin, open_until=period.locks_after,
                                       reason="【演示】试点单位提前开放本季度填报", **unit)


@transaction.atomic
def demo_task_reports_seed(*, admin) -> int:
    """Approved task reports for every quarter from 2021Q1 to 2026Q2 (a few submitted late), and
    for 2026Q3: approved for most tasks, one returned with a comment (task 2, led by
    市工信局: demo_lead can fix and resend), task 6's part from 市商务局 in (demo_dept), and
    2026Q4 left for everyone to start."""

    if not settings.DEMO_MODE:
        raise RuntimeError("demo reports are only created with DEMO_MODE on (never in production)")
    if TaskReport.objects.exists():
        return 0
    now = timezone.now()
    period = ReportingPeriod.objects.get(year=LAST.year, quarter=LAST.number)
    statuses = [SelfStatus.ON_TRACK, SelfStatus.ON_TRACK, SelfStatus.AT_RISK, SelfStatus.ON_TRACK, SelfStatus.BEHIND]
    reports = []
    for task in _tasks_reported(period):
        if task.number in (17, 19):
            continue  # not yet reported: overdue on the board
        returned = task.number == 2
        reports.append(TaskReport(
            task=task, period=period, measures=f"【演示】{task.title}：本季度召开专题推进会，落实责任分工。",
            progress="【演示】各项指标按时序推进。", problems="【演示】个别县区进度偏慢。",
            next_steps="【演示】加强督导调度。", self_status=statuses[task.number % 5],
            state=TaskReport.State.RETURNED if returned else TaskReport.State.APPROVED,
            submitted_by=admin, submitted_at=now, reviewed_by=admin, reviewed_at=now,
            first_submitted_at=timezone.make_aware(datetime.datetime.combine(
                period.due_on + datetime.timedelta(days=(task.number % 4) - 2), datetime.time(16))),
            review_comment="【演示】请补充园区新增就业岗位的具体数据。" if returned else "",
            updated_by=admin, updated_at=now))
    # the quarters before: every task reported and approved, most on time, a few late, so the
    # board, the scorecards and the timeliness pages show a plan that has been reported on
    earlier = ReportingPeriod.objects.filter(year__gte=FIRST.year).exclude(year__gt=LAST.year).exclude(
        year=LAST.year, quarter__gte=LAST.number).order_by("year", "quarter")
    for old_period in earlier:
        for task in _tasks_reported(old_period):
            late = (task.number * 5 + old_period.quarter * 3 + old_period.year) % 11 == 0
            submitted = timezone.make_aware(datetime.datetime.combine(
                old_period.due_on + datetime.timedelta(days=3 if late else -((task.number + old_period.quarter) % 5)),
                datetime.time(15)))
            reports.append(TaskReport(
                task=task, period=old_period, measures=f"【演示】{task.title}：按季度推进。",
                progress="【演示】完成本季度工作。", problems="", next_steps="【演示】继续推进。",
                self_status=statuses[(task.number + old_period.quarter) % 5], state=TaskReport.State.APPROVED,
                submitted_by=admin, submitted_at=submitted, first_submitted_at=submitted, reviewed_by=admin,
                reviewed_at=submitted + datetime.timedelta(days=2), updated_by=admin, updated_at=submitted))
    TaskReport.objects.bulk_create(reports, batch_size=1000)
    task6 = next(t for t in _tasks_reported(period) if t.number == 6)

    TaskReportPart.objects.create(
        task=task6, department=Department.objects.get(name="市商务局"), period=period,
        measures="【演示】开展商贸企业用工需求调查。", progress="【演示】收集岗位需求860个。",
        self_status=SelfStatus.ON_TRACK, state=TaskReportPart.State.SUBMITTED, submitted_by=admin, submitted_at=now,
        first_submitted_at=now,
        updated_by=admin, updated_at=now)
    PeriodException.objects.create(period=period, department=Department.objects.get(name="市工信局"), opened_by=admin,
                                   open_until=timezone.localdate() + datetime.timedelta(days=7),
                                   reason="【演示】退回修改，延长填报一周")
    _demo_open_early(admin=admin, department=Department.objects.get(name="市工信局"))
    # the group of chain leads too, so demo_chain (市富硒办, a member) can file the group's 2026Q4 part
    _demo_open_early(admin=admin, department=Department.objects.get(name="市重点产业链牵头单位"))
    return len(reports)


def _tasks_reported(period: ReportingPeriod) -> list[Task]:
    """The tasks a quarter's reports are on: those of the plan in force at the quarter's end (the
    2021–2025 plan's up to 2025Q4, the demo successor's from 2026Q1 when it is there)."""
    plan = Plan.objects.current(period.as_quarter.end)
    return list(Task.objects.filter(plan=plan, kind=Task.Kind.TASK).order_by("number"))


def _demo_submission(county: Region, q: Quarter) -> datetime.datetime:
    """A plausible first-submission time: most counties a few days before the deadline, one or two
    a few days late, varying by quarter."""
    due = q.end + datetime.timedelta(days=settings.REPORT_DUE_DAYS)
    offset = (int(county.code[4:6]) * 7 + q.number * 3 + q.year) % 9 - 6  # −6 … +2 days
    return timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=offset), datetime.time(10)))


@transaction.atomic
def demo_review_steps_seed(*, admin) -> int:
    """The 流转记录 of the demo's returns, task reports and parts. The two returned items show a
    whole story — 石泉县's 2026Q3 return and task 2's 2026Q3 report: sent by the unit's demo officer,
    opened by the office, returned with its comment — and every other sent record gets its steps
    from its fields (reports.services.review_steps_backfill, as the migration did for real data)."""
    from reports.models import ReviewStep
    from reports.services import review_step, review_steps_backfill

    if not settings.DEMO_MODE:
        raise RuntimeError("demo review steps are only created with DEMO_MODE on (never in production)")
    if ReviewStep.objects.exists():
        return 0
    written = 0
    stories = [
        (CountyReturn.objects.filter(region__name="石泉县", period__year=LAST.year, period__quarter=LAST.number,
                                     state=CountyReturn.State.RETURNED).first(), "demo_shiquan",
         "【演示】已按要求填报，请审核。"),
        (TaskReport.objects.filter(task__number=2, period__year=LAST.year,
                                   period__quarter=LAST.number, state=TaskReport.State.RETURNED).first(), "demo_lead", ""),
    ]
    for record, officer_name, note in stories:
        officer = User.objects.filter(username=officer_name).first()
        if record is None or officer is None or not record.reviewed_at:
            continue
        returned_at = record.reviewed_at
        review_step(record, "submitted", officer, comment=note, at=returned_at - datetime.timedelta(days=2, hours=3))
        review_step(record, "opened", admin, at=returned_at - datetime.timedelta(hours=5))
        review_step(record, "returned", record.reviewed_by or admin, comment=record.review_comment, at=returned_at)
        written += 3
    return written + review_steps_backfill()
