"""Exports of the targets pages, built from the pages' own selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kernel.exports import Table

from .selectors import TargetDetail


def targets_table(rows) -> Table:
    """``targets.selectors.targets_overview``: each target with the city's latest snapshot."""
    table = Table("targets", _("Targets"), [
        _("Code"), _("Target name"), _("Task"), _("Target value"), _("Unit"), _("Latest"), _("Quarter"),
        _("% achieved"), _("Time elapsed, %"), _("Status"), _("Projected end value"), _("Data as of")])
    for t, s in rows:
        table.rows.append([t.code, t.name, t.task.number if t.task_id else None, t.display_value,
                           t.unit, s.value if s else None,
                           s.quarter_label if s else None, s.percent_achieved if s else None,
                           s.percent_time_elapsed if s else None, s.get_status_display() if s else None,
                           s.projected_end_value if s else None, s.data_as_of if s else None])
    return table


def target_counties_table(d: TargetDetail) -> Table:
    """The target page's counties at its quarter (and the city's row last), as shown: official
    snapshots, or the 含未审核数据 preview when the page shows it."""
    target = d.target
    quarter = d.quarter.label if d.quarter else ""
    table = Table("counties", _("Counties"), [
        _("Rank"), _("County"), _("Quota / target"), _("Value"), _("In the quarter"), _("Numerator"),
        _("Denominator"), _("Unit"), _("% achieved"), _("Status"), _("Quarter"), _("Basis")])
    basis = _("Including unapproved values") if d.include_unapproved else _("Approved values only")
    rows = list(d.counties) + ([d.city] if d.city else [])
    for s in rows:
        table.rows.append([s.rank if s is not d.city else None, s.region.name, s.target_value, s.value,
                           s.period_value, s.numerator, s.denominator, target.indicator.unit, s.percent_achieved,
                           s.get_status_display(), quarter, basis])
    return table


def target_quarters_table(d: TargetDetail) -> Table:
    """The city quarter by quarter, as on the target page."""
    table = Table("quarters", _("The city, quarter by quarter"), [
        _("Quarter"), _("In the quarter"), _("Value"), _("Expected to date"), _("% achieved"),
        _("Time elapsed, %"), _("Projected at period end"), _("Status")])
    for s in d.series:
        table.rows.append([s.quarter_label, s.period_value, s.value, s.expected_to_date, s.percent_achieved,
                           s.percent_time_elapsed, s.projected_end_value, s.get_status_display()])
    return table
