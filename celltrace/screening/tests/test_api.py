import datetime as dt

from django.utils import timezone

from celltrace.screening.actions import screen_patient, sign_screening
from celltrace.screening.models import PatientFact, Screening, ScreeningSignature
from testkit import PASSWORD
from testkit.journey import make_plan, make_stay
from testkit.samples import record_normal_facts


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_a_doctor_records_a_fact_through_the_api(client_for, doctor, patient):
    data = {
        "kind": "diagnosis",
        "on": "2020-03-01",
        "provenance": "Discharge letter, St Mary's",
        "code": "C50.9",
        "label": "Breast cancer",
        "resolved_on": "2021-06-01",
    }
    response = post(client_for(doctor), f"/api/screening/patients/{patient.pk}/facts", data)
    assert response.status_code == 201
    assert response.json()["code"] == "C50.9"
    listed = client_for(doctor).get(f"/api/screening/patients/{patient.pk}/facts").json()
    assert [fact["code"] for fact in listed] == ["C50.9"]


def test_the_api_refuses_a_fact_with_an_unknown_unit(client_for, doctor, patient):
    data = {
        "kind": "lab",
        "on": timezone.localdate().isoformat(),
        "provenance": "Report",
        "analyte": "crp",
        "value": 3,
        "unit": "bananas",
    }
    response = post(client_for(doctor), f"/api/screening/patients/{patient.pk}/facts", data)
    assert response.status_code == 422
    assert "unit" in response.json()["errors"]
    assert PatientFact.objects.count() == 0


def test_a_doctor_screens_and_two_doctors_sign_through_the_api(
    client_for, doctor, second_doctor, normal_patient, treatment_date
):
    url = f"/api/screening/patients/{normal_patient.pk}"
    data = {"treatment_date": treatment_date.isoformat(), "source": "allogeneic"}
    body = post(client_for(doctor), url, data).json()
    assert body["decision"] == "eligible"
    assert body["ruleset_version"] == 1
    assert len(body["results"]) == 26
    sign_url = f"/api/screening/{body['id']}/signatures"
    wrong = post(client_for(doctor), sign_url, {"password": "guess"})
    assert wrong.status_code == 422 and wrong.json()["errors"] == {"password": "Wrong password."}
    assert not Screening.objects.get(pk=body["id"]).signatures.exists()
    first = post(client_for(doctor), sign_url, {"password": PASSWORD}).json()
    assert first["is_final"] is False
    second = post(client_for(second_doctor), sign_url, {"password": PASSWORD}).json()
    assert second["is_final"] is True
    assert len(second["signatures"]) == 2
    signed = [(s["printed_name"], s["meaning"], s["matches"]) for s in second["e_signatures"]]
    assert signed == [("Dan Doctor", "approval", True), ("Dora Doctor", "approval", True)]
    assert all(len(s["record_hash"]) == 64 and s["signed_at"] for s in second["e_signatures"])


def test_the_api_refuses_a_second_signature_by_the_same_doctor(
    client_for, doctor, normal_patient, treatment_date
):
    screening = screen_patient(
        normal_patient, doctor, treatment_date=treatment_date, source="autologous"
    )
    sign_screening(screening, doctor, password=PASSWORD)
    response = post(
        client_for(doctor), f"/api/screening/{screening.pk}/signatures", {"password": PASSWORD}
    )
    assert response.status_code == 422
    assert ScreeningSignature.objects.count() == 1


def test_the_api_refuses_a_caution_without_justification_and_an_overridden_exclusion(
    client_for, doctor, patient, treatment_date
):
    record_normal_facts(patient, doctor, yes={"clotting_disorder", "active_cancer"})
    screening = screen_patient(patient, doctor, treatment_date=treatment_date, source="autologous")
    url = f"/api/screening/{screening.pk}/signatures"
    data = {"password": PASSWORD, "justifications": {"active-cancer": "Benign, I think."}}
    response = post(client_for(doctor), url, data)
    assert response.status_code == 422
    assert "cannot be overridden" in response.json()["errors"]["justifications.active-cancer"]
    assert ScreeningSignature.objects.count() == 0


def test_a_nurse_cannot_screen_through_the_api(client_for, nurse, normal_patient, treatment_date):
    data = {"treatment_date": treatment_date.isoformat(), "source": "allogeneic"}
    response = post(client_for(nurse), f"/api/screening/patients/{normal_patient.pk}", data)
    assert response.status_code == 403
    assert Screening.objects.count() == 0


def test_another_sites_doctor_gets_404(client_for, doctor, other_site_doctor, normal_patient):
    screening = screen_patient(
        normal_patient, doctor, treatment_date=timezone.localdate(), source="autologous"
    )
    client = client_for(other_site_doctor)
    assert client.get(f"/api/screening/{screening.pk}").status_code == 404
    assert client.get(f"/api/screening/patients/{normal_patient.pk}/facts").status_code == 404


def test_a_nurse_screens_again_on_day_one_through_the_api(client_for, nurse, doctor, patient):
    record_normal_facts(patient, doctor, on=timezone.localdate() - dt.timedelta(days=1))
    stay = make_stay(make_plan(patient, doctor, admission=timezone.localdate()), nurse)
    response = post(client_for(nurse), f"/api/stays/{stay.pk}/day-one")
    assert response.status_code == 201
    body = response.json()
    assert body["purpose"] == "day_one"
    assert body["new_exclusions"] == []


def test_the_api_refuses_to_sign_an_incomplete_decision(
    client_for, doctor, patient, treatment_date
):
    record_normal_facts(patient, doctor, skip={"haemoglobin"})
    screening = screen_patient(patient, doctor, treatment_date=treatment_date, source="autologous")
    assert screening.decision == "incomplete"
    url = f"/api/screening/{screening.pk}/signatures"
    response = post(client_for(doctor), url, {"password": PASSWORD})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "incomplete_not_signable"
    assert "Haemoglobin result" in body["params"]["needed"]
    assert ScreeningSignature.objects.count() == 0
    assert client_for(doctor).get(f"/api/screening/{screening.pk}").json()["is_final"] is False
