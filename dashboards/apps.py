from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The apps whose records the dashboards read (besides the snapshots, which the roll-up's own
# generation covers): any save or delete of one of their records moves the records' generation,
# so a cached dashboard page is never served after the records it was computed from changed.
READ_APPS = frozenset({"reports", "communities", "tasks", "divisions", "targets", "brands"})
# … except what no dashboard shows: each user's notifications, the roll-up's own bookkeeping and
# the snapshots it writes (it moves its own generation when it has written)
NOT_READ = frozenset({"reports.notification", "reports.notificationdelivery", "reports.notificationpreference",
                      "targets.rolluprun", "targets.snapshot",
                      # a return's history row: no dashboard reads it, and it is written with a save
                      # of the return itself, whose own signal moves the generation if it must
                      "reports.historicalcountyreturn"})


# … nor a save that writes only fields no dashboard shows: a return's bookkeeping (its version, who
# changed it last and when), which is all a county's draft save changes on it (its figures are the
# values' rows, written in bulk without signals; a dashboard shows approved figures, through the
# roll-up's own generation). The dashboards read of a return: that it exists, its state, when it
# was first submitted and reviewed (dashboards/selectors.py).
NOT_READ_FIELDS = {"reports.countyreturn": frozenset({"version", "updated_by", "updated_by_id", "updated_at"})}


def _records_changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in READ_APPS or meta.label_lower in NOT_READ:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields and frozenset(update_fields) <= NOT_READ_FIELDS.get(meta.label_lower, frozenset()):
        return
    from kernel.generations import RECORDS, generation_bump

    generation_bump(RECORDS)


class DashboardsConfig(AppConfig):
    """Leadership dashboards: read-only pages over the snapshots and reporting records."""

    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(_records_changed, dispatch_uid=f"dashboards-records-{signal!r}")
