import datetime as dt

import pytest
from django.utils import timezone

from celltrace.outcomes.models import Measurement, MriScan
from celltrace.outcomes.tests.conftest import measure
from celltrace.outcomes.tests.exams import normal_exam, reference_case
from testkit.journey import make_patient

TODAY = timezone.localdate
SHEET = {
    "visual": 0,
    "brainstem": 0,
    "pyramidal": 3,
    "cerebellar": 2,
    "sensory": 0,
    "bowel_bladder": 0,
    "cerebral": 0,
    "ambulation": 0,
}


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="sci")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def exam_body(exam, **fields):
    return {"exam": exam, "timepoint": "baseline", "measured_on": TODAY().isoformat()} | fields


def test_an_exam_posted_in_the_praxis_form_is_classified_and_recorded(client_for, doctor, patient):
    case = reference_case(23)
    url = f"/api/outcomes/patients/{patient.pk}/isncsci"
    response = post(client_for(doctor), url, exam_body(case["exam"]))
    assert response.status_code == 201
    body = response.json()
    assert body["classification"] == case["expected"]["classification"]
    assert body["totals"] == case["expected"]["totals"] and body["motor_score"] == 13
    assert Measurement.objects.get(instrument="isncsci_motor").pk == body["measurement_id"]
    ais = case["expected"]["classification"]["ASIAImpairmentScale"]
    stored = Measurement.objects.get(instrument="ais")
    assert (stored.category, stored.value) == (ais, "ABCDE".index(ais))


def test_a_bad_grade_gets_422_naming_the_field_and_nothing_is_saved(client_for, doctor, patient):
    exam = normal_exam()
    exam["right"]["lightTouch"]["C4"] = "5"
    url = f"/api/outcomes/patients/{patient.pk}/isncsci"
    response = post(client_for(doctor), url, exam_body(exam))
    assert response.status_code == 422
    assert response.json()["errors"] == {"right.lightTouch.C4": "'5' is not a sensory grade"}
    assert not Measurement.objects.exists()


def test_a_missing_dermatome_is_named_too(client_for, doctor, patient):
    exam = normal_exam()
    del exam["left"]["pinPrick"]["T7"]
    url = f"/api/outcomes/patients/{patient.pk}/isncsci"
    response = post(client_for(doctor), url, exam_body(exam))
    assert response.status_code == 422 and response.json()["errors"] == {
        "left.pinPrick.T7": "missing"
    }


def test_an_nd_motor_score_is_refused_but_classify_still_answers(client_for, doctor, patient):
    exam = normal_exam()
    exam["left"]["motor"]["C6"] = "NT"
    client = client_for(doctor)
    url = f"/api/outcomes/patients/{patient.pk}/isncsci"
    response = post(client, url, exam_body(exam))
    assert response.status_code == 422 and "motor_score" in response.json()["errors"]
    assert not Measurement.objects.exists()
    classified = post(client, "/api/outcomes/isncsci/classify", {"exam": exam}).json()
    assert classified["motor_score"] is None and classified["totals"]["upperExtremity"] == "ND"


def test_only_a_doctor_of_the_patients_site_may_post_an_exam(
    client_for, nurse, other_site_doctor, patient
):
    url = f"/api/outcomes/patients/{patient.pk}/isncsci"
    assert post(client_for(nurse), url, exam_body(normal_exam())).status_code == 403
    assert post(client_for(other_site_doctor), url, exam_body(normal_exam())).status_code == 404
    assert not Measurement.objects.exists()


def test_an_edss_sheet_is_scored_and_recorded(client_for, doctor, patient):
    url = f"/api/outcomes/patients/{patient.pk}/edss"
    body = SHEET | {"timepoint": "baseline", "measured_on": TODAY().isoformat()}
    response = post(client_for(doctor), url, body)
    assert response.status_code == 201
    assert response.json() | {"measurement_id": 0} == {
        "measurement_id": 0,
        "edss": 3.5,
        "functional_step": 3.5,
        "ambulation_step": 0.0,
    }


def test_an_edss_grade_out_of_range_gets_422_and_nothing_is_saved(client_for, doctor, patient):
    url = f"/api/outcomes/patients/{patient.pk}/edss"
    body = SHEET | {"ambulation": 17, "timepoint": "baseline", "measured_on": TODAY().isoformat()}
    response = post(client_for(doctor), url, body)
    assert response.status_code == 422
    assert response.json()["errors"] == {"ambulation": "Must be a whole grade from 0 to 16."}
    assert not Measurement.objects.exists()


def test_a_nurse_may_not_post_an_edss_and_another_site_gets_404(
    client_for, nurse, other_site_doctor, patient
):
    url = f"/api/outcomes/patients/{patient.pk}/edss"
    body = SHEET | {"timepoint": "baseline", "measured_on": TODAY().isoformat()}
    assert post(client_for(nurse), url, body).status_code == 403
    assert post(client_for(other_site_doctor), url, body).status_code == 404
    assert not Measurement.objects.exists()


def test_the_edss_course_lists_readings_and_the_confirmed_worsening(
    client_for, doctor, coordinator, other_site_doctor, patient
):
    start = TODAY() - dt.timedelta(days=273)
    for n, edss in enumerate((2.0, 2.0, 3.0, 3.0)):
        measure(patient, doctor, edss, on=start + dt.timedelta(days=91 * n), timepoint="baseline")
    url = f"/api/outcomes/patients/{patient.pk}/edss-course"
    body = client_for(coordinator).get(url).json()
    assert [p["edss"] for p in body["points"]] == [2.0, 2.0, 3.0, 3.0]
    (event,) = body["events"]
    assert (event["kind"], event["label"], event["on"]) == (
        "CDW",
        "PIRA",
        (start + dt.timedelta(days=182)).isoformat(),
    )
    assert client_for(other_site_doctor).get(url).status_code == 404


def test_a_relapse_recorded_through_the_api_types_the_worsening_as_raw(client_for, doctor, patient):
    start = TODAY() - dt.timedelta(days=273)
    for n, edss in enumerate((2.0, 2.0, 3.0, 3.0)):
        measure(patient, doctor, edss, on=start + dt.timedelta(days=91 * n), timepoint="baseline")
    client = client_for(doctor)
    onset = (start + dt.timedelta(days=170)).isoformat()
    url = f"/api/outcomes/patients/{patient.pk}/relapses"
    assert post(client, url, {"onset": onset, "confirmed": True}).status_code == 201
    again = post(client, url, {"onset": onset, "confirmed": True})
    assert again.status_code == 422 and "onset" in again.json()["errors"]
    course = client.get(f"/api/outcomes/patients/{patient.pk}/edss-course").json()
    assert course["relapses"] == [onset] and course["events"][0]["label"] == "RAW"


def test_an_mri_scan_recorded_through_the_api_says_whether_it_shows_activity(
    client_for, doctor, patient
):
    client = client_for(doctor)
    url = f"/api/outcomes/patients/{patient.pk}/mri-scans"
    body = {"scanned_on": TODAY().isoformat(), "new_t2_lesions": 1, "gd_lesions": None}
    response = post(client, url, body)
    assert response.status_code == 201
    assert (response.json()["active"], response.json()["gd_lesions"]) == (True, None)
    negative = post(client, url, {**body, "scanned_on": "2020-01-01", "new_t2_lesions": -1})
    assert negative.status_code == 422 and "new_t2_lesions" in negative.json()["errors"]
    assert MriScan.objects.count() == 1
