"""Bulk writes on clinical models leave history too: update(), bulk_create(), bulk_update().

Django's bulk paths skip `save()`, so django-simple-history never sees them. Every model with
an audit history gets, on its managers, a queryset whose bulk methods write one history row
per record they touch (sealed into the chain like any other) in the same transaction.
`bulk_update()` is Django's: it writes through `update()`, so through the audited one.
Queryset `delete()` needs nothing: Django deletes tracked rows one signal at a time, and
django-simple-history writes a "-" row for each. A test walks every clinical model.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models, transaction

from celltrace.audit.chain import seal


class AuditedQuerySet(models.QuerySet):
    """A queryset whose bulk writes record history for each row, as `save()` does."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            _record(self.model, self._fresh(pks), update=True)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise NotImplementedError(
                f"{self.model.__name__}: bulk_create with conflicts cannot be audited row by row"
            )
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            _record(self.model, self._fresh([obj.pk for obj in created]), update=False)
        return created

    bulk_create.alters_data = True

    def _fresh(self, pks) -> list[models.Model]:
        """The rows as the database now holds them (what the history must show)."""
        return list(self.model._base_manager.using(self.db).filter(pk__in=pks).order_by("pk"))


def _record(model: type[models.Model], rows: list[models.Model], *, update: bool) -> None:
    history = getattr(model, model._meta.simple_history_manager_attribute)
    seal(history.bulk_history_create(rows, update=update) or [])


def audit_bulk_paths() -> None:
    """Give every manager of every history-tracked model the audited queryset."""
    for model in apps.get_models():
        if hasattr(model._meta, "simple_history_manager_attribute"):
            for manager in model._meta.managers:
                _audit(manager)


def _audit(manager: models.Manager) -> None:
    queryset_class = manager._queryset_class
    if issubclass(queryset_class, AuditedQuerySet):
        return
    audited = type(f"Audited{queryset_class.__name__}", (AuditedQuerySet, queryset_class), {})
    manager_class = type(manager)
    # Same name and module, and equal to its class's managers: a manager used in migrations
    # still deconstructs to, and compares with, the class the migrations name.
    namespace = {
        "_queryset_class": audited,
        "__module__": manager_class.__module__,
        "__eq__": lambda self, other: (
            isinstance(other, manager_class) and self._constructor_args == other._constructor_args
        ),
        "__hash__": manager_class.__hash__,
    }
    manager.__class__ = type(manager_class.__name__, (manager_class,), namespace)
