"""Rewriting the audit trail in a test, as only someone with the database's keys could.

On PostgreSQL the history tables refuse UPDATE and DELETE (celltrace/audit/protection.py);
a test that must stage history the application would never write (records imported without
one, a migration's own rewrite) turns the triggers off for its transaction, as a database
administrator would.
"""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def past_the_append_only_triggers():
    """Within this block the history tables accept UPDATE and DELETE (PostgreSQL)."""
    with transaction.atomic(), connection.cursor() as cursor:
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield
        if postgresql:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
