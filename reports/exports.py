"""Exports of the reporting pages (issue 8, part 4): the returns inbox, a return's figures, the
task report board, timeliness and the user's notifications, from the pages' own selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kernel.exports import Table

from .models import CountyReturn, ReportingPeriod, TaskReportPart


def _who(user) -> str:
    return (user.full_name or user.username) if user else ""


def returns_table(rows, period: ReportingPeriod) -> Table:
    """``reports.selectors.returns_board``: each county the user may see, with its return."""
    table = Table("returns", _("Quarterly returns"), [
        _("Quarter"), _("NBS code"), _("County"), _("State"), _("First submitted at"), _("Submitted by"),
        _("Last changed by"), _("Last changed"), _("Reviewed at"), _("Deadline"), _("Overdue")])
    for row in rows:
        r = row.county_return
        table.rows.append([period.label, row.region.code, row.region.name,
                           r.get_state_display() if r else _("Not started"), r.first_submitted_at if r else None,
                           _who(r.submitted_by) if r else "", _who(r.updated_by) if r else "",
                           r.updated_at if r else None, r.reviewed_at if r else None, period.due_on,
                           _("Yes") if row.overdue else ""])
    return table


def return_figures_table(lines, county_return: CountyReturn) -> Table:
    """``reports.selectors.return_form``: a return's figures beside last quarter's and the cumulative."""
    table = Table("figures", _("Figures"), [
        _("County"), _("Quarter"), _("Indicator code"), _("Indicator"), _("Figure code"), _("Figure name"), _("Unit"),
        _("Last quarter"), _("Cumulative to last quarter"), _("Value"), _("Value status")])
    region, period = county_return.region, county_return.period
    for line in lines:
        for component, row, previous in line.components:
            table.rows.append([region.name, period.label, line.indicator.code, line.indicator.name, component.code,
                               component.name, component.unit, previous, line.cumulative,
                               row.value if row else None, row.get_status_display() if row else ""])
    return table


def task_reports_table(rows, period: ReportingPeriod, today) -> Table:
    """``reports.selectors.task_board``: the tasks the user sees, their report and parts."""
    table = Table("tasks", _("Task reports"), [
        _("Quarter"), _("Task"), _("Title"), _("Lead unit"), _("Parts in"), _("Parts expected"), _("Task report"),
        _("First submitted at"), _("Reviewed at"), _("My role"), _("My part")])
    roles = {"lead": _("Lead"), "co": _("Co-responsible"), "": ""}
    part_states = dict(TaskReportPart.State.choices)
    for row in rows:
        r = row.report
        state = r.get_state_display() if r else (_("Overdue") if today > period.due_on else _("Not started"))
        table.rows.append([period.label, row.task.number, row.task.title, row.lead.name, row.parts_submitted,
                           row.parts_expected, state, r.first_submitted_at if r else None,
                           r.reviewed_at if r else None, roles.get(row.my_role, ""),
                           str(part_states.get(row.my_part_state, _("Not started"))) if row.my_role == "co" else ""])
    return table


def _timeliness(key: str, title: str, unit_header: str, rows, period: ReportingPeriod) -> Table:
    table = Table(key, title, [unit_header, _("Quarter"), _("Expected"), _("On time"), _("Late"), _("Missing"),
                               _("Completeness"), _("Timeliness")])
    for t in rows:
        table.rows.append([t.unit.name, period.label, t.expected, t.on_time, t.late, t.missing, t.completeness,
                           t.timeliness])
    return table


def department_timeliness_table(rows, period: ReportingPeriod) -> Table:
    return _timeliness("departments", _("Departments"), _("Department"), rows, period)


def county_timeliness_table(rows, period: ReportingPeriod) -> Table:
    return _timeliness("counties", _("Counties"), _("County"), rows, period)


def notifications_table(queryset) -> Table:
    """The user's own notifications (``Notification.objects.for_user``), all of them."""
    table = Table("notifications", _("Notifications"), [
        _("Created at"), _("Kind"), _("Title"), _("Text"), _("Link"), _("Read at")])

    def rows():
        for n in queryset.iterator(chunk_size=500):
            yield [n.created_at, n.get_kind_display(), n.title, n.body, n.link, n.read_at]

    table.rows = rows()
    return table
