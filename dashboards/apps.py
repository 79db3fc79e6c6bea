from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The apps whose records the dashboards read (besides the snapshots, which the roll-up's own
# generation covers): any save or delete of one of their records moves the records' generation,
# so a cached dashboard page is never served after the records it was computed from changed.
READ_APPS = frozenset({"reports", "communities", "tasks", "divisions", "targets", "brands"})
# … except what no dashboard shows: each user's notifications, the roll-up's own bookkeeping and
# the snapshots it writes (it moves its own generation when it has written)
NOT_READ = frozenset({"reports.notification", "reports.notificationdelivery", "reports.notificationpreference",
                      "targets.rolluprun", "targets.snapshot"})


def _records_changed(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in READ_APPS or meta.label_lower in NOT_READ:
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
