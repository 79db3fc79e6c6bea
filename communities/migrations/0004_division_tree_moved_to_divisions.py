"""State only: the model moved to ``divisions`` keeping its table (see
divisions/migrations/0001), so nothing changes in the database."""


import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0003_certification_pipeline'),
        ('divisions', '0001_division_tree_from_communities'),
        ('accounts', '0005_region_in_divisions'),
        ('api', '0002_region_in_divisions'),
        ('imports', '0003_region_in_divisions'),
        ('reports', '0003_region_in_divisions'),
        ('targets', '0003_region_in_divisions'),
        ('tasks', '0002_region_in_divisions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.RemoveField(
                    model_name='historicalcommunityprofile',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalcommunityprofile',
                    name='region',
                ),
                migrations.RemoveField(
                    model_name='historicalcommunityprofile',
                    name='updated_by',
                ),
                migrations.RemoveField(
                    model_name='historicalregion',
                    name='county',
                ),
                migrations.RemoveField(
                    model_name='historicalregion',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalregion',
                    name='parent',
                ),
                migrations.RemoveField(
                    model_name='region',
                    name='county',
                ),
                migrations.RemoveField(
                    model_name='region',
                    name='parent',
                ),
                migrations.AlterField(
                    model_name='certification',
                    name='community',
                    field=models.ForeignKey(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='certifications', to='divisions.region', verbose_name='village or community'),
                ),
                migrations.AlterField(
                    model_name='historicalcertification',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'village'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='village or community'),
                ),
                migrations.AlterField(
                    model_name='historicalapplication',
                    name='county',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='county',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='divisions.region', verbose_name='county'),
                ),
                migrations.AlterField(
                    model_name='historicalapplication',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'village'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='village or community'),
                ),
                migrations.AlterField(
                    model_name='application',
                    name='community',
                    field=models.ForeignKey(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.PROTECT, related_name='applications', to='divisions.region', verbose_name='village or community'),
                ),
                migrations.DeleteModel(
                    name='CommunityProfile',
                ),
                migrations.DeleteModel(
                    name='HistoricalCommunityProfile',
                ),
                migrations.DeleteModel(
                    name='HistoricalRegion',
                ),
                migrations.DeleteModel(
                    name='Region',
                ),
        ]),
    ]
