import datetime as dt

from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.cryostore.actions import deposit_lot
from celltrace.cryostore.models import Movement, Placement, TemperatureAlarm, TemperatureReading
from celltrace.cryostore.tests.conftest import consent_for


def post(client, url, body=None):
    return client.post(f"/api/cryostore{url}", body or {}, content_type="application/json")


def counts():
    return Placement.objects.count(), Movement.objects.count()


def test_the_api_deposits_retrieves_and_transfers_by_scan(
    client_for, lab_technician, store, donor_lot
):
    client = client_for(lab_technician)
    response = post(client, "/deposits", {"lot": donor_lot.code, "position": store.a1.code})
    assert response.status_code == 201, response.json()
    assert response.json()["to_position"] == store.a1.code
    moved = post(client, "/transfers", {"lot": donor_lot.code, "position": store.a2.code}).json()
    assert (moved["from_position"], moved["to_position"]) == (store.a1.code, store.a2.code)
    out = post(client, "/retrievals", {"lot": donor_lot.code}).json()
    assert out["kind"] == "retrieve"


def test_the_api_refuses_two_items_in_one_position_with_nothing_saved(
    client_for, lab_technician, store, donor_lot, second_lot
):
    client = client_for(lab_technician)
    post(client, "/deposits", {"lot": donor_lot.code, "position": store.a1.code})
    before = counts()
    response = post(client, "/deposits", {"lot": second_lot.code, "position": store.a1.code})
    assert response.status_code == 422
    assert response.json()["code"] == "position_occupied"
    assert counts() == before


def test_the_api_refuses_storage_without_consent(client_for, lab_technician, store, autologous_lot):
    client = client_for(lab_technician)
    response = post(client, "/deposits", {"lot": autologous_lot.code, "position": store.a1.code})
    assert response.status_code == 422 and "no storage consent" in response.json()["detail"]
    assert counts() == (0, 0)
    consent_for(autologous_lot, lab_technician)
    response = post(client, "/deposits", {"lot": autologous_lot.code, "position": store.a1.code})
    assert response.status_code == 201


def test_the_api_thaws_and_refuses_a_refreeze(client_for, lab_technician, store, donor_lot):
    client = client_for(lab_technician)
    post(client, "/deposits", {"lot": donor_lot.code, "position": store.a1.code})
    post(client, "/retrievals", {"lot": donor_lot.code})
    now = timezone.now()
    body = post(client, "/thaws", {"lot": donor_lot.code, "thawed_at": now.isoformat()}).json()
    assert body["thawed_at"] is not None
    before = counts()
    response = post(client, "/deposits", {"lot": donor_lot.code, "position": store.a1.code})
    assert response.status_code == 422 and "never frozen again" in response.json()["detail"]
    assert counts() == before
    again = post(client, "/thaws", {"lot": donor_lot.code, "thawed_at": now.isoformat()})
    assert again.status_code == 422 and "already thawed" in again.json()["detail"]


def test_a_sensor_posts_readings_and_an_excursion_raises_an_alarm(
    client_for, lab_technician, store
):
    client = client_for(lab_technician)
    ok = post(client, "/readings", {"container": store.tank.code, "celsius": -185.5})
    assert ok.status_code == 201 and ok.json()["alarm"] is None
    bad = post(client, "/readings", {"container": store.tank.code, "celsius": -131})
    assert bad.status_code == 201 and "cells may be damaged" in bad.json()["alarm"]
    alarm = TemperatureAlarm.objects.get()
    board = client.get("/api/cryostore/board").json()
    assert [a["id"] for a in board["open_alarms"]] == [alarm.pk]
    refused = post(client, f"/alarms/{alarm.pk}/acknowledge", {"comment": ""})
    assert refused.status_code == 422
    done = post(client, f"/alarms/{alarm.pk}/acknowledge", {"comment": "Refilled LN2."}).json()
    assert done["acknowledged_by"] == str(lab_technician)
    assert client.get("/api/cryostore/board").json()["open_alarms"] == []


def test_the_api_refuses_a_non_finite_or_impossible_reading(client_for, lab_technician, store):
    client = client_for(lab_technician)
    assert (
        post(client, "/readings", {"container": store.tank.code, "celsius": -300}).status_code
        == 422
    )
    assert not TemperatureReading.objects.exists()


def test_the_api_keeps_sites_apart(client_for, store, donor_lot, other_site, lab_technician):
    deposit_lot(donor_lot, store.a1, lab_technician)
    stranger = User.objects.create_user(
        "olga.lab", password="x", role=Role.LAB_TECHNICIAN, site=other_site
    )
    client = client_for(stranger)
    assert client.get("/api/cryostore/containers").json() == []
    assert client.get(f"/api/cryostore/containers/{store.a1.pk}").status_code == 404
    response = post(client, "/retrievals", {"lot": donor_lot.code})
    assert response.status_code == 422 and response.json()["code"] == "unknown_lot"
    reading = post(client, "/readings", {"container": store.tank.code, "celsius": -180})
    assert reading.status_code == 422
    assert Placement.objects.get().removed_at is None


def test_the_api_lists_positions_with_their_lot(
    client_for, doctor, store, donor_lot, lab_technician
):
    deposit_lot(donor_lot, store.a1, lab_technician)
    rows = {c["code"]: c for c in client_for(doctor).get("/api/cryostore/containers").json()}
    assert rows[store.a1.code]["lot_code"] == donor_lot.code
    assert rows[store.a2.code]["lot_code"] is None


def test_a_doctor_may_read_but_not_move(client_for, doctor, store, donor_lot):
    response = post(client_for(doctor), "/deposits", {"lot": donor_lot.code, "position": "x"})
    assert response.status_code == 403


def test_a_consent_is_recorded_and_withdrawn_through_the_api(
    client_for, coordinator, autologous_lot
):
    client = client_for(coordinator)
    today = timezone.localdate()
    patient = autologous_lot.source_patient
    body = post(client, f"/patients/{patient.pk}/consents", {
        "given_on": today.isoformat(), "storage_until": (today + dt.timedelta(days=30)).isoformat()
    }).json()  # fmt: skip
    withdrawn = post(client, f"/consents/{body['id']}/withdraw").json()
    assert withdrawn["withdrawn_at"] is not None


def test_the_api_adds_a_box_with_positions_and_sets_a_tanks_limits(
    client_for, lab_technician, store
):
    client = client_for(lab_technician)
    box = post(client, "/containers", {
        "kind": "box", "label": "Box 2", "code": "t1-b2", "parent_id": store.rack.pk,
        "rows": 2, "columns": 2,
    })  # fmt: skip
    assert box.status_code == 201 and box.json()["code"] == "T1-B2"
    assert client.get(f"/api/cryostore/containers/{box.json()['id']}").json()["rows"] == 2
    limits = {"min_c": -196, "max_c": -160, "reading_interval_minutes": 15}
    body = post(client, f"/containers/{store.tank.pk}/limits", limits).json()
    assert (body["min_c"], body["max_c"], body["reading_interval_minutes"]) == (-196, -160, 15)
    wrong = post(client, f"/containers/{store.tank.pk}/limits", {**limits, "min_c": -100})
    assert wrong.status_code == 422 and "max_c" in wrong.json()["errors"]
