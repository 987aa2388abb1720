# Written by hand (no venv in the helper's worktree): check with makemigrations --check.
"""Code adverse events, follow them to resolution, hold lots, and keep discharge reasons.

Existing events: a free-text term that names a coded term exactly (case aside) gets that
term; any other becomes "Other, specify" with the old text as term_detail. Their resolution
time is not known, so resolved_at stays empty: an old "recovered" event is not open (its
outcome says so) and not final either, so its next update must give the resolution time.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

OTHER = "other"


def code_terms(apps, schema_editor):
    Term = apps.get_model("catalog", "AdverseEventTerm")
    by_name = {t.term.lower(): t for t in Term.objects.all()}
    other = Term.objects.get(code=OTHER)
    for model in ("AdverseEvent", "HistoricalAdverseEvent"):
        for event in apps.get_model("stays", model).objects.all():
            text = (event.legacy_term or "").strip()
            match = by_name.get(text.lower())
            event.term_code = match or other
            event.term_detail = "" if match else text[:120]
            event.save(update_fields=["term_code", "term_detail"])


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_adverse_event_terms'),
        ('lab', '0001_initial'),
        ('stays', '0003_one_open_stay_per_patient'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The coded term replaces the free text, through a temporary column.
        migrations.RenameField(model_name='adverseevent', old_name='term', new_name='legacy_term'),
        migrations.RenameField(model_name='historicaladverseevent', old_name='term', new_name='legacy_term'),
        migrations.AddField(
            model_name='adverseevent',
            name='term_code',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.adverseeventterm'),
        ),
        migrations.AddField(
            model_name='historicaladverseevent',
            name='term_code',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='catalog.adverseeventterm'),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='term_detail',
            field=models.CharField(blank=True, help_text='The event in words, required for "Other, specify"', max_length=120),
        ),
        migrations.AddField(
            model_name='historicaladverseevent',
            name='term_detail',
            field=models.CharField(blank=True, help_text='The event in words, required for "Other, specify"', max_length=120),
        ),
        migrations.RunPython(code_terms, migrations.RunPython.noop),
        migrations.RemoveField(model_name='adverseevent', name='legacy_term'),
        migrations.RemoveField(model_name='historicaladverseevent', name='legacy_term'),
        migrations.RenameField(model_name='adverseevent', old_name='term_code', new_name='term'),
        migrations.RenameField(model_name='historicaladverseevent', old_name='term_code', new_name='term'),
        migrations.AlterField(
            model_name='adverseevent',
            name='term',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='catalog.adverseeventterm'),
        ),
        # The administration (and its lot) a related event may come from, and its end.
        migrations.AddField(
            model_name='adverseevent',
            name='administration',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='adverse_events', to='stays.administration'),
        ),
        migrations.AddField(
            model_name='historicaladverseevent',
            name='administration',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='stays.administration'),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='lot',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='adverse_events', to='lab.productlot'),
        ),
        migrations.AddField(
            model_name='historicaladverseevent',
            name='lot',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='lab.productlot'),
        ),
        migrations.AddField(
            model_name='adverseevent',
            name='resolved_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicaladverseevent',
            name='resolved_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        # The reasons a doctor gives to discharge despite the discharge rules.
        *[
            migrations.AddField(model_name=model, name=name, field=models.TextField(blank=True))
            for model in ('stay', 'historicalstay')
            for name in ('early_discharge_reason', 'open_events_reason', 'missed_doses_reason')
        ],
        migrations.CreateModel(
            name='LotHold',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('raised_at', models.DateTimeField()),
                ('cleared_at', models.DateTimeField(blank=True, null=True)),
                ('review_note', models.TextField(blank=True)),
                ('cleared_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='lot_hold', to='stays.adverseevent')),
                ('lot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='holds', to='lab.productlot')),
            ],
            options={
                'ordering': ['-raised_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalLotHold',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('raised_at', models.DateTimeField()),
                ('cleared_at', models.DateTimeField(blank=True, null=True)),
                ('review_note', models.TextField(blank=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('cleared_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('event', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='stays.adverseevent')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('lot', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='lab.productlot')),
            ],
            options={
                'verbose_name': 'historical lot hold',
                'verbose_name_plural': 'historical lot holds',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
