"""Rooms, beds and doctors' capacities: who may set them, and what is refused."""

import pytest

from celltrace.refusal import NotAllowed, Refused
from celltrace.ward.access import max_patients
from celltrace.ward.actions import add_bed, add_room, set_doctor_capacity
from celltrace.ward.models import Bed, DoctorCapacity, Room


def test_a_manager_adds_an_accessible_room_and_its_beds(site, manager):
    room = add_room(site, manager, number=" 12 ", floor=1, accessible=True)
    bed = add_bed(room, manager, label="A")
    assert (room.number, room.accessible, room.site) == ("12", True, site)
    assert bed.room == room and bed.active
    assert room.history.first().history_user == manager


def test_a_room_number_is_unique_per_site_and_a_bed_label_per_room(site, other_site, admin_user):
    room = add_room(site, admin_user, number="12")
    with pytest.raises(Refused) as refused:
        add_room(site, admin_user, number="12")
    assert refused.value.code == "room_exists"
    assert add_room(other_site, admin_user, number="12")  # another site may have its own 12
    add_bed(room, admin_user, label="A")
    with pytest.raises(Refused) as refused:
        add_bed(room, admin_user, label="A")
    assert refused.value.code == "bed_exists"
    assert Room.objects.count() == 2 and Bed.objects.count() == 1


@pytest.mark.parametrize("fields", [{"number": " "}, {"number": "x" * 21}, {"floor": 500}])
def test_a_room_needs_a_number_and_a_plausible_floor(site, manager, fields):
    with pytest.raises(Refused) as refused:
        add_room(site, manager, **{"number": "3"} | fields)
    assert refused.value.code == "invalid" and not Room.objects.exists()


def test_no_bed_is_added_to_a_room_out_of_use(site, manager):
    room = add_room(site, manager, number="3")
    room.active = False
    room.save()
    with pytest.raises(Refused, match="out of use"):
        add_bed(room, manager, label="A")
    assert not Bed.objects.exists()


@pytest.mark.parametrize("role_user", ["doctor", "nurse", "coordinator"])
def test_only_a_manager_or_administrator_keeps_rooms_beds_and_capacities(
    site, doctor, role_user, request
):
    user = request.getfixturevalue(role_user)
    with pytest.raises(NotAllowed):
        add_room(site, user, number="1")
    with pytest.raises(NotAllowed):
        set_doctor_capacity(site, doctor, user, max_patients=3)
    assert not Room.objects.exists() and not DoctorCapacity.objects.exists()


def test_a_manager_of_another_site_is_refused(other_site, manager):
    with pytest.raises(NotAllowed, match="another site"):
        add_room(other_site, manager, number="1")


def test_a_doctor_has_4_places_until_the_manager_sets_another_number(site, manager, doctor):
    assert max_patients(site.pk, doctor.pk) == 4
    set_doctor_capacity(site, doctor, manager, max_patients=3)
    set_doctor_capacity(site, doctor, manager, max_patients=2)
    assert max_patients(site.pk, doctor.pk) == 2 and DoctorCapacity.objects.count() == 1


@pytest.mark.parametrize("value", [0, 11, -3, 2.5, True])
def test_a_capacity_outside_1_to_10_is_refused(site, manager, doctor, value):
    with pytest.raises(Refused) as refused:
        set_doctor_capacity(site, doctor, manager, max_patients=value)
    assert "max_patients" in refused.value.field_errors and not DoctorCapacity.objects.exists()


def test_a_capacity_is_set_only_for_a_doctor_of_the_site(site, manager, nurse, other_site_doctor):
    for user in (nurse, other_site_doctor):
        with pytest.raises(Refused) as refused:
            set_doctor_capacity(site, user, manager, max_patients=3)
        assert refused.value.code == "not_a_doctor_here"
    assert not DoctorCapacity.objects.exists()
