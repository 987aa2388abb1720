from celltrace.screening.actions import record_screening
from celltrace.screening.models import Screening, ScreeningAnswer


def url(patient):
    return f"/api/screening/patients/{patient.pk}"


def body(answers, decision="eligible", reasons="No contraindication found."):
    return {
        "answers": {code: {"answer": a, "note": n} for code, (a, n) in answers.items()},
        "decision": decision,
        "reasons": reasons,
    }


def post(client, patient, data):
    return client.post(url(patient), data, content_type="application/json")


def assert_nothing_saved():
    assert Screening.objects.count() == 0
    assert ScreeningAnswer.objects.count() == 0


def test_a_doctor_records_a_screening_through_the_api(client_for, doctor, patient, all_no):
    all_no["anaesthesia"] = ("yes", "Difficult airway")
    response = post(client_for(doctor), patient, body(all_no))
    assert response.status_code == 201
    data = response.json()
    assert data["decision"] == "eligible"
    assert data["donor_products_only"] is True
    assert len(data["answers"]) == len(all_no)
    assert {"code": "anaesthesia", "answer": "yes", "note": "Difficult airway"}.items() <= next(
        a for a in data["answers"] if a["code"] == "anaesthesia"
    ).items()


def test_the_api_cannot_record_eligible_with_an_exclusion(client_for, doctor, patient, all_no):
    all_no["pregnancy"] = ("yes", "")
    response = post(client_for(doctor), patient, body(all_no))
    assert response.status_code == 422
    assert "excludes treatment" in response.json()["errors"]["decision"]
    assert_nothing_saved()


def test_the_api_cannot_skip_a_question(client_for, doctor, patient, all_no):
    del all_no["cancer"]
    response = post(client_for(doctor), patient, body(all_no, decision="needs_review"))
    assert response.status_code == 422
    assert "answers.cancer" in response.json()["errors"]
    assert_nothing_saved()


def test_the_api_cannot_skip_reasons(client_for, doctor, patient, all_no):
    response = post(client_for(doctor), patient, body(all_no, decision="not_eligible", reasons=""))
    assert response.status_code == 422
    assert "reasons" in response.json()["errors"]
    assert_nothing_saved()


def test_a_nurse_cannot_record_a_screening(client_for, nurse, patient, all_no):
    assert post(client_for(nurse), patient, body(all_no)).status_code == 403
    assert_nothing_saved()


def test_another_sites_doctor_gets_404(client_for, other_site_doctor, patient, all_no):
    assert post(client_for(other_site_doctor), patient, body(all_no)).status_code == 404
    assert_nothing_saved()


def test_the_care_team_reads_a_screening_through_the_api(
    client_for, nurse, doctor, patient, all_no
):
    screening = record_screening(
        patient, doctor, answers=all_no, decision="eligible", reasons="Fine."
    )
    response = client_for(nurse).get(f"/api/screening/{screening.pk}")
    assert response.status_code == 200
    assert response.json()["id"] == screening.pk
    assert response.json()["answers"][0]["code"] == "cell-reaction"


def test_reading_another_sites_screening_gets_404(
    client_for, other_site_doctor, doctor, patient, all_no
):
    screening = record_screening(
        patient, doctor, answers=all_no, decision="eligible", reasons="Fine."
    )
    assert client_for(other_site_doctor).get(f"/api/screening/{screening.pk}").status_code == 404


def test_the_advisor_cannot_read_screenings_through_the_api(
    client_for, advisor, doctor, patient, all_no
):
    screening = record_screening(
        patient, doctor, answers=all_no, decision="eligible", reasons="Fine."
    )
    assert client_for(advisor).get(f"/api/screening/{screening.pk}").status_code == 403
