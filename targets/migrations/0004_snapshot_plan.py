"""Snapshots belong to a plan (step 1 of 3): the column, nullable until the existing rows have one."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0002_region_in_divisions'),
        ('targets', '0003_region_in_divisions'),
    ]

    operations = [
        migrations.AddField(
            model_name='snapshot',
            name='plan',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='snapshots',
                                    to='tasks.plan', verbose_name='plan'),
        ),
    ]
