# Written by hand (no venv in the helper's worktree): check with makemigrations --check.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def load_terms(apps, schema_editor):
    from celltrace.catalog.adverse_event_terms import load_adverse_event_terms

    load_adverse_event_terms(apps.get_model("catalog", "AdverseEventTerm"))


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AdverseEventTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True)),
                ('term', models.CharField(help_text='The CTCAE v5.0 term, e.g. Fever', max_length=120)),
                ('meddra_code', models.CharField(blank=True, help_text='MedDRA v20.1 LLT code CTCAE v5.0 gives the term', max_length=8)),
                ('soc', models.CharField(max_length=120, verbose_name='System organ class')),
                ('active', models.BooleanField(default=True)),
            ],
            options={
                'ordering': ['term'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAdverseEventTerm',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.SlugField(max_length=40)),
                ('term', models.CharField(help_text='The CTCAE v5.0 term, e.g. Fever', max_length=120)),
                ('meddra_code', models.CharField(blank=True, help_text='MedDRA v20.1 LLT code CTCAE v5.0 gives the term', max_length=8)),
                ('soc', models.CharField(max_length=120, verbose_name='System organ class')),
                ('active', models.BooleanField(default=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical adverse event term',
                'verbose_name_plural': 'historical adverse event terms',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(load_terms, migrations.RunPython.noop),
    ]
