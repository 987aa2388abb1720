import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.cryostore import store as reading
from celltrace.cryostore.actions import (
    acknowledge_alarm,
    add_container,
    deposit_lot,
    record_reading,
    retrieve_lot,
    set_limits,
    thaw_lot,
    transfer_lot,
    withdraw_storage_consent,
)
from celltrace.cryostore.models import (
    Container,
    Movement,
    Placement,
    TemperatureAlarm,
    TemperatureReading,
)
from celltrace.cryostore.tests.conftest import build_store, consent_for
from celltrace.lab.actions import record_process_step, reject_lot
from celltrace.lab.models import ProcessStep, ProductLot
from celltrace.refusal import NotAllowed, Refused


def counts():
    return Placement.objects.count(), Movement.objects.count()


def refused(call, *args, **kwargs) -> Refused:
    before = counts()
    with pytest.raises(Refused) as refusal:
        call(*args, **kwargs)
    assert counts() == before
    return refusal.value


# Containers


def test_a_box_comes_with_its_grid_of_scannable_positions(store):
    positions = store.box.children.order_by("row", "column")
    assert positions.count() == 9
    assert [p.code for p in positions[:4]] == ["T1-B1-A01", "T1-B1-A02", "T1-B1-A03", "T1-B1-B01"]
    assert {p.site_id for p in positions} == {store.box.site_id}


def test_an_ln2_tank_starts_with_the_vapour_phase_limits(store):
    assert (store.tank.min_c, store.tank.max_c) == (-190.0, -150.0)
    assert store.tank.reading_interval_minutes == 60


def test_a_container_code_is_unique(store, site, lab_technician):
    before = Container.objects.count()
    with pytest.raises(Refused, match="T1-RA is already in use"):
        add_container(site, lab_technician, kind="rack", label="R", code="t1-ra", parent=store.tank)
    assert Container.objects.count() == before


def test_a_box_goes_into_a_rack_freezer_or_tank_never_at_the_site(site, lab_technician, catalog):
    with pytest.raises(Refused, match="goes into"):
        add_container(site, lab_technician, kind="box", label="B", code="B", rows=2, columns=2)
    assert not Container.objects.exists()


def test_limits_are_configurable_and_checked(store, lab_technician):
    set_limits(store.tank, lab_technician, min_c=-196, max_c=-160, reading_interval_minutes=15)
    store.tank.refresh_from_db()
    assert (store.tank.min_c, store.tank.max_c, store.tank.reading_interval_minutes) == (
        -196,
        -160,
        15,
    )
    with pytest.raises(Refused):
        set_limits(store.tank, lab_technician, min_c=-150, max_c=-190, reading_interval_minutes=15)


# Deposit, retrieve, transfer


def test_a_technician_deposits_a_lot_into_a_free_position(store, donor_lot, lab_technician):
    movement = deposit_lot(donor_lot, store.a1, lab_technician)
    assert (movement.kind, movement.to_position, movement.moved_by) == (
        "deposit",
        store.a1,
        lab_technician,
    )
    assert reading.storage_state(donor_lot) == ("T1-B1-A01", False)
    assert movement.history.first().history_user == lab_technician


def test_two_items_in_one_position_are_refused_with_nothing_saved(
    store, donor_lot, second_lot, lab_technician
):
    deposit_lot(donor_lot, store.a1, lab_technician)
    refusal = refused(deposit_lot, second_lot, store.a1, lab_technician)
    assert refusal.code == "position_occupied"
    assert f"already holds lot {donor_lot.code}" in refusal.message


def test_the_database_itself_refuses_two_items_in_one_position(
    store, donor_lot, second_lot, lab_technician
):
    deposit_lot(donor_lot, store.a1, lab_technician)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            lot=second_lot, position=store.a1, placed_at=timezone.now(), placed_by=lab_technician
        )


def test_a_lot_is_stored_in_one_position_at_a_time(store, donor_lot, lab_technician):
    deposit_lot(donor_lot, store.a1, lab_technician)
    assert refused(deposit_lot, donor_lot, store.a2, lab_technician).code == "already_stored"


def test_only_a_position_takes_a_lot(store, donor_lot, lab_technician):
    assert refused(deposit_lot, donor_lot, store.box, lab_technician).code == "not_a_position"


def test_a_rejected_lot_is_not_stored(store, donor_lot, lab_technician, quality_reviewer):
    reject_lot(donor_lot, quality_reviewer, reason="Contaminated.")
    assert "it was rejected" in refused(deposit_lot, donor_lot, store.a1, lab_technician).message


def test_an_expired_lot_is_not_stored(store, donor_lot, lab_technician):
    ProductLot.objects.filter(pk=donor_lot.pk).update(expires_at=timezone.now())
    assert "it has expired" in refused(deposit_lot, donor_lot, store.a1, lab_technician).message


def test_a_lot_of_another_site_is_not_stored(store, other_site, donor_lot, lab_technician, catalog):
    donor_lot.site = other_site
    donor_lot.save()
    message = refused(deposit_lot, donor_lot, store.a1, lab_technician).message
    assert "belongs to another site" in message


def test_a_technician_of_another_site_cannot_use_the_store(store, donor_lot, other_site):
    stranger = User.objects.create_user(
        "olga.lab", password="x", role=Role.LAB_TECHNICIAN, site=other_site
    )
    with pytest.raises(NotAllowed):
        deposit_lot(donor_lot, store.a1, stranger)
    assert counts() == (0, 0)


def test_a_doctor_may_not_move_lots(store, donor_lot, doctor):
    assert isinstance(refused(deposit_lot, donor_lot, store.a1, doctor), NotAllowed)


def test_an_autologous_lot_needs_the_patients_storage_consent(
    store, autologous_lot, lab_technician
):
    refusal = refused(deposit_lot, autologous_lot, store.a1, lab_technician)
    assert "no storage consent" in refusal.message
    consent_for(autologous_lot, lab_technician)
    assert deposit_lot(autologous_lot, store.a1, lab_technician)


def test_a_withdrawn_consent_does_not_allow_storage(store, autologous_lot, lab_technician):
    withdraw_storage_consent(consent_for(autologous_lot, lab_technician), lab_technician)
    assert "withdrew" in refused(deposit_lot, autologous_lot, store.a1, lab_technician).message


def test_an_ended_storage_period_does_not_allow_storage(store, autologous_lot, lab_technician):
    consent = consent_for(autologous_lot, lab_technician)
    consent.given_on = consent.storage_until = timezone.localdate() - dt.timedelta(days=1)
    consent.save()
    message = refused(deposit_lot, autologous_lot, store.a1, lab_technician).message
    assert "storage period ended" in message


def test_retrieve_and_transfer_are_movements_with_history(
    store, donor_lot, second_lot, lab_technician
):
    deposit_lot(donor_lot, store.a1, lab_technician)
    deposit_lot(second_lot, store.a2, lab_technician)
    assert refused(transfer_lot, donor_lot, store.a2, lab_technician).code == "position_occupied"
    b1 = Container.objects.get(code="T1-B1-B01")
    moved = transfer_lot(donor_lot, b1, lab_technician)
    assert (moved.from_position, moved.to_position) == (store.a1, b1)
    out = retrieve_lot(donor_lot, lab_technician)
    assert (out.kind, out.from_position, out.to_position) == ("retrieve", b1, None)
    assert reading.storage_state(donor_lot) == ("", True)
    assert list(Movement.objects.filter(lot=donor_lot).values_list("kind", flat=True)) == [
        "retrieve",
        "transfer",
        "deposit",
    ]
    assert refused(retrieve_lot, donor_lot, lab_technician).code == "not_stored"
    # The freed position takes another lot.
    assert deposit_lot(donor_lot, store.a1, lab_technician)


# Thaw and never re-freeze


def _stored_then_retrieved(lot, store, technician):
    deposit_lot(lot, store.a1, technician)
    retrieve_lot(lot, technician)


def test_a_thaw_sets_the_post_thaw_expiry_and_records_who_and_when(
    store, donor_lot, lab_technician
):
    _stored_then_retrieved(donor_lot, store, lab_technician)
    now = timezone.now()
    thawed = thaw_lot(donor_lot, lab_technician, thawed_at=now)
    assert thawed.thawed_at == now and thawed.thawed_by == lab_technician
    assert thawed.expires_at == now + dt.timedelta(hours=thawed.product.post_thaw_hours)


def test_a_thaw_never_extends_the_original_expiry(store, donor_lot, lab_technician):
    _stored_then_retrieved(donor_lot, store, lab_technician)
    soon = timezone.now() + dt.timedelta(hours=1)
    ProductLot.objects.filter(pk=donor_lot.pk).update(expires_at=soon)
    assert thaw_lot(donor_lot, lab_technician, thawed_at=timezone.now()).expires_at == soon


def test_a_lot_is_retrieved_before_it_is_thawed(store, donor_lot, lab_technician):
    deposit_lot(donor_lot, store.a1, lab_technician)
    with pytest.raises(Refused, match="retrieve it first"):
        thaw_lot(donor_lot, lab_technician, thawed_at=timezone.now())
    donor_lot.refresh_from_db()
    assert donor_lot.thawed_at is None


def test_a_thawed_lot_is_never_deposited_again(store, donor_lot, lab_technician):
    _stored_then_retrieved(donor_lot, store, lab_technician)
    thaw_lot(donor_lot, lab_technician, thawed_at=timezone.now())
    message = refused(deposit_lot, donor_lot, store.a2, lab_technician).message
    assert "never frozen again" in message
    with pytest.raises(Refused, match="already thawed"):
        thaw_lot(donor_lot, lab_technician, thawed_at=timezone.now())


def test_the_lab_refuses_a_cryostorage_step_on_a_thawed_lot(store, donor_lot, lab_technician):
    _stored_then_retrieved(donor_lot, store, lab_technician)
    thawed = thaw_lot(donor_lot, lab_technician, thawed_at=timezone.now())
    steps = ProcessStep.objects.count()
    with pytest.raises(Refused) as refusal:
        record_process_step(
            thawed, lab_technician, step="cryopreservation", performed_at=timezone.now()
        )
    assert refusal.value.code == "thawed_lot"
    assert ProcessStep.objects.count() == steps


# Temperatures


def test_a_reading_within_the_limits_raises_no_alarm(store, lab_technician):
    record_reading(store.tank, lab_technician, celsius=-180.0, read_at=timezone.now())
    assert not TemperatureAlarm.objects.exists()


def test_a_reading_outside_the_limits_raises_an_alarm_acknowledged_with_a_comment(
    store, lab_technician
):
    reading_ = record_reading(store.tank, lab_technician, celsius=-120.0, read_at=timezone.now())
    alarm = reading_.alarm
    assert "cells may be damaged" in alarm.message
    with pytest.raises(Refused, match="found and done"):
        acknowledge_alarm(alarm, lab_technician, comment="  ")
    alarm.refresh_from_db()
    assert alarm.acknowledged_at is None
    acknowledge_alarm(alarm, lab_technician, comment="Lid left open; refilled, -185 °C at 10:20.")
    alarm.refresh_from_db()
    assert alarm.acknowledged_by == lab_technician and alarm.comment.startswith("Lid")
    assert TemperatureAlarm.objects.count() == 1  # it stays on record
    assert list(reading.open_alarms(Container.objects.all())) == []


def test_an_impossible_or_future_reading_is_refused(store, lab_technician):
    with pytest.raises(Refused):
        record_reading(store.tank, lab_technician, celsius=-400.0, read_at=timezone.now())
    with pytest.raises(Refused):
        record_reading(
            store.tank,
            lab_technician,
            celsius=-180.0,
            read_at=timezone.now() + dt.timedelta(hours=1),
        )
    with pytest.raises(Refused, match="per freezer or tank"):
        record_reading(store.box, lab_technician, celsius=-180.0, read_at=timezone.now())
    assert not TemperatureReading.objects.exists()


def test_a_tank_whose_readings_stopped_shows_a_silence_alarm(store, lab_technician):
    record_reading(store.tank, lab_technician, celsius=-180.0, read_at=timezone.now())
    units = Container.objects.filter(pk=store.tank.pk)
    assert reading.silent_units(reading.storage_units(units)) == []
    later = timezone.now() + dt.timedelta(minutes=61)
    silent = reading.silent_units(reading.storage_units(units), now=later)
    assert [s.unit for s in silent] == [store.tank]
    assert silent[0].message.startswith("No reading for 61 minutes")


def test_stores_of_two_sites_are_kept_apart(store, other_site, catalog):
    technician = User.objects.create_user(
        "olga.lab", password="x", role=Role.LAB_TECHNICIAN, site=other_site
    )
    theirs = build_store(other_site, technician, prefix="N1")
    assert theirs.a1.site == other_site
    with pytest.raises(NotAllowed):
        record_reading(theirs.tank, User.objects.get(username="lena.lab"), celsius=-180,
                       read_at=timezone.now())  # fmt: skip
