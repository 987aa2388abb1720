import datetime as dt
import json

import pytest
from django.utils import timezone

from celltrace.accounts.models import User
from celltrace.stays.models import Administration, AdverseEvent, Stay
from testkit import PASSWORD
from testkit.journey import make_bed, make_lot, make_patient, make_plan, make_stay

URL = "/api/stays/administrations"


def _json(bedside, **changes):
    data = {**bedside, **changes}
    data["given_at"] = data["given_at"].isoformat()
    return data


def _refused(client, data):
    before = Administration.objects.count()
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == 422
    assert Administration.objects.count() == before
    return response.json()


def test_a_nurse_records_an_administration_through_the_api(client_for, nurse, ward, bedside):
    response = client_for(nurse).post(URL, _json(bedside), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["lot_code"] == ward.lot.code
    assert Administration.objects.count() == 1


def test_a_doctor_may_not_record_an_administration_through_the_api(client_for, doctor, bedside):
    response = client_for(doctor).post(URL, _json(bedside), content_type="application/json")
    assert response.status_code == 403 and not Administration.objects.exists()


def test_the_api_refuses_an_unreleased_lot(client_for, nurse, ward, bedside):
    ward.lot.status = "in_process"
    ward.lot.save()
    body = _refused(client_for(nurse), _json(bedside))
    assert body["reasons"] == [f"Lot {ward.lot.code} is not released (status: in process)."]


def test_the_api_refuses_an_expired_lot(client_for, nurse, ward, bedside):
    ward.lot.expires_at = timezone.now() - dt.timedelta(hours=1)
    ward.lot.save()
    assert "expired on" in _refused(client_for(nurse), _json(bedside))["detail"]


def test_the_api_refuses_a_lot_for_another_patient(
    client_for, nurse, ward, bedside, site, doctor, lab_technician
):
    other_lot = make_lot(make_plan(make_patient(site), doctor), lab_technician)
    data = _json(bedside, lot_code=other_lot.code, given_at=timezone.now())
    body = _refused(client_for(nurse), data)
    assert body["reasons"] == [f"Lot {other_lot.code} was made for another patient."]


def test_the_api_refuses_an_autologous_lot_from_another_patient(
    client_for, nurse, ward, bedside, site, doctor, lab_technician
):
    plan = make_plan(
        make_patient(site), doctor, product="msc-bm-auto", admission=ward.plan.admission_date
    )
    stay = make_stay(plan, nurse, admitted_at=timezone.now() - dt.timedelta(hours=2))
    lot = make_lot(plan, lab_technician)
    lot.source_patient = ward.patient
    lot.save()
    data = _json(bedside, patient_code=stay.patient.code, lot_code=lot.code)
    assert "harvested from another patient" in _refused(client_for(nurse), data)["detail"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"dose_per_kg": 1.5e6}, "above the planned dose"),
        ({"route": "intrathecal"}, "Route intrathecal is not planned"),
        ({"patient_code": "PT-NOBODY"}, "No patient has the wristband ID PT-NOBODY."),
        ({"temperature_c": 46}, "Check the vital signs."),
    ],
)
def test_the_api_refuses_a_wrong_dose_route_patient_or_vitals(
    client_for, nurse, ward, bedside, changes, reason
):
    assert reason in _refused(client_for(nurse), _json(bedside, **changes))["detail"]


def test_the_api_refuses_a_patient_not_admitted(client_for, nurse, ward, bedside):
    ward.stay.discharged_at = timezone.now()
    ward.stay.save()
    assert "is not admitted on your ward" in _refused(client_for(nurse), _json(bedside))["detail"]


def test_the_api_refuses_a_lot_already_given(client_for, nurse, ward, bedside):
    client = client_for(nurse)
    client.post(URL, _json(bedside), content_type="application/json")
    assert "already been administered" in _refused(client, _json(bedside))["detail"]


def test_admit_get_report_and_discharge_through_the_api(client_for, nurse, doctor, site, catalog):
    plan = make_plan(make_patient(site), doctor, admission=timezone.localdate())
    client = client_for(nurse)
    bed = make_bed(site)
    admission = {"plan_id": plan.pk, "admitted_at": timezone.now().isoformat()}
    admission |= {"bed_id": bed.pk, "doctor_id": doctor.pk, "weight_kg": 71.5}
    response = client.post("/api/stays/", admission, content_type="application/json")
    assert response.status_code == 201
    stay_id = response.json()["id"]
    event = {
        "term": "headache",
        "onset_at": timezone.now().isoformat(),
        "resolved_at": timezone.now().isoformat(),
        "ctcae_grade": 5,
        "serious": True,
        "relatedness": "unlikely",
        "outcome": "recovered",
    }
    refused = client.post(
        f"/api/stays/{stay_id}/adverse-events", event, content_type="application/json"
    )
    assert refused.status_code == 422 and "outcome" in refused.json()["errors"]
    event.update(ctcae_grade=1, serious=False)
    assert (
        client.post(
            f"/api/stays/{stay_id}/adverse-events", event, content_type="application/json"
        ).status_code
        == 201
    )
    discharge = {
        "discharged_at": timezone.now().isoformat(),
        "missed_doses_reason": "The patient declined the dose.",
        "early_discharge_reason": "The patient asked to go home.",
        "password": PASSWORD,
    }
    url = f"/api/stays/{stay_id}/discharge"
    assert client.post(url, discharge, content_type="application/json").status_code == 403
    response = client_for(doctor).post(url, discharge, content_type="application/json")
    assert response.status_code == 200 and response.json()["discharged_at"]
    body = client_for(doctor).get(f"/api/stays/{stay_id}").json()
    assert body["bed_id"] == bed.pk and body["doctor_id"] == doctor.pk
    assert body["adverse_events"][0]["term"] == "headache"
    assert body["adverse_events"][0]["meddra_code"] == "10019211"
    assert body["early_discharge_reason"] == "The patient asked to go home."
    assert AdverseEvent.objects.count() == 1 and Stay.objects.get().discharged_by == doctor


def test_a_stay_of_another_site_is_not_found_through_the_api(client_for, other_site_doctor, ward):
    assert client_for(other_site_doctor).get(f"/api/stays/{ward.stay.pk}").status_code == 404


def _as_unknown(body: dict, *codes: str) -> dict:
    """The body with the codes it was asked about blanked, to compare two answers."""
    text = json.dumps(body)
    for code in codes:
        text = text.replace(code, "<code>")
    return json.loads(text)


def test_a_nurse_learns_nothing_of_another_sites_patient_or_lot_at_the_bedside(
    client_for, ward, bedside, other_site
):
    far_nurse = User.objects.create_user("far.nurse", role="nurse", site=other_site)
    client = client_for(far_nurse)
    codes = (ward.patient.code, ward.lot.code)
    there = client.post(URL, _json(bedside), content_type="application/json")
    nowhere = client.post(
        URL,
        _json(bedside, patient_code="PT-99999", lot_code="LOT-999999"),
        content_type="application/json",
    )
    assert there.status_code == nowhere.status_code == 422
    assert _as_unknown(there.json(), *codes) == _as_unknown(
        nowhere.json(), "PT-99999", "LOT-999999"
    )
    assert not Administration.objects.exists()


def test_the_bedside_preview_shows_nothing_of_another_sites_patient_or_lot(
    client_for, ward, other_site
):
    far_nurse = User.objects.create_user("far.nurse", role="nurse", site=other_site)
    client = client_for(far_nurse)
    preview = f"{URL}/preview"
    there = client.get(preview, {"patient_code": ward.patient.code, "lot_code": ward.lot.code})
    nowhere = client.get(preview, {"patient_code": "PT-99999", "lot_code": "LOT-999999"})
    assert there.status_code == nowhere.status_code == 200
    assert _as_unknown(there.json(), ward.patient.code, ward.lot.code) == _as_unknown(
        nowhere.json(), "PT-99999", "LOT-999999"
    )
    assert ward.lot.product.name not in there.content.decode()
