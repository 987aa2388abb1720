from django.utils import timezone

from celltrace.outcomes.models import Measurement
from testkit.journey import make_patient


def test_record_and_list_measurements_through_the_api(client_for, doctor, nurse, site, catalog):
    patient = make_patient(site)
    url = f"/api/outcomes/patients/{patient.pk}/measurements"
    body = {
        "instrument": "pain",
        "value": 6,
        "timepoint": "baseline",
        "measured_on": timezone.localdate().isoformat(),
        "details": {"site": "lower back"},
    }
    response = client_for(doctor).post(url, body, content_type="application/json")
    assert response.status_code == 201
    listed = client_for(nurse).get(url).json()
    assert [(m["instrument"], m["value"]) for m in listed] == [("pain", 6.0)]


def test_the_api_refuses_out_of_range_and_future_values(client_for, doctor, site, catalog):
    patient = make_patient(site)
    url = f"/api/outcomes/patients/{patient.pk}/measurements"
    body = {"instrument": "edss", "value": 12, "timepoint": "baseline", "measured_on": "2999-01-01"}
    response = client_for(doctor).post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"value", "measured_on"}
    assert not Measurement.objects.exists()


def test_a_nurse_cannot_record_and_another_site_gets_404(
    client_for, nurse, other_site_doctor, site, catalog
):
    patient = make_patient(site)
    url = f"/api/outcomes/patients/{patient.pk}/measurements"
    body = {
        "instrument": "pain",
        "value": 6,
        "timepoint": "baseline",
        "measured_on": timezone.localdate().isoformat(),
    }
    assert client_for(nurse).post(url, body, content_type="application/json").status_code == 403
    assert client_for(other_site_doctor).get(url).status_code == 404


def test_the_condition_summary_as_json(client_for, manager, cohort):
    body = client_for(manager).get("/api/outcomes/conditions/ms").json()
    assert body["treated"] == 4
    (edss,) = body["instruments"]
    assert edss["lower_is_better"] and "above 5.0" in edss["clear_change_threshold"]
    groups = [
        edss[k] for k in ("n", "no_usable_baseline", "follow_up_not_yet_due", "lost_to_follow_up")
    ]
    assert groups == [3, 0, 1, 0] and sum(groups) == edss["treated"] == 4
    assert round(edss["change"]["mean"], 4) == -0.1667 and not edss["change"]["too_small"]
    assert (edss["improved"], edss["no_clear_change"], edss["worsened"]) == (1, 2, 0)
    rows = {r["kind"]: r for r in body["adverse_events"]}
    assert rows["grade_1"]["patients"]["events"] == 1 and rows["grade_1"]["patients"]["n"] == 4
    assert rows["serious"]["patients"]["rate"] == 0 and rows["serious"]["patients"]["ci_high"]
    assert body["fever"]["events"] == 1 and body["fever"]["n"] == 4
    assert body["fever_claim"] == {"claimed_max": 0.02, "verdict": "contradicted"}


def test_a_single_analysed_patient_gets_no_mean_through_the_api(
    client_for, manager, catalog, site, doctor, nurse, lab_technician
):
    import datetime as dt

    from celltrace.outcomes.tests.conftest import measure, treated_patient

    patient, _ = treated_patient(site, doctor, nurse, lab_technician)
    measure(patient, doctor, 3.0, on=dt.date(2026, 1, 5), timepoint="baseline")
    measure(patient, doctor, 3.0, on=dt.date(2026, 6, 1), timepoint="follow_up")
    (edss,) = client_for(manager).get("/api/outcomes/conditions/ms").json()["instruments"]
    assert edss["change"] == {
        "n": 1,
        "too_small": True,
        "mean": None,
        "ci_low": None,
        "ci_high": None,
    }


def test_the_condition_summary_is_for_the_report_roles_only(client_for, nurse, catalog):
    assert client_for(nurse).get("/api/outcomes/conditions/ms").status_code == 403


def test_an_unknown_condition_is_not_found(client_for, manager, catalog):
    assert client_for(manager).get("/api/outcomes/conditions/nope").status_code == 404
