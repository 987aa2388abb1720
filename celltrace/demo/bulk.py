"""Build the demo clinic in bulk: the same records and audit rows, for a fraction of the work.

The build replays thousands of action calls in one transaction (celltrace/demo/clinic.py).
Two costs of a live request are pure overhead there, and are lifted while it runs:

- django-simple-history builds a new history manager class on every save (inspect.getmembers
  over the queryset class) and inserts one historical row per save: most of a save's time.
  Nothing reads the history during the build, so the rows are kept in the order they were
  made and inserted together at the end (one executemany per table): the same rows, dates,
  authors and order, then sealed into the audit chain in the order they were made.
- the cyclic garbage collector walks the build's many young objects over and over; the build
  frees nearly all of them by reference counting (a few MB stay until the end).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from simple_history.manager import HistoryDescriptor
from simple_history.signals import pre_create_historical_record

from celltrace.audit.chain import seal
from celltrace.clinical.batching import without_cycle_collection


@contextmanager
def in_bulk():
    """Run the block with the audit history in bulk and without the cyclic gc."""
    with history_in_bulk(), without_cycle_collection():
        yield


@contextmanager
def history_in_bulk():
    """Defer each historical row to one bulk insert per model when the block ends."""
    rows = []

    def defer(sender, history_instance, **kwargs):
        history_instance.save = lambda using=None: rows.append(history_instance)

    uid = "celltrace.demo.history_in_bulk"
    pre_create_historical_record.connect(defer, weak=False, dispatch_uid=uid)
    build_manager = HistoryDescriptor.__get__
    HistoryDescriptor.__get__ = _cached_manager
    try:
        yield
    finally:
        HistoryDescriptor.__get__ = build_manager
        pre_create_historical_record.disconnect(dispatch_uid=uid)
    by_model = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row)
    for model, model_rows in by_model.items():
        _insert(model, model_rows)
    seal(rows)


def _insert(model, rows) -> None:
    """Insert the rows with one executemany: bulk_create's SQL without its per-value work.

    The build is the database's only writer, so the new ids are those above the old highest,
    in insertion order; each row gets its own, for the chain.
    """
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from model metadata
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] for row in rows
    ]
    newest = model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    new_ids = list(
        model._base_manager.filter(pk__gt=newest).order_by("pk").values_list("pk", flat=True)
    )
    if len(new_ids) != len(rows):
        raise RuntimeError(f"{model._meta.db_table}: another writer inserted history meanwhile")
    for row, pk in zip(rows, new_ids, strict=True):
        row.pk = pk


_manager_classes = {}


def _cached_manager(descriptor, instance, owner):
    """HistoryDescriptor.__get__, with the manager class built once per model."""
    manager_class = _manager_classes.get(descriptor.model)
    if manager_class is None:
        manager_class = descriptor.manager_class.from_queryset(descriptor.queryset_class)
        _manager_classes[descriptor.model] = manager_class
    return manager_class(descriptor.model, instance)
