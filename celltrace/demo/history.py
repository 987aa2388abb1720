"""Write the audit history of the demo's build in bulk: the same rows, inserted together.

Every action saves its records through django-simple-history, which on each save builds a new
history manager class (inspect.getmembers over the queryset class) and inserts one historical
row: two thirds of the time of a save, and most of the demo's build. While the demo is built
nothing reads the history, so the rows are kept in the order they were made and inserted
together at the end, in the build's transaction: the same rows, dates, authors and order as
one insert per save would give. Outside the build nothing changes.
"""

from __future__ import annotations

from contextlib import contextmanager

from simple_history.manager import HistoryDescriptor
from simple_history.signals import pre_create_historical_record


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
        model.objects.bulk_create(model_rows)


_manager_classes = {}


def _cached_manager(descriptor, instance, owner):
    """HistoryDescriptor.__get__, with the manager class built once per model."""
    manager_class = _manager_classes.get(descriptor.model)
    if manager_class is None:
        manager_class = descriptor.manager_class.from_queryset(descriptor.queryset_class)
        _manager_classes[descriptor.model] = manager_class
    return manager_class(descriptor.model, instance)
