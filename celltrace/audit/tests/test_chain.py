"""The audit chain: `celltrace audit verify` passes on a clinic and names any tampered row."""

import argparse
import io

import pytest
from django.db import connection

from celltrace.audit import chain
from celltrace.audit.models import ChainEntry
from celltrace.batch import audit as audit_batch
from celltrace.stays.models import Administration
from testkit.journey import make_administration, make_lot, make_patient, make_plan, make_stay

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(catalog, site, doctor, lab_technician, quality_reviewer, nurse):
    """A patient planned, a lot made and released, admitted and given a dose."""
    plan = make_plan(make_patient(site), doctor)
    lot = make_lot(plan, lab_technician, reviewer=quality_reviewer)
    return make_administration(make_stay(plan, nurse), lot, nurse)


def verify(capsys) -> tuple[int, str, str]:
    stdout = io.StringIO()
    code = audit_batch.run(argparse.Namespace(action="verify"), io.StringIO(), stdout)
    return code, stdout.getvalue(), capsys.readouterr().err


def as_dba(sql: str, params=()) -> None:
    """Run SQL past the application, as someone with the database's keys would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def history_table() -> str:
    return Administration.history.model._meta.db_table


def test_verify_passes_on_a_clinic_and_summarises_the_chain(clinic, capsys):
    code, out, err = verify(capsys)

    assert code == 0, err
    sealed = ChainEntry.objects.count()
    assert sealed > 10
    head = ChainEntry.objects.order_by("-seq").first()
    assert f"audit chain intact: {sealed} rows" in out
    assert f"head entry {head.seq} {head.hash}" in out


def test_every_history_row_is_sealed_once_in_order(clinic):
    entry = ChainEntry.objects.get(table=history_table(), row_id=clinic.history.get().pk)

    assert entry.digest == chain.row_digest(clinic.history.get())
    seqs = list(ChainEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_an_edited_history_row_is_named(clinic, other_site_doctor, capsys):
    row = clinic.history.get()
    # The dose's author becomes another doctor, as the audit found possible.
    as_dba(
        f"UPDATE {history_table()} SET history_user_id = %s WHERE history_id = %s",  # noqa: S608
        [other_site_doctor.pk, row.pk],
    )

    code, _out, err = verify(capsys)

    assert code == 1
    assert f"tampered with: {history_table()} id {row.pk}: edited after it was written" in err


def test_a_deleted_history_row_is_named(clinic, capsys):
    row = clinic.history.get()
    as_dba(f"DELETE FROM {history_table()} WHERE history_id = %s", [row.pk])  # noqa: S608

    code, _out, err = verify(capsys)

    assert code == 1
    assert f"tampered with: {history_table()} id {row.pk}: deleted" in err


def test_an_inserted_history_row_is_named(clinic, capsys):
    row = clinic.history.get()
    row.pk = None
    row.history_type = "~"
    row.dose_per_kg = 9.0e6
    as_dba(*_insert_sql(row))
    inserted = clinic.history.order_by("-pk").first()

    code, _out, err = verify(capsys)

    assert code == 1
    assert f"tampered with: {history_table()} id {inserted.pk}: inserted outside the chain" in err


def test_an_altered_chain_entry_is_named(clinic, capsys):
    entry = ChainEntry.objects.order_by("seq")[3]
    table = ChainEntry._meta.db_table
    as_dba(f"UPDATE {table} SET digest = %s WHERE id = %s", ["0" * 64, entry.pk])  # noqa: S608

    code, _out, err = verify(capsys)

    assert code == 1
    assert f"{entry.table} id {entry.row_id}: entry {entry.seq} was altered" in err


def test_a_removed_chain_entry_breaks_the_next_link(clinic, capsys):
    removed, following = ChainEntry.objects.order_by("seq")[2:4]
    as_dba(f"DELETE FROM {ChainEntry._meta.db_table} WHERE id = %s", [removed.pk])  # noqa: S608

    code, _out, err = verify(capsys)

    assert code == 1
    assert f"{following.table} id {following.row_id}: chain entries {removed.seq}" in err
    assert f"{removed.table} id {removed.row_id}: inserted outside the chain" in err


def _insert_sql(row) -> tuple[str, list]:
    fields = [f for f in row._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {row._meta.db_table} ({columns}) VALUES ({marks})", values  # noqa: S608
