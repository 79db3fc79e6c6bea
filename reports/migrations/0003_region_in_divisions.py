"""State only: the model moved to ``divisions`` keeping its table (see
divisions/migrations/0001), so nothing changes in the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('divisions', '0001_division_tree_from_communities'),
        ('reports', '0002_notification_kind_review'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='countyreturn',
                    name='region',
                    field=models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='county_returns', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='extensionrequest',
                    name='region',
                    field=models.ForeignKey(blank=True, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='historicalcountyreturn',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='historicalextensionrequest',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='historicalperiodexception',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='periodexception',
                    name='region',
                    field=models.ForeignKey(blank=True, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='divisions.region', verbose_name='county'),
                ),
        ]),
    ]
