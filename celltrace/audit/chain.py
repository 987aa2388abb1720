"""The hash chain over the audit history: seal each history row as it is written, verify all.

Every row of an audit-history table (django-simple-history's, one per clinical model) and of
the security events log gets one `ChainEntry` in the same transaction: the row's digest (a
SHA-256 of its canonical content) and a hash linking it to the entry before it. One global
chain: every writer takes the chain's lock first (a transaction-level advisory lock on
PostgreSQL; SQLite lets one writer at a time in anyway), reads the last entry and appends
the next, so concurrent writers queue instead of forking the chain. The lock is held until
the writer's transaction ends, so the next writer always reads a committed head.

`verify()` walks the chain in order and recomputes every link and digest: an edited row no
longer matches its digest, a deleted row leaves an entry without its row, an inserted row
has no entry, and an edited, removed or added entry breaks a link.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, models, router, transaction
from simple_history.models import HistoricalChanges
from simple_history.signals import post_create_historical_record

GENESIS = "0" * 64
# pg_advisory_xact_lock key: the chain's lock (any constant the clinic does not use otherwise).
CHAIN_LOCK = 0x63656C6C  # "cell"


def sealed_models() -> list[type[models.Model]]:
    """The tables the chain covers: every audit-history table and the security events log."""
    from celltrace.audit.models import SecurityEvent

    history = [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]
    return sorted(history, key=lambda m: m._meta.db_table) + [SecurityEvent]


def columns_of(model: type[models.Model]) -> tuple[str, ...]:
    """The model's columns, in the table's order: what its rows' digests cover today."""
    return tuple(model_field.column for model_field in model._meta.concrete_fields)


def layout_key(table: str, columns: Iterable[str]) -> str:
    """A short, stable name for a table's set of columns (ChainLayout.key)."""
    return hashlib.sha256(f"{table}|{','.join(columns)}".encode()).hexdigest()[:16]


def row_digest(row: models.Model, columns: Iterable[str] | None = None) -> str:
    """SHA-256 of the row's table and columns, in a form SQLite and PostgreSQL agree on.

    `columns` (default: all of today's) must be columns of the row's model.
    """
    by_column = {model_field.column: model_field for model_field in row._meta.concrete_fields}
    content = {"table": row._meta.db_table}
    for column in columns_of(type(row)) if columns is None else columns:
        model_field = by_column[column]
        content[column] = _canonical(model_field, getattr(row, model_field.attname))
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def record_layouts(using: str = "default") -> None:
    """Record each sealed table's current columns (after every migrate and flush)."""
    from celltrace.audit.models import ChainLayout

    layouts = []
    for model in sealed_models():
        columns = columns_of(model)
        table = model._meta.db_table
        key = layout_key(table, columns)
        layouts.append(ChainLayout(key=key, table=table, columns=",".join(columns)))
    ChainLayout.objects.using(using).bulk_create(layouts, ignore_conflicts=True)


def link_hash(prev_hash: str, seq: int, table: str, row_id: int, digest: str) -> str:
    """The entry's hash: it covers the previous entry's, so no entry changes alone."""
    return hashlib.sha256(f"{prev_hash}|{seq}|{table}|{row_id}|{digest}".encode()).hexdigest()


def seal(rows: Iterable[models.Model], *, layout: str | None = None) -> None:
    """Append one chain entry per saved row, in order, in the caller's transaction.

    `layout` names the columns' ChainLayout when the rows' model is not today's (a migration).
    """
    from celltrace.audit.models import ChainEntry

    rows = list(rows)
    if not rows:
        return
    using = router.db_for_write(ChainEntry)
    with transaction.atomic(using=using):
        _lock_chain(using)
        head = ChainEntry.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = head or (0, GENESIS)
        entries = []
        for row in rows:
            if row.pk is None:
                raise ValueError(f"seal a saved row: {row._meta.db_table} has no id yet")
            seq += 1
            table, digest = row._meta.db_table, row_digest(row)
            entry_hash = link_hash(prev_hash, seq, table, row.pk, digest)
            entries.append(
                ChainEntry(
                    seq=seq,
                    table=table,
                    row_id=row.pk,
                    layout=layout or layout_key(table, columns_of(type(row))),
                    digest=digest,
                    prev_hash=prev_hash,
                    hash=entry_hash,
                )
            )
            prev_hash = entry_hash
        ChainEntry.objects.using(using).bulk_create(entries)


def _lock_chain(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _seal_new_history(sender, history_instance, **kwargs) -> None:
    # A row whose save was deferred (the demo's bulk build) is sealed when it is inserted.
    if history_instance.pk is not None:
        seal([history_instance])


def connect() -> None:
    """Seal every history row django-simple-history writes, as it writes it."""
    post_create_historical_record.connect(_seal_new_history, dispatch_uid="celltrace.audit.seal")


def _canonical(model_field: models.Field, value):
    """The value as JSON the same on every database: UTC times, fixed decimals, sorted JSON."""
    if value is None:
        return None
    if isinstance(model_field, models.ForeignKey):
        return _canonical(model_field.target_field, value)
    if isinstance(model_field, models.JSONField):
        return json.loads(json.dumps(value, cls=model_field.encoder))
    if isinstance(model_field, models.FileField):
        return str(getattr(value, "name", value))
    value = model_field.to_python(value)
    if isinstance(model_field, models.DecimalField):
        places = decimal.Decimal(1).scaleb(-model_field.decimal_places)
        return str(value.quantize(places, rounding=decimal.ROUND_HALF_EVEN))
    return _plain(value)


def _plain(value):
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"a naive date-time cannot be sealed: {value}")
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value // dt.timedelta(microseconds=1)
    if isinstance(value, bytes | memoryview | bytearray):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


@dataclass
class Problem:
    """One thing wrong in the chain: where, and what."""

    table: str
    row_id: int | None
    what: str

    def __str__(self):
        where = self.table if self.row_id is None else f"{self.table} id {self.row_id}"
        return f"{where}: {self.what}"


@dataclass
class Verification:
    """What `verify` found: how much it checked, the chain's head and every problem."""

    entries: int = 0
    tables: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(using: str = "default") -> Verification:
    """Walk the whole chain, recompute each link and digest, and find unsealed rows."""
    from celltrace.audit.models import ChainEntry, ChainLayout

    found = Verification()
    by_table = {model._meta.db_table: model for model in sealed_models()}
    layouts = dict(ChainLayout.objects.using(using).values_list("key", "columns"))
    current = {table: layout_key(table, columns_of(model)) for table, model in by_table.items()}
    digests = {table: _digests(model, using) for table, model in by_table.items()}
    found.tables = len(by_table)
    prev_hash, expected_seq = GENESIS, 1
    for entry in ChainEntry.objects.using(using).order_by("seq").iterator(chunk_size=5000):
        found.entries += 1
        found.problems.extend(_link_problems(entry, prev_hash, expected_seq))
        found.problems.extend(_row_problems(entry, by_table, digests, layouts, current, using))
        prev_hash, expected_seq = entry.hash, entry.seq + 1
        found.head_seq, found.head_hash = entry.seq, entry.hash
    for table, unsealed in digests.items():
        for row_id in sorted(unsealed):
            found.problems.append(Problem(table, row_id, "inserted outside the chain (no entry)"))
    return found


def _link_problems(entry, prev_hash: str, expected_seq: int) -> list[Problem]:
    problems = []
    if entry.seq != expected_seq:
        missing = f"{expected_seq}-{entry.seq - 1}" if entry.seq > expected_seq else expected_seq
        problems.append(Problem(entry.table, entry.row_id, f"chain entries {missing} are missing"))
    if entry.prev_hash != prev_hash:
        problems.append(
            Problem(entry.table, entry.row_id, f"entry {entry.seq} does not follow the one before")
        )
    if entry.hash != link_hash(entry.prev_hash, entry.seq, entry.table, entry.row_id, entry.digest):
        problems.append(Problem(entry.table, entry.row_id, f"entry {entry.seq} was altered"))
    return problems


def _row_problems(entry, by_table, digests, layouts, current, using) -> list[Problem]:
    """Compare the sealed digest with the row as it is now."""
    model = by_table.get(entry.table)
    if model is None:
        return [Problem(entry.table, entry.row_id, "sealed in a table that is no longer audited")]
    digest = digests[entry.table].pop(entry.row_id, None)
    if digest is None:
        return [Problem(entry.table, entry.row_id, f"deleted (it was sealed as entry {entry.seq})")]
    if entry.layout != current[entry.table]:
        # Sealed before a migration changed the table: recompute over the columns it had.
        columns = layouts.get(entry.layout, "").split(",")
        gone = set(columns) - set(columns_of(model))
        if entry.layout not in layouts or gone:
            what = f"its sealed columns are gone ({', '.join(sorted(gone)) or 'unknown layout'})"
            return [Problem(entry.table, entry.row_id, what)]
        digest = row_digest(model._base_manager.using(using).get(pk=entry.row_id), columns)
    if digest != entry.digest:
        return [
            Problem(entry.table, entry.row_id, f"edited after it was written (entry {entry.seq})")
        ]
    return []


def _digests(model: type[models.Model], using: str) -> dict[int, str]:
    rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000)
    return {row.pk: row_digest(row) for row in rows}
