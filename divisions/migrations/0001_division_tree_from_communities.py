"""The division tree moves from ``communities`` to this app without touching the database: the
tables keep their names (communities_region, communities_communityprofile and their history
tables), only Django's idea of which app owns them changes. The content types follow, so
permissions and generic references stay attached to the same rows."""


import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MOVED = ["region", "historicalregion", "communityprofile", "historicalcommunityprofile"]


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_follow(apps, schema_editor):
    _relabel(apps, "communities", "divisions")


def content_types_return(apps, schema_editor):
    _relabel(apps, "divisions", "communities")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("communities", "0003_certification_pipeline"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
                migrations.CreateModel(
                    name='Region',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=12, unique=True, verbose_name='NBS code')),
                        ('name', models.CharField(help_text='The name in the NBS division codes.', max_length=100, verbose_name='name')),
                        ('short_name', models.CharField(max_length=100, verbose_name='short name')),
                        ('level', models.CharField(choices=[('city', 'City'), ('county', 'County'), ('town', 'Town'), ('village', 'Village or community')], max_length=16, verbose_name='level')),
                        ('kind', models.CharField(choices=[('prefecture_city', 'Prefecture-level city'), ('district', 'District'), ('county', 'Rural county'), ('county_city', 'County-level city'), ('subdistrict', 'Sub-district'), ('town', 'Town'), ('township', 'Township'), ('community', 'Community'), ('village', 'Village')], max_length=16, verbose_name='kind')),
                        ('vintage', models.CharField(default='2023', max_length=4, verbose_name='code vintage')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('county', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='divisions.region', verbose_name='county')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='divisions.region', verbose_name='parent')),
                    ],
                    options={
                        'verbose_name': 'administrative unit',
                        'verbose_name_plural': 'administrative units',
                        'db_table': 'communities_region',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalRegion',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('code', models.CharField(db_index=True, max_length=12, verbose_name='NBS code')),
                        ('name', models.CharField(help_text='The name in the NBS division codes.', max_length=100, verbose_name='name')),
                        ('short_name', models.CharField(max_length=100, verbose_name='short name')),
                        ('level', models.CharField(choices=[('city', 'City'), ('county', 'County'), ('town', 'Town'), ('village', 'Village or community')], max_length=16, verbose_name='level')),
                        ('kind', models.CharField(choices=[('prefecture_city', 'Prefecture-level city'), ('district', 'District'), ('county', 'Rural county'), ('county_city', 'County-level city'), ('subdistrict', 'Sub-district'), ('town', 'Town'), ('township', 'Township'), ('community', 'Community'), ('village', 'Village')], max_length=16, verbose_name='kind')),
                        ('vintage', models.CharField(default='2023', max_length=4, verbose_name='code vintage')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('county', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='county')),
                        ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='parent')),
                    ],
                    options={
                        'verbose_name': 'historical administrative unit',
                        'verbose_name_plural': 'historical administrative units',
                        'db_table': 'communities_historicalregion',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalCommunityProfile',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('households', models.PositiveIntegerField(blank=True, null=True, verbose_name='households')),
                        ('population', models.PositiveIntegerField(blank=True, null=True, verbose_name='population')),
                        ('is_relocation', models.BooleanField(default=False, verbose_name='relocation community (易地搬迁社区)')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('updated_at', models.DateTimeField(blank=True, null=True, verbose_name='last changed at')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last changed by')),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'level': 'village'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='divisions.region', verbose_name='village or community')),
                    ],
                    options={
                        'verbose_name': 'historical community profile',
                        'verbose_name_plural': 'historical community profiles',
                        'db_table': 'communities_historicalcommunityprofile',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='CommunityProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('households', models.PositiveIntegerField(blank=True, null=True, verbose_name='households')),
                        ('population', models.PositiveIntegerField(blank=True, null=True, verbose_name='population')),
                        ('is_relocation', models.BooleanField(default=False, verbose_name='relocation community (易地搬迁社区)')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('updated_at', models.DateTimeField(blank=True, null=True, verbose_name='last changed at')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last changed by')),
                        ('region', models.OneToOneField(limit_choices_to={'level': 'village'}, on_delete=django.db.models.deletion.CASCADE, related_name='profile', to='divisions.region', verbose_name='village or community')),
                    ],
                    options={
                        'verbose_name': 'community profile',
                        'verbose_name_plural': 'community profiles',
                        'db_table': 'communities_communityprofile',
                    },
                ),
                migrations.AddIndex(
                    model_name='region',
                    index=models.Index(fields=['parent', 'code'], name='region_parent_code_idx'),
                ),
                migrations.AddIndex(
                    model_name='region',
                    index=models.Index(fields=['county', 'level'], name='region_county_level_idx'),
                ),
                migrations.AddConstraint(
                    model_name='region',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('level', 'city'), ('parent__isnull', True)), models.Q(('parent__isnull', False), models.Q(('level', 'city'), _negated=True)), _connector='OR'), name='region_only_city_is_root'),
                ),
        ]),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
