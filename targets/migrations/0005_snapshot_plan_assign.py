"""Snapshots belong to a plan (step 2 of 3). Each existing snapshot goes to the plan it was computed
for — its target's plan — when that plan's period holds its quarter; otherwise to the plan whose
period holds the quarter and which sets a target on its indicator (of several, the one that
started last: the plan the old roll-up took as governing), with that plan's target. A snapshot no
plan claims (a quarter after the last plan ended or before the first began, an indicator no plan
targets) is deleted: it was a figure of no plan, and the next roll-up computes what each plan
needs."""

from django.db import migrations
from django.db.models import Q


def _quarter(day):
    return day.year, (day.month - 1) // 3 + 1


def _within(first, last):
    """Snapshots whose (year, quarter) lies in [first, last]."""
    return ((Q(year__gt=first[0]) | Q(year=first[0], quarter__gte=first[1]))
            & (Q(year__lt=last[0]) | Q(year=last[0], quarter__lte=last[1])))


def assign(apps, schema_editor):
    Plan = apps.get_model("tasks", "Plan")
    Target = apps.get_model("targets", "Target")
    Snapshot = apps.get_model("targets", "Snapshot")
    plans = list(Plan.objects.order_by("-period_start", "-pk"))  # the latest-starting plan claims first
    for plan in plans:  # computed for this plan's target, inside its period
        window = _within(_quarter(plan.period_start), _quarter(plan.period_end))
        Snapshot.objects.filter(window, plan__isnull=True, target__plan_id=plan.pk).update(plan_id=plan.pk)
    for plan in plans:
        window = _within(_quarter(plan.period_start), _quarter(plan.period_end))
        first_target = {}
        for target in Target.objects.filter(plan=plan, indicator__isnull=False).order_by("order", "pk"):
            first_target.setdefault(target.indicator_id, target.pk)
        for indicator_id, target_id in first_target.items():
            Snapshot.objects.filter(window, plan__isnull=True, indicator_id=indicator_id).update(
                plan_id=plan.pk, target_id=target_id)
    Snapshot.objects.filter(plan__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('targets', '0004_snapshot_plan'),
    ]

    operations = [
        migrations.RunPython(assign, migrations.RunPython.noop),
    ]
