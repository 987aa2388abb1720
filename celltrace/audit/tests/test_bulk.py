"""Bulk writes on every clinical model leave a history row per record, sealed in the chain."""

import pytest
from django.apps import apps
from django.db import router
from django.db.models import QuerySet
from django.db.models.deletion import Collector

from celltrace.audit import chain
from celltrace.audit.bulk import AuditedQuerySet
from celltrace.audit.models import ChainEntry
from celltrace.ward.models import Bed, Room

pytestmark = pytest.mark.django_db

CLINICAL = [m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")]


def test_there_are_clinical_models_to_walk():
    assert {"Patient", "Administration", "ProductLot", "Room", "User"} <= {
        m.__name__ for m in CLINICAL
    }


@pytest.mark.parametrize("model", CLINICAL, ids=lambda m: m._meta.label)
def test_every_bulk_path_of_every_clinical_model_is_audited(model):
    for manager in model._meta.managers:
        queryset = manager.all()
        assert isinstance(queryset, AuditedQuerySet), manager.name
        for method in ("update", "bulk_create"):
            assert getattr(type(queryset), method) is getattr(AuditedQuerySet, method), method
        # Django's bulk_update writes through update(): no model may replace it.
        assert type(queryset).bulk_update is QuerySet.bulk_update
    # A queryset delete() goes row by row (django-simple-history's post_delete), never the
    # fast path that skips the signals and so the history.
    collector = Collector(using=router.db_for_write(model))
    assert not collector.can_fast_delete(model._base_manager.all())


@pytest.fixture
def room(site):
    return Room.objects.create(site=site, number="101")


def history_types(model, **filters) -> list[str]:
    return list(
        model.history.filter(**filters).order_by("pk").values_list("history_type", flat=True)
    )


def assert_intact():
    found = chain.verify()
    assert found.intact, [str(problem) for problem in found.problems]


def test_update_writes_the_new_values_to_history(room):
    Bed.objects.bulk_create([Bed(room=room, label="A"), Bed(room=room, label="B")])

    changed = Bed.objects.filter(room=room, active=True).update(active=False)

    assert changed == 2
    assert history_types(Bed, room=room) == ["+", "+", "~", "~"]
    assert list(Bed.history.filter(history_type="~").values_list("active", flat=True)) == [
        False,
        False,
    ]
    assert_intact()


def test_bulk_create_and_bulk_update_write_history(room):
    beds = Bed.objects.bulk_create([Bed(room=room, label="A"), Bed(room=room, label="B")])
    for bed in beds:
        bed.label += "1"

    Bed.objects.bulk_update(beds, ["label"])

    assert history_types(Bed) == ["+", "+", "~", "~"]
    assert sorted(Bed.history.filter(history_type="~").values_list("label", flat=True)) == [
        "A1",
        "B1",
    ]
    sealed = set(
        ChainEntry.objects.filter(table=Bed.history.model._meta.db_table).values_list(
            "row_id", flat=True
        )
    )
    assert sealed == set(Bed.history.values_list("pk", flat=True))


def test_a_related_managers_update_is_audited(room):
    Bed.objects.create(room=room, label="A")

    room.beds.update(label="Z")

    assert history_types(Bed) == ["+", "~"]
    assert Bed.history.latest("pk").label == "Z"
    assert_intact()


def test_queryset_delete_writes_a_history_row_per_record(room):
    Bed.objects.bulk_create([Bed(room=room, label="A"), Bed(room=room, label="B")])

    Bed.objects.filter(room=room).delete()

    assert history_types(Bed) == ["+", "+", "-", "-"]
    assert_intact()


def test_a_bulk_create_that_would_skip_conflicting_rows_is_refused(room):
    with pytest.raises(NotImplementedError, match="cannot be audited"):
        Bed.objects.bulk_create([Bed(room=room, label="A")], ignore_conflicts=True)

    assert not Bed.objects.exists()
