"""On PostgreSQL the application cannot rewrite the audit trail; verify catches it elsewhere."""

import pytest
from django.db import DatabaseError, connection, transaction

from celltrace.audit import protection
from celltrace.audit.models import ChainEntry
from celltrace.patients.models import Patient
from testkit.journey import make_patient

pytestmark = pytest.mark.django_db


def refused(sql: str, params=()) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError as error:
        assert "the audit trail is append-only" in str(error)
        return True
    return False


def test_history_and_ledger_refuse_update_and_delete_on_postgresql(site):
    patient = make_patient(site)
    history = Patient.history.model._meta.db_table
    ledger = ChainEntry._meta.db_table
    row = patient.history.get()

    attempts = [
        (f"UPDATE {history} SET full_name = 'someone else' WHERE history_id = %s", [row.pk]),  # noqa: S608
        (f"DELETE FROM {history} WHERE history_id = %s", [row.pk]),  # noqa: S608
        (f"UPDATE {ledger} SET digest = 'x'", []),  # noqa: S608
        (f"DELETE FROM {ledger}", []),  # noqa: S608
    ]

    results = [refused(sql, params) for sql, params in attempts]
    # SQLite has no such triggers: there `celltrace audit verify` is the guard (test_chain.py).
    assert results == [connection.vendor == "postgresql"] * len(attempts)
    kept = Patient.history.model.objects.filter(pk=row.pk, full_name=patient.full_name).exists()
    assert kept == (connection.vendor == "postgresql")


def test_every_audit_table_carries_the_trigger_on_postgresql():
    protected = protection.protect_tables()

    if connection.vendor == "postgresql":
        assert Patient.history.model._meta.db_table in protected
        assert ChainEntry._meta.db_table in protected
    else:
        assert protected == []
