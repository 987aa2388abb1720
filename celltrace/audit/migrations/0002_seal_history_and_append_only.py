"""Seal the history written before the chain existed, and make the audit tables append-only.

An existing clinic's history rows are sealed as they are found (table by table, in id
order): the chain vouches for them from this migration on, not for what happened to them
before. On PostgreSQL the trigger function that refuses UPDATE and DELETE is created and put
on every audit table (celltrace.audit.protection); on SQLite this part does nothing.
"""

from django.db import migrations
from simple_history.models import HistoricalChanges

from celltrace.audit import chain, protection


def seal_existing_history(apps, schema_editor):
    ChainLayout = apps.get_model("audit", "ChainLayout")
    history = [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]
    for model in sorted(history, key=lambda m: m._meta.db_table):
        table, columns = model._meta.db_table, chain.columns_of(model)
        key = chain.layout_key(table, columns)
        ChainLayout.objects.get_or_create(key=key, table=table, columns=",".join(columns))
        rows = model._base_manager.order_by("pk")
        chain.seal(rows.iterator(chunk_size=2000), layout=key)


def create_append_only_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(protection.CREATE_FUNCTION, params=None)


def drop_append_only_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(protection.DROP_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_chain_and_security_events"),
        ("accounts", "0004_medical_director"),
        ("signatures", "0001_signatures_and_wrong_passwords"),
        ("catalog", "0013_division_step"),
        ("patients", "0001_initial"),
        ("intake", "0001_initial"),
        ("screening", "0005_day_one_new_cautions"),
        ("plans", "0004_planned_time"),
        ("lab", "0011_division_step"),
        ("cryostore", "0001_cryostore"),
        ("stays", "0008_lot_holds_per_event_and_lot"),
        ("followup", "0002_follow_up_end"),
        ("ward", "0001_rooms_beds_and_capacity"),
        ("outcomes", "0007_report_snapshots"),
        ("care", "0001_rounds_therapy_sessions_services"),
    ]

    operations = [
        migrations.RunPython(seal_existing_history, migrations.RunPython.noop),
        migrations.RunPython(create_append_only_function, drop_append_only_function),
    ]
