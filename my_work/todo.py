"""待办: each role's to-do list, every item a direct link with the days left to its deadline (or,
for what waits on a reviewer, how long it has waited, oldest first).

One function per role's work; ``todo_sections`` gathers those that apply to a person, so a person
with two roles sees both. Deadlines are local dates: a period's due date (or the exception that
reopened it for the unit), an instruction's deadline. Nothing here is a link the person cannot
open: every item comes from the querysets that decide access (``for_user``, ``editable_by``,
``awaiting_review_by``, ``units_for``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Application
from communities.selectors import review_queue
from kernel.dates import date_text, quarter_text
from kernel.numbers import figure_text
from reports import access
from reports.models import (
    Correction,
    CountyReturn,
    ExtensionRequest,
    Instruction,
    InstructionUnit,
    PeriodException,
    ReportingPeriod,
    ReviewState,
    TaskReport,
    TaskReportPart,
)
from reports.selectors import returns_board, task_board
from reports.services import period_is_open_for
from targets.models import Snapshot
from targets.selectors import targets_overview
from tasks.models import Department, Responsibility
from tasks.selectors import plan_current_for_user

UNDER_REVIEW = (ReviewState.SUBMITTED, ReviewState.RESUBMITTED)
UNFINISHED = (ReviewState.DRAFT, ReviewState.RETURNED)


@dataclass
class Item:
    """One thing to do: what, where, its state, and its deadline or how long it has waited."""

    what: str
    link: str
    state: str = ""
    due: datetime.date | None = None
    since: datetime.datetime | None = None  # waiting since (items waiting for a review)
    note: str = ""
    urgent: bool = False
    days: int | None = field(default=None, init=False)

    def when(self, today: datetime.date) -> str:
        """还剩3天 / 今天到期 / 逾期5天 for a deadline; 已等待4天 for an item waiting since a moment."""
        if self.due is not None:
            self.days = (self.due - today).days
            if self.days > 0:
                return _("%(days)s days left") % {"days": self.days}
            if self.days == 0:
                return _("due today")
            return _("%(days)s days overdue") % {"days": -self.days}
        if self.since is not None:
            waited = (today - timezone.localtime(self.since).date()).days
            return _("waiting %(days)s days") % {"days": waited} if waited > 0 else _("since today")
        return ""


@dataclass
class Section:
    title: str
    items: list[Item]
    more: tuple[str, str] | None = None  # (label, link) to the full list
    empty: str = ""


def _candidate_periods(today: datetime.date) -> list[ReportingPeriod]:
    """Periods that may still take entry around ``today`` (the last two years' and the next's)."""
    return list(ReportingPeriod.objects.filter(year__gte=today.year - 2, year__lte=today.year + 1)
                .order_by("year", "quarter"))


def _deadline(period: ReportingPeriod, today: datetime.date, **unit) -> datetime.date:
    """The date a unit's work for ``period`` is due: the period's due date, or the last day of an
    exception that reopened it for the unit once that date has passed."""
    if today <= period.due_on:
        return period.due_on
    exception = (PeriodException.objects.filter(period=period, open_until__gte=today, **unit)
                 .order_by("-open_until").first())
    return exception.open_until if exception else period.due_on


def _open_periods(today: datetime.date, **unit) -> list[ReportingPeriod]:
    return [period for period in _candidate_periods(today) if period_is_open_for(period=period, today=today, **unit)]


def returns_to_file(*, user, today: datetime.date) -> Section | None:
    """A county officer's (or the city statistics officer's) returns: each open period's return not
    yet sent, and every return sent back or left in draft."""
    region_id = access.own_reporting_region_id(user)
    if not region_id:
        return None
    unit = CountyReturn.objects.units_for(user).filter(pk=region_id).first()
    if unit is None:
        return None
    items, seen = [], set()
    for county_return in (CountyReturn.objects.for_user(user).filter(region_id=region_id, state__in=UNFINISHED)
                          .select_related("period")):
        seen.add(county_return.period_id)
        items.append(Item(
            _("%(unit)s %(quarter)s quarterly return") % {"unit": unit.name, "quarter": quarter_text(county_return.period)},
            reverse("reports:county-return", args=[unit.code, county_return.period.label]),
            state=county_return.get_state_display(), due=_deadline(county_return.period, today, region=unit),
            note=county_return.review_comment if county_return.state == ReviewState.RETURNED else "",
            urgent=county_return.state == ReviewState.RETURNED))
    for period in _open_periods(today, region=unit):
        if period.pk in seen or CountyReturn.objects.filter(region=unit, period=period).exists():
            continue
        items.append(Item(
            _("%(unit)s %(quarter)s quarterly return") % {"unit": unit.name, "quarter": quarter_text(period)},
            reverse("reports:county-return", args=[unit.code, period.label]),
            state=_("Not started"), due=_deadline(period, today, region=unit)))
    for county_return in (CountyReturn.objects.for_user(user).filter(region_id=region_id, state__in=UNDER_REVIEW)
                          .select_related("period").order_by("period__year", "period__quarter")):
        items.append(Item(
            _("%(unit)s %(quarter)s quarterly return") % {"unit": unit.name, "quarter": quarter_text(county_return.period)},
            reverse("reports:county-return", args=[unit.code, county_return.period.label]),
            state=county_return.get_state_display(), since=county_return.submitted_at,
            note=_("sent; waiting for the office's review")))
    # the next quarter, not yet open: when it opens and when it is due
    coming = next((period for period in _candidate_periods(today) if period.is_not_yet_open_on(today)), None)
    if coming is not None and not period_is_open_for(period=coming, today=today, region=unit):
        items.append(Item(
            _("%(unit)s %(quarter)s quarterly return") % {"unit": unit.name, "quarter": quarter_text(coming)},
            reverse("reports:county-return", args=[unit.code, coming.label]),
            state=_("Opens on %(day)s") % {"day": date_text(coming.opens_on)}, due=coming.due_on))
    return Section(_("Quarterly returns to file"), items, empty=_("Every open quarter's return has been sent."))


def corrections_of_unit(*, user, today: datetime.date) -> Section | None:
    """A county's correction requests still waiting for the office, and those refused lately."""
    region_id = access.own_reporting_region_id(user)
    if not region_id:
        return None
    recent = timezone.now() - datetime.timedelta(days=30)
    corrections = (Correction.objects.filter(county_return__region_id=region_id)
                   .filter(state=Correction.State.SUBMITTED) | Correction.objects.filter(
                       county_return__region_id=region_id, state=Correction.State.REJECTED, reviewed_at__gte=recent))
    items = [Item(f"{correction.indicator.name} · {quarter_text(correction.county_return.period)}",
                  reverse("reports:county-return", args=[correction.county_return.region.code,
                                                        correction.county_return.period.label]),
                  state=correction.get_state_display(),
                  since=correction.requested_at if correction.state == Correction.State.SUBMITTED else None,
                  note=correction.review_comment, urgent=correction.state == Correction.State.REJECTED)
             for correction in corrections.select_related("indicator", "county_return__region",
                                                          "county_return__period").order_by("requested_at")]
    return Section(_("Correction requests"), items) if items else None


def applications_to_do(*, user, today: datetime.date) -> Section | None:
    """Certification applications: those waiting at a step the user decides (town 初审, county 审核,
    city 认定), oldest first, and the county's own drafts and returned ones."""
    waiting = list(review_queue(user=user))
    own = []
    if access.own_county_id(user):
        own = list(Application.objects.editable_by(user).filter(
            state__in=(Application.State.DRAFT, Application.State.RETURNED)).select_related(
            "community", "tier").order_by("-state", "created_at"))
    if not waiting and not own:
        return None
    items = [Item(f"{application.community.name} · {application.tier.name}",
                  reverse("registry:application", args=[application.pk]),
                  state=application.get_step_display(), since=application.submitted_at)
             for application in waiting]
    items += [Item(f"{application.community.name} · {application.tier.name}",
                   reverse("registry:application", args=[application.pk]), state=application.get_state_display(),
                   urgent=application.state == Application.State.RETURNED)
              for application in own]
    return Section(_("Certification applications"), items,
                   more=(_("All applications"), reverse("registry:applications")))


def task_work(*, user, today: datetime.date) -> list[Section]:
    """A department officer's task reports to compile as lead and parts to file as a co-responsible
    unit, for every period open to the department, and returned ones of any period."""
    department_id = access.own_department_id(user)
    plan = plan_current_for_user(user)
    if not department_id or plan is None:
        return []
    # the department and any group it files for (市重点产业链牵头单位): a period open to either counts
    departments = list(Department.objects.filter(pk__in=access.acting_department_ids(user) | {department_id}))

    def deadline(period):
        return max(_deadline(period, today, department=unit) for unit in departments)

    open_periods = {period.pk: period for unit in departments for period in _open_periods(today, department=unit)}
    lead, parts, seen = [], [], set()
    for report in (TaskReport.objects.editable_by(user).filter(state=ReviewState.RETURNED)
                   .select_related("task", "period")):
        seen.add(("lead", report.task_id, report.period_id))
        lead.append(Item(f"{report.task.number}. {report.task.title} · {quarter_text(report.period)}",
                         reverse("reports:task-report", args=[report.task.number, report.period.label]),
                         state=report.get_state_display(), due=deadline(report.period),
                         note=report.review_comment, urgent=True))
    for part in (TaskReportPart.objects.editable_by(user).filter(state=TaskReportPart.State.DRAFT)
                 .exclude(return_comment="").select_related("task", "period")):  # returned by the lead
        seen.add(("co", part.task.number, part.period_id))
        parts.append(Item(f"{part.task.number}. {part.task.title} · {quarter_text(part.period)}",
                          reverse("reports:task-report", args=[part.task.number, part.period.label]),
                          state=_("returned by the lead"), due=deadline(part.period), note=part.return_comment,
                          urgent=True))
    for period in sorted(open_periods.values(), key=lambda period: (period.year, period.quarter)):
        for row in task_board(user=user, plan=plan, period=period):
            link = reverse("reports:task-report", args=[row.task.number, period.label])
            what = f"{row.task.number}. {row.task.title} · {quarter_text(period)}"
            if row.my_role == Responsibility.Role.LEAD and ("lead", row.task.pk, period.pk) not in seen:
                state = row.report.state if row.report else None
                if state in (None, ReviewState.DRAFT):
                    lead.append(Item(what, link, state=row.report.get_state_display() if row.report else _("Not started"),
                                     due=deadline(period),
                                     note=_("%(in)s of %(of)s parts in") % {"in": row.parts_submitted,
                                                                             "of": row.parts_expected}
                                     if row.parts_expected else ""))
            elif (row.my_role == Responsibility.Role.CO and row.my_part_state != TaskReportPart.State.SUBMITTED
                  and ("co", row.task.number, period.pk) not in seen):
                returned = bool(row.my_part and TaskReportPart.objects.filter(pk=row.my_part).exclude(
                    return_comment="").exists())
                parts.append(Item(what, link, state=_("Draft") if row.my_part_state else _("Not started"),
                                  due=deadline(period), urgent=returned,
                                  note=_("returned by the lead") if returned else ""))
    # the next quarter, not yet open to the department: how many reports and parts, when it opens
    coming = next((period for period in _candidate_periods(today) if period.is_not_yet_open_on(today)), None)
    if coming is not None and coming.pk not in open_periods:
        rows = task_board(user=user, plan=plan, period=coming)
        opens = _("Opens on %(day)s") % {"day": date_text(coming.opens_on)}
        board = reverse("reports:task-board") + f"?period={coming.label}"
        led = sum(row.my_role == Responsibility.Role.LEAD for row in rows)
        owed = sum(row.my_role == Responsibility.Role.CO for row in rows)
        if led:
            lead.append(Item(_("%(quarter)s: %(n)s task reports we lead") % {"quarter": quarter_text(coming), "n": led},
                             board, state=opens, due=coming.due_on))
        if owed:
            parts.append(Item(_("%(quarter)s: %(n)s parts of other units' tasks") % {
                "quarter": quarter_text(coming), "n": owed}, board, state=opens, due=coming.due_on))
    return [Section(_("Task reports to compile (we lead)"), lead,
                    empty=_("Every task report we lead has been sent for this quarter."),
                    more=(_("Task board"), reverse("reports:task-board"))),
            Section(_("Parts to file for other units' tasks"), parts,
                    empty=_("No part to file in an open quarter.")) if parts or _co_anywhere(department_id) else None]


def _co_anywhere(department_id: int) -> bool:
    return Responsibility.objects.filter(department_id=department_id, role=Responsibility.Role.CO).exists()


def instructions_to_answer(*, user, today: datetime.date) -> Section | None:
    """督办: the leaders' instructions the user's unit (county or department) must reply to, by deadline."""
    if not (access.own_county_id(user) or access.own_department_id(user)):
        return None
    addressees = list(InstructionUnit.objects.for_user(user).filter(
        state__in=(InstructionUnit.State.OPEN, InstructionUnit.State.RETURNED)).select_related(
        "instruction__task").order_by("instruction__deadline", "pk"))
    if not addressees:
        return None
    items = [Item(f"{a.instruction.task.number}. {a.instruction.text[:40]}",
                  reverse("reports:instruction", args=[a.instruction.pk]), state=a.get_state_display(),
                  due=a.instruction.deadline, note=a.review_comment if a.state == InstructionUnit.State.RETURNED else "",
                  urgent=a.state == InstructionUnit.State.RETURNED)
             for a in addressees]
    return Section(_("Instructions to reply to"), items)


def review_queue_items(*, user, today: datetime.date) -> Section | None:
    """The city office's review queue: returns, task reports, corrections, extension requests and
    replies to instructions waiting for a decision, oldest first."""
    if not access.reviews_reporting(user):
        return None
    items = []
    for county_return in CountyReturn.objects.for_user(user).filter(state__in=UNDER_REVIEW).select_related(
            "region", "period"):
        items.append(Item(_("%(unit)s %(quarter)s quarterly return") % {
            "unit": county_return.region.name, "quarter": quarter_text(county_return.period)},
            reverse("reports:county-return", args=[county_return.region.code, county_return.period.label]),
            state=county_return.get_state_display(), since=county_return.submitted_at))
    for report in TaskReport.objects.for_user(user).filter(state__in=UNDER_REVIEW).select_related("task", "period"):
        items.append(Item(f"{report.task.number}. {report.task.title} · {quarter_text(report.period)}",
                          reverse("reports:task-report", args=[report.task.number, report.period.label]),
                          state=report.get_state_display(), since=report.submitted_at))
    for correction in Correction.objects.filter(state=Correction.State.SUBMITTED).select_related(
            "indicator", "county_return__region", "county_return__period"):
        items.append(Item(_("Correction: %(unit)s %(quarter)s · %(indicator)s") % {
            "unit": correction.county_return.region.name, "quarter": quarter_text(correction.county_return.period),
            "indicator": correction.indicator.name},
            reverse("reports:county-return", args=[correction.county_return.region.code,
                                                  correction.county_return.period.label]),
            state=correction.get_state_display(), since=correction.requested_at))
    for extension in ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).select_related(
            "region", "department", "period"):
        items.append(Item(_("Extension request: %(unit)s %(quarter)s") % {
            "unit": extension.unit.name, "quarter": quarter_text(extension.period)},
            reverse("reports:extensions"), state=extension.get_state_display(), since=extension.requested_at))
    for addressee in InstructionUnit.objects.filter(state=InstructionUnit.State.REPLIED).select_related(
            "instruction__task", "region", "department"):
        items.append(Item(_("Reply to an instruction: %(unit)s · task %(task)s") % {
            "unit": addressee.unit.name, "task": addressee.instruction.task.number},
            reverse("reports:instruction", args=[addressee.instruction.pk]), state=addressee.get_state_display(),
            since=addressee.replied_at))
    far_past = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    items.sort(key=lambda item: item.since or far_past)
    return Section(_("Waiting for the office's decision (oldest first)"), items, empty=_("Nothing waits for review."))


def watch_list(*, user, today: datetime.date, period: ReportingPeriod | None) -> list[Section]:
    """A leader's watch list: the targets behind pace or at risk, the units overdue with their
    return or task report, and the instructions the leader gave with each unit's state."""
    if not access.gives_instructions(user):
        return []
    sections = []
    plan = plan_current_for_user(user)
    if plan is not None:
        behind = [(target, snapshot) for target, snapshot in targets_overview(plan=plan, user=user)
                  if snapshot is not None and snapshot.status in (Snapshot.Status.RED, Snapshot.Status.AMBER)]
        behind.sort(key=lambda pair: (pair[1].status != Snapshot.Status.RED, pair[0].order))
        sections.append(Section(_("Targets behind pace"), [
            Item(target.name, reverse("targets:target-detail", args=[plan.code, target.code]),
                 state=snapshot.get_status_display(), urgent=snapshot.status == Snapshot.Status.RED,
                 note=_watch_note(target, snapshot))
            for target, snapshot in behind], more=(_("Where we are behind"), reverse("dashboards:behind")),
            empty=_("No target is behind pace.")))
    if period is not None:
        overdue = [Item(_("%(unit)s %(quarter)s quarterly return") % {
                        "unit": row.region.name, "quarter": quarter_text(period)},
                        reverse("reports:county-return", args=[row.region.code, period.label])
                        if access.can_see_returns(user) else reverse("reports:timeliness"),
                        state=row.county_return.get_state_display() if row.county_return else _("Not started"),
                        due=period.due_on, urgent=True)
                   for row in returns_board(user=user, period=period, today=today) if row.overdue]
        if plan is not None and today > period.due_on:
            for row in task_board(user=user, plan=plan, period=period):
                if row.report is None or row.report.state in UNFINISHED:
                    overdue.append(Item(f"{row.lead.name} · {row.task.number}. {row.task.title} · {quarter_text(period)}",
                                        reverse("reports:task-report", args=[row.task.number, period.label]),
                                        state=row.report.get_state_display() if row.report else _("Not started"),
                                        due=period.due_on, urgent=True))
        sections.append(Section(_("Overdue units"), overdue, empty=_("No unit is overdue."),
                                more=(_("Completeness and timeliness"), reverse("reports:timeliness"))))
    given = []
    for instruction in (Instruction.objects.filter(author=user).prefetch_related("addressees__region",
                                                                                 "addressees__department")
                        .select_related("task").order_by("deadline", "pk")):
        addressees = list(instruction.addressees.all())
        open_units = [a for a in addressees if not a.is_closed]
        if not open_units:
            continue
        given.append(Item(f"{instruction.task.number}. {instruction.text[:40]}",
                          reverse("reports:instruction", args=[instruction.pk]),
                          state="、".join(f"{a.unit.name}{a.get_state_display()}" for a in open_units),
                          due=instruction.deadline,
                          urgent=instruction.deadline is not None and instruction.deadline < today))
    sections.append(Section(_("Instructions I gave, not yet closed"), given,
                            empty=_("Every instruction you gave is closed."),
                            more=(_("All instructions"), reverse("reports:instructions"))))
    return sections


def _watch_note(target, snapshot) -> str:
    """Where a target stands: its achievement against the time elapsed, or (a rate kept under a
    ceiling, which has no achievement) its figure against the target."""
    if snapshot.percent_achieved is None:
        return _("now %(value)s, target %(target)s · %(quarter)s") % {
            "value": figure_text(snapshot.value, target.unit), "target": target.display_value,
            "quarter": quarter_text(snapshot.quarter_label)}
    return _("%(achieved)s achieved, %(elapsed)s of the time elapsed · %(quarter)s") % {
        "achieved": figure_text(snapshot.percent_achieved, "%"),
        "elapsed": figure_text(snapshot.percent_time_elapsed, "%"), "quarter": quarter_text(snapshot.quarter_label)}


def todo_sections(*, user, today: datetime.date, period: ReportingPeriod | None) -> list[Section]:
    """Every to-do section that applies to ``user``, each item told its days left."""
    sections = [returns_to_file(user=user, today=today), corrections_of_unit(user=user, today=today),
                *task_work(user=user, today=today), instructions_to_answer(user=user, today=today),
                applications_to_do(user=user, today=today), review_queue_items(user=user, today=today),
                *watch_list(user=user, today=today, period=period)]
    sections = [section for section in sections if section is not None]
    for section in sections:
        for item in section.items:
            item.when_text = item.when(today)
        if not any(item.since for item in section.items):
            section.items.sort(key=lambda item: item.due or datetime.date.max)
    return sections
