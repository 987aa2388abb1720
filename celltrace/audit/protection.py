"""On PostgreSQL the audit tables refuse UPDATE and DELETE, whoever asks (the app included).

A trigger on every sealed table (celltrace.audit.chain.sealed_models) and on the chain's
ledger and layouts raises an error for any UPDATE or DELETE. The migration `0002_append_only`
creates the trigger function; the tables are protected after every `migrate`, so a clinical
model added later gets its history table protected as soon as it exists. A migration itself
may still have to rewrite an audit table (a new column filled in): `migrate` marks its own
session (`celltrace.audit_migrating`), and the trigger lets that session through.

TRUNCATE is left to the database's owner: Django's test flush and a deployment's
maintenance use it, and it empties a table at once, which `verify` reports against an
externally kept chain head (docs/audit-trail.md).
"""

from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate

FUNCTION = "celltrace_audit_append_only"

CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('celltrace.audit_migrating', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION 'celltrace: the audit trail is append-only: % on % refused',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
"""
DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE;"


def protect_tables(using: str = "default") -> list[str]:
    """Put the append-only trigger on every audit table that lacks it; return their names."""
    from celltrace.audit.chain import sealed_models
    from celltrace.audit.models import ChainEntry, ChainLayout

    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    tables = [m._meta.db_table for m in [*sealed_models(), ChainEntry, ChainLayout]]
    existing = set(connection.introspection.table_names())
    protected = []
    with connection.cursor() as cursor:
        cursor.execute(CREATE_FUNCTION)
        for table in tables:
            if table not in existing:
                continue
            name = connection.ops.quote_name(f"{table}_append_only")
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {name} BEFORE UPDATE OR DELETE ON "  # noqa: S608
                f"{connection.ops.quote_name(table)} FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )
            protected.append(table)
    return protected


def _migrating(sender, using="default", **kwargs) -> None:
    connection = connections[using]
    if sender.label == "audit" and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET celltrace.audit_migrating = 'on'")


def _after_migrate(sender, using="default", **kwargs) -> None:
    from celltrace.audit.chain import record_layouts

    if sender.label != "audit":
        return
    record_layouts(using)
    protect_tables(using)
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("RESET celltrace.audit_migrating")


def connect() -> None:
    """Record the tables' columns and protect them after every migrate (and test flush)."""
    pre_migrate.connect(_migrating, dispatch_uid="celltrace.audit.migrating")
    post_migrate.connect(_after_migrate, dispatch_uid="celltrace.audit.protect")
