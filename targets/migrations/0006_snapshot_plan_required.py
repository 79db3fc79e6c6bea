"""Snapshots belong to a plan (step 3 of 3): the plan is required, a snapshot is unique per plan,
and the dashboards' read (one plan, one indicator, one quarter) has its index."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0002_region_in_divisions'),
        ('targets', '0005_snapshot_plan_assign'),
    ]

    operations = [
        migrations.AlterField(
            model_name='snapshot',
            name='plan',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='snapshots',
                                    to='tasks.plan', verbose_name='plan'),
        ),
        migrations.AlterField(
            model_name='snapshot',
            name='target',
            field=models.ForeignKey(blank=True, help_text="The plan's target on the indicator.", null=True,
                                    on_delete=django.db.models.deletion.SET_NULL, related_name='snapshots',
                                    to='targets.target', verbose_name='target'),
        ),
        migrations.RemoveConstraint(
            model_name='snapshot',
            name='snapshot_unique',
        ),
        migrations.RemoveIndex(
            model_name='snapshot',
            name='snapshot_indicator_quarter_idx',
        ),
        migrations.AddConstraint(
            model_name='snapshot',
            constraint=models.UniqueConstraint(fields=('plan', 'indicator', 'region', 'year', 'quarter'),
                                               name='snapshot_unique_per_plan'),
        ),
        migrations.AddIndex(
            model_name='snapshot',
            index=models.Index(fields=['plan', 'indicator', 'year', 'quarter'], name='snapshot_plan_quarter_idx'),
        ),
    ]
