"""State only: the model moved to ``divisions`` keeping its table (see
divisions/migrations/0001), so nothing changes in the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('divisions', '0001_division_tree_from_communities'),
        ('tasks', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='department',
                    name='region',
                    field=models.ForeignKey(blank=True, help_text='For county governments and HR bureaux.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='departments', to='divisions.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='historicaldepartment',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='For county governments and HR bureaux.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='region'),
                ),
        ]),
    ]
