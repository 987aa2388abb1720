import datetime as dt

from django.urls import reverse
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.cryostore.actions import deposit_lot, record_reading, retrieve_lot, thaw_lot
from celltrace.cryostore.models import Container, Movement, Placement, TemperatureAlarm
from celltrace.cryostore.tests.conftest import build_store, consent_for


def counts():
    return Placement.objects.count(), Movement.objects.count()


def scan(client, move, lot, position=""):
    return client.post(
        reverse("cryostore:scan"), {"move": move, "lot": lot.code, "position": position}
    )


def test_a_technician_deposits_by_scanning_the_lot_and_the_position(
    client_for, lab_technician, store, donor_lot
):
    response = scan(client_for(lab_technician), "deposit", donor_lot, "t1-b1-a01")
    assert response.status_code == 302
    assert Placement.objects.get().position == store.a1


def test_the_form_refuses_a_second_item_in_a_position_with_nothing_saved(
    client_for, lab_technician, store, donor_lot, second_lot
):
    client = client_for(lab_technician)
    scan(client, "deposit", donor_lot, store.a1.code)
    before = counts()
    page = scan(client, "deposit", second_lot, store.a1.code).content.decode()
    assert f"already holds lot {donor_lot.code}" in page
    assert counts() == before


def test_the_form_refuses_an_autologous_lot_without_consent(
    client_for, lab_technician, store, autologous_lot
):
    page = scan(client_for(lab_technician), "deposit", autologous_lot, store.a1.code)
    assert "no storage consent" in page.content.decode()
    assert counts() == (0, 0)


def test_the_thaw_form_sets_the_expiry_and_a_thawed_lot_cannot_be_refrozen(
    client_for, lab_technician, store, donor_lot
):
    client = client_for(lab_technician)
    scan(client, "deposit", donor_lot, store.a1.code)
    scan(client, "retrieve", donor_lot)
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("cryostore:thaw"), {"lot": donor_lot.code, "thawed_at": when})
    assert response.status_code == 302
    donor_lot.refresh_from_db()
    assert donor_lot.thawed_at is not None
    before = counts()
    page = scan(client, "deposit", donor_lot, store.a2.code).content.decode()
    assert "never frozen again" in page
    assert counts() == before


def test_a_lot_of_another_site_is_not_found_by_the_scan(
    client_for, lab_technician, store, donor_lot, other_site
):
    donor_lot.site = other_site
    donor_lot.save()
    page = scan(client_for(lab_technician), "deposit", donor_lot, store.a1.code).content.decode()
    assert "No such lot at your site." in page
    assert counts() == (0, 0)


def test_the_overview_shows_occupancy_alarms_and_ending_consents(
    client_for, lab_technician, doctor, store, autologous_lot, donor_lot
):
    consent_for(autologous_lot, lab_technician, days=10)
    deposit_lot(autologous_lot, store.a1, lab_technician)
    record_reading(store.tank, lab_technician, celsius=-140.0, read_at=timezone.now())
    page = client_for(doctor).get(reverse("cryostore:overview")).content.decode()
    assert "1 / 9" in page
    assert "-140 °C is above the limit of -150 °C." in page
    assert autologous_lot.code in page and "ends soon" in page
    assert "Scan: deposit" not in page  # a doctor reads only


def test_the_overview_shows_a_tank_gone_silent(client_for, lab_technician, store, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(hours=2))
    page = client_for(lab_technician).get(reverse("cryostore:overview")).content.decode()
    assert "No reading recorded yet" in page


def test_the_box_view_shows_its_grid_with_the_lot(client_for, quality_reviewer, store, donor_lot):
    deposit_lot(donor_lot, store.a2, User.objects.get(username="lena.lab"))
    page = client_for(quality_reviewer).get(store.box.get_absolute_url()).content.decode()
    assert "A01" in page and "C03" in page and donor_lot.code in page


def test_the_position_page_shows_its_movements(client_for, lab_technician, store, donor_lot):
    deposit_lot(donor_lot, store.a1, lab_technician)
    retrieve_lot(donor_lot, lab_technician)
    page = client_for(lab_technician).get(store.a1.get_absolute_url()).content.decode()
    assert "Deposit" in page and "Retrieval" in page and "Free." in page


def test_a_reading_form_outside_the_limits_raises_an_alarm_to_acknowledge(
    client_for, lab_technician, store
):
    client = client_for(lab_technician)
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    url = reverse("cryostore:add_reading", args=[store.tank.pk])
    assert client.post(url, {"celsius": "-100", "read_at": when}).status_code == 302
    alarm = TemperatureAlarm.objects.get()
    ack = reverse("cryostore:acknowledge", args=[alarm.pk])
    page = client.post(ack, {"comment": ""}).content.decode()
    assert "This field is required" in page
    assert client.post(ack, {"comment": "Sensor moved; tank fine."}).status_code == 302
    alarm.refresh_from_db()
    assert alarm.acknowledged_by == lab_technician


def test_a_technician_adds_a_box_with_its_positions(client_for, lab_technician, store):
    response = client_for(lab_technician).post(
        reverse("cryostore:new_container"),
        {"kind": "box", "label": "Box 2", "code": "T1-B2", "parent": store.rack.pk,
         "rows": "2", "columns": "5"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Container.objects.filter(parent__code="T1-B2").count() == 10


def test_another_sites_containers_are_not_found(client_for, store, other_site, catalog):
    stranger = User.objects.create_user(
        "olga.lab", password="x", role=Role.LAB_TECHNICIAN, site=other_site
    )
    client = client_for(stranger)
    assert client.get(store.box.get_absolute_url()).status_code == 404
    overview = client.get(reverse("cryostore:overview")).content.decode()
    assert "Tank 1" not in overview and "T1-B1" not in overview  # not "T1": the CSRF token
    theirs = build_store(other_site, stranger, prefix="N1")
    assert client.get(theirs.box.get_absolute_url()).status_code == 200


def test_a_doctor_records_a_storage_consent(client_for, doctor, autologous_lot):
    url = reverse("cryostore:consent", args=[autologous_lot.source_patient.pk])
    today = timezone.localdate()
    response = client_for(doctor).post(
        url,
        {
            "given_on": today.isoformat(),
            "storage_until": (today.replace(year=today.year + 5)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert autologous_lot.source_patient.storage_consents.count() == 1


def test_a_thaw_needs_a_retrieved_lot(client_for, lab_technician, store, donor_lot):
    deposit_lot(donor_lot, store.a1, lab_technician)
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    page = client_for(lab_technician).post(
        reverse("cryostore:thaw"), {"lot": donor_lot.code, "thawed_at": when}
    )
    assert "retrieve it first" in page.content.decode()
    donor_lot.refresh_from_db()
    assert donor_lot.thawed_at is None


def test_the_lot_page_shows_the_lots_movements_and_thaw(
    client_for, lab_technician, store, donor_lot
):
    deposit_lot(donor_lot, store.a1, lab_technician)
    retrieve_lot(donor_lot, lab_technician)
    thaw_lot(donor_lot, lab_technician, thawed_at=timezone.now())
    page = client_for(lab_technician).get(donor_lot.get_absolute_url()).content.decode()
    assert "Cryostorage" in page and store.a1.code in page and "Thawed" in page


def test_the_overview_asks_a_fixed_number_of_queries(
    client_for, lab_technician, store, donor_lot, second_lot, django_assert_max_num_queries
):
    deposit_lot(donor_lot, store.a1, lab_technician)
    deposit_lot(second_lot, store.a2, lab_technician)
    record_reading(store.tank, lab_technician, celsius=-100.0, read_at=timezone.now())
    client = client_for(lab_technician)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("cryostore:overview")).status_code == 200


def test_the_tank_page_shows_its_readings_alarms_and_silence(
    client_for, lab_technician, manager, store, time_machine
):
    record_reading(store.tank, lab_technician, celsius=-120.0, read_at=timezone.now())
    time_machine.move_to(timezone.now() + dt.timedelta(hours=3))
    page = client_for(manager).get(store.tank.get_absolute_url()).content.decode()
    assert "-120 °C is above the limit of -150 °C." in page
    assert "No reading for 180 minutes" in page
    assert "acknowledge/" not in page and "Record a reading" not in page  # read only


def test_a_deposit_without_a_position_asks_for_one(client_for, lab_technician, store, donor_lot):
    page = scan(client_for(lab_technician), "deposit", donor_lot).content.decode()
    assert "Scan the storage location&#x27;s code." in page
    assert counts() == (0, 0)
