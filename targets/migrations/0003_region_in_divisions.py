"""State only: the model moved to ``divisions`` keeping its table (see
divisions/migrations/0001), so nothing changes in the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('divisions', '0001_division_tree_from_communities'),
        ('targets', '0002_indicators_values_snapshots'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='historicalindicatorvalue',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicalquota',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='historicalyearlyallocation',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='indicatorvalue',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='indicator_values', to='divisions.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='quota',
                    name='region',
                    field=models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='quotas', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='snapshot',
                    name='region',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='snapshots', to='divisions.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='yearlyallocation',
                    name='region',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='divisions.region', verbose_name='county'),
                ),
        ]),
    ]
