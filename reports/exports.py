"""Exports of the reporting pages: the returns inbox, a return's figures, the
task report board, timeliness and the user's notifications, from the pages' own selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kernel.exports import Table
from tasks.models import Responsibility

from .models import CountyReturn, ReportingPeriod, TaskReportPart


def _who(user) -> str:
    return (user.full_name or user.username) if user else ""


def returns_table(rows, period: ReportingPeriod) -> Table:
    """``reports.selectors.returns_board``: each county the user may see, with its return."""
    table = Table("returns", _("Quarterly returns"), [
        _("Quarter"), _("NBS code"), _("County"), _("State"), _("First submitted at"), _("Submitted by"),
        _("Last changed by"), _("Last changed"), _("Reviewed at"), _("Deadline"), _("Overdue")])
    for row in rows:
        county_return = row.county_return
        if county_return is None:
            filed = [_("Not started"), None, "", "", None, None]
        else:
            filed = [county_return.get_state_display(), county_return.first_submitted_at,
                     _who(county_return.submitted_by), _who(county_return.updated_by), county_return.updated_at,
                     county_return.reviewed_at]
        table.rows.append([period.label, row.region.code, row.region.name, *filed, period.due_on,
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
    roles = {Responsibility.Role.LEAD: _("Lead"), Responsibility.Role.CO: _("Co-responsible"), "": ""}
    part_states = dict(TaskReportPart.State.choices)
    for row in rows:
        report = row.report
        state = (report.get_state_display() if report
                 else (_("Overdue") if today > period.due_on else _("Not started")))
        my_part = (str(part_states.get(row.my_part_state, _("Not started")))
                   if row.my_role == Responsibility.Role.CO else "")
        table.rows.append([period.label, row.task.number, row.task.title, row.lead.name, row.parts_submitted,
                           row.parts_expected, state, report.first_submitted_at if report else None,
                           report.reviewed_at if report else None, roles.get(row.my_role, ""), my_part])
    return table


def _timeliness(key: str, title: str, unit_header: str, rows, period: ReportingPeriod) -> Table:
    table = Table(key, title, [unit_header, _("Quarter"), _("Expected"), _("On time"), _("Late"), _("Missing"),
                               _("Completeness"), _("Timeliness")])
    for row in rows:
        table.rows.append([row.unit.name, period.label, row.expected, row.on_time, row.late, row.missing,
                           row.completeness, row.timeliness])
    return table


def department_timeliness_table(rows, period: ReportingPeriod) -> Table:
    return _timeliness("departments", _("Departments"), _("Department"), rows, period)


def county_timeliness_table(rows, period: ReportingPeriod) -> Table:
    return _timeliness("counties", _("The city and the counties"), _("reporting unit"), rows, period)


def notifications_table(queryset) -> Table:
    """The user's own notifications (``Notification.objects.for_user``), all of them."""
    table = Table("notifications", _("Notifications"), [
        _("Created at"), _("Kind"), _("Title"), _("Text"), _("Link"), _("Read at")])

    def rows():
        for note in queryset.iterator(chunk_size=500):
            yield [note.created_at, note.get_kind_display(), note.title, note.body, note.link, note.read_at]

    table.rows = rows()
    return table
