"""The administrator keeps rooms, beds and capacities in the Django admin, with history."""

from celltrace.ward.models import Bed, DoctorCapacity, Room


def test_the_admin_adds_a_room_and_a_bed_through_the_actions(client_for, admin_user, site):
    client = client_for(admin_user)
    room = {"site": site.pk, "number": "7", "floor": "2", "accessible": "on", "active": "on"}
    assert client.post("/admin/ward/room/add/", room).status_code == 302
    added = Room.objects.get()
    assert added.accessible and added.history.first().history_user == admin_user
    bed = {"room": added.pk, "label": "A", "active": "on"}
    assert client.post("/admin/ward/bed/add/", bed).status_code == 302
    assert Bed.objects.get().room == added
    again = client.post("/admin/ward/room/add/", room)
    assert again.status_code == 200 and Room.objects.count() == 1


def test_the_admin_form_refuses_a_capacity_above_10(client_for, admin_user, site, doctor):
    client = client_for(admin_user)
    capacity = {"site": site.pk, "doctor": doctor.pk, "max_patients": "11"}
    assert client.post("/admin/ward/doctorcapacity/add/", capacity).status_code == 200
    capacity["max_patients"] = "3"
    assert client.post("/admin/ward/doctorcapacity/add/", capacity).status_code == 302
    assert DoctorCapacity.objects.get().max_patients == 3
