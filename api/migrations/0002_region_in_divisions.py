"""State only: the model moved to ``divisions`` keeping its table (see
divisions/migrations/0001), so nothing changes in the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0001_api_clients_and_idempotency'),
        ('divisions', '0001_division_tree_from_communities'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='apiclient',
                    name='region',
                    field=models.ForeignKey(limit_choices_to={'level': 'county'}, on_delete=django.db.models.deletion.PROTECT, related_name='api_clients', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='historicalapiclient',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'county'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='county'),
                ),
        ]),
    ]
