from django.utils.translation import gettext as _

from kernel.exports import Table


def units_table(parent, rows) -> Table:
    """The divisions page: the units directly under ``parent`` (the counties under the city), each
    with its NBS code and how many towns, villages and communities it holds."""
    table = Table("units", _("Administrative divisions") + (f" · {parent.name}" if parent else ""), [
        _("NBS code"), _("Name"), _("Kind"), _("Towns"), _("Villages"), _("Communities")])
    for unit, counts in rows:
        table.rows.append([unit.code, unit.name, str(unit.get_kind_display()), counts.get("towns"),
                           counts.get("villages"), counts.get("communities")])
    return table
