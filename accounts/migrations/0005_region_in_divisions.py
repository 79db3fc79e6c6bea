"""State only: the model moved to ``divisions`` keeping its table (see
divisions/migrations/0001), so nothing changes in the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_security_admin_role'),
        ('divisions', '0001_division_tree_from_communities'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.AlterField(
                    model_name='historicaluser',
                    name='region',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='For county staff: the county whose data they handle.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='region'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='region',
                    field=models.ForeignKey(blank=True, help_text='For county staff: the county whose data they handle.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='divisions.region', verbose_name='region'),
                ),
        ]),
    ]
