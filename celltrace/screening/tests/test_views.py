import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from celltrace.screening.actions import screen_patient, sign_screening
from celltrace.screening.models import PatientFact, Screening, ScreeningSignature
from testkit import PASSWORD
from testkit.journey import make_plan, make_stay
from testkit.samples import record_normal_facts


def screened(patient, doctor, treatment_date):
    return screen_patient(patient, doctor, treatment_date=treatment_date, source="autologous")


def test_a_doctor_records_a_lab_result_on_the_facts_screen(client_for, doctor, patient):
    url = reverse("screening:facts", args=[patient.pk])
    data = {
        "kind": "lab",
        "lab-on": timezone.localdate().isoformat(),
        "lab-provenance": "Lab report 12",
        "lab-analyte": "haemoglobin",
        "lab-value": "13.1",
        "lab-unit": "g/dL",
    }
    response = client_for(doctor).post(url, data)
    assert response.status_code == 302
    assert PatientFact.objects.get().value == 13.1


def test_the_facts_screen_refuses_an_unknown_unit_and_saves_nothing(client_for, nurse, patient):
    url = reverse("screening:facts", args=[patient.pk])
    data = {
        "kind": "lab",
        "lab-on": timezone.localdate().isoformat(),
        "lab-provenance": "Lab report 12",
        "lab-analyte": "haemoglobin",
        "lab-value": "13.1",
        "lab-unit": "furlongs",
    }
    response = client_for(nurse).post(url, data)
    assert response.status_code == 200
    assert b'class="refusal"' in response.content
    assert PatientFact.objects.count() == 0


def test_a_doctor_runs_the_rules_and_sees_each_rules_result(
    client_for, doctor, normal_patient, treatment_date
):
    client = client_for(doctor)
    url = reverse("screening:new", args=[normal_patient.pk])
    data = {"treatment_date": treatment_date.isoformat(), "source": "autologous"}
    response = client.post(url, data)
    screening = Screening.objects.get()
    assert response["Location"] == screening.get_absolute_url()
    page = client.get(screening.get_absolute_url()).content.decode()
    assert "Eligible" in page
    assert "not final: 0 of 2 signatures" in page
    assert "Haemoglobin outside the reference range" in page
    assert "haemoglobin 13.5 g/dL" in page


def test_a_signature_through_the_form_needs_the_password(
    client_for, doctor, normal_patient, treatment_date
):
    screening = screened(normal_patient, doctor, treatment_date)
    url = reverse("screening:sign", args=[screening.pk])
    response = client_for(doctor).post(url, {"password": "nope"})
    assert response.status_code == 200
    assert b'class="refusal"' in response.content
    assert ScreeningSignature.objects.count() == 0
    assert client_for(doctor).post(url, {"password": PASSWORD}).status_code == 302
    assert ScreeningSignature.objects.count() == 1


def test_a_caution_without_justification_is_refused_on_the_form(
    client_for, doctor, patient, treatment_date
):
    record_normal_facts(patient, doctor, yes={"immunocompromised"})
    screening = screened(patient, doctor, treatment_date)
    url = reverse("screening:sign", args=[screening.pk])
    response = client_for(doctor).post(url, {"password": PASSWORD})
    assert response.status_code == 200
    assert "Write why the patient may be treated despite" in response.content.decode()
    assert ScreeningSignature.objects.count() == 0
    data = {"password": PASSWORD, "justifications_immunocompromise": "Mild, controlled."}
    assert client_for(doctor).post(url, data).status_code == 302


def test_one_signature_is_not_final_on_the_page(
    client_for, doctor, second_doctor, normal_patient, treatment_date
):
    screening = screened(normal_patient, doctor, treatment_date)
    sign_screening(screening, doctor, password=PASSWORD)
    page = client_for(second_doctor).get(screening.get_absolute_url()).content.decode()
    assert "not final: 1 of 2 signatures" in page
    assert "Sign this decision" in page
    page = client_for(doctor).get(screening.get_absolute_url()).content.decode()
    assert "Sign this decision" not in page


def test_the_screening_report_is_a_pdf(client_for, nurse, doctor, normal_patient, treatment_date):
    screening = screened(normal_patient, doctor, treatment_date)
    response = client_for(nurse).get(reverse("screening:report_pdf", args=[screening.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@override_settings(CELLTRACE_SCREENING_SIGNATURES=2)
def test_the_sign_off_shows_its_signature_on_the_page_and_the_report(
    client_for, nurse, doctor, normal_patient, treatment_date
):
    import io

    import pypdf

    screening = screened(normal_patient, doctor, treatment_date)
    client = client_for(doctor)
    url = reverse("screening:sign", args=[screening.pk])
    wrong = client.post(url, {"password": "guess"})
    assert "Wrong password." in wrong.content.decode()
    assert not screening.signatures.exists()
    client.post(url, {"password": PASSWORD})
    page = client_for(nurse).get(screening.get_absolute_url()).content.decode()
    assert "Electronic signature" in page and "<strong>Approval</strong>" in page
    assert "Dan Doctor" in page and "matches the signed record" in page
    pdf = client_for(nurse).get(reverse("screening:report_pdf", args=[screening.pk])).content
    text = " ".join(
        "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    assert "Electronic signature: Approval by Dan Doctor" in text


def test_a_screening_of_another_site_is_not_found(
    client_for, doctor, other_site_doctor, normal_patient, treatment_date
):
    screening = screened(normal_patient, doctor, treatment_date)
    client = client_for(other_site_doctor)
    assert client.get(screening.get_absolute_url()).status_code == 404
    assert client.get(reverse("screening:report_pdf", args=[screening.pk])).status_code == 404
    assert client.get(reverse("screening:facts", args=[normal_patient.pk])).status_code == 404


@pytest.mark.parametrize("role", ["nurse", "coordinator"])
def test_only_doctors_run_the_rules(client_for, request, role, patient):
    url = reverse("screening:new", args=[patient.pk])
    assert client_for(request.getfixturevalue(role)).get(url).status_code == 403


def test_a_nurse_screens_again_on_day_one(client_for, nurse, doctor, patient, catalog):
    record_normal_facts(patient, doctor)
    plan = make_plan(patient, doctor, admission=timezone.localdate())
    stay = make_stay(plan, nurse, day_one=False)
    client = client_for(nurse)
    url = reverse("stays:day_one", args=[stay.pk])
    assert "No day-one screening" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert "Administration allowed" in client.get(url).content.decode()


def test_the_day_one_screen_of_another_site_is_not_found(
    client_for, other_site_doctor, doctor, nurse, patient
):
    stay = make_stay(make_plan(patient, doctor), nurse)
    url = reverse("stays:day_one", args=[stay.pk])
    assert client_for(other_site_doctor).get(url).status_code == 404


def test_the_facts_list_does_not_grow_queries_with_facts(
    client_for, doctor, patient, django_assert_max_num_queries
):
    record_normal_facts(patient, doctor)
    client = client_for(doctor)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("screening:facts", args=[patient.pk]))
    assert response.status_code == 200
    assert "Full history reviewed" in response.content.decode()


def test_a_decision_waits_on_the_dashboard_of_each_doctor_who_has_not_signed(
    doctor, second_doctor, normal_patient, treatment_date
):
    from celltrace.web.dashboards import work_queues

    def waiting(user):
        queue = next(q for q in work_queues(user) if "your signature" in q.title)
        return queue.rows

    screening = screened(normal_patient, doctor, treatment_date)
    assert waiting(doctor) == [screening]
    sign_screening(screening, doctor, password=PASSWORD)
    assert waiting(doctor) == []
    assert waiting(second_doctor) == [screening]


def _incomplete(patient, doctor, treatment_date):
    record_normal_facts(patient, doctor, skip={"haemoglobin"})
    screening = screened(patient, doctor, treatment_date)
    assert screening.decision == "incomplete"
    return screening


def test_the_page_of_an_incomplete_decision_offers_no_signature_and_says_what_is_missing(
    client_for, doctor, patient, treatment_date
):
    screening = _incomplete(patient, doctor, treatment_date)
    page = client_for(doctor).get(screening.get_absolute_url()).content.decode()
    assert "Sign this decision" not in page
    assert "This decision is incomplete, so it cannot be signed." in page
    assert "Haemoglobin result from a sample taken on or after" in page
    assert reverse("screening:facts", args=[patient.pk]) in page


def test_the_sign_form_refuses_an_incomplete_decision_and_saves_nothing(
    client_for, doctor, patient, treatment_date
):
    screening = _incomplete(patient, doctor, treatment_date)
    url = reverse("screening:sign", args=[screening.pk])
    response = client_for(doctor).post(url, {"password": PASSWORD})
    assert response.status_code == 200
    assert "An incomplete decision cannot be signed" in response.content.decode()
    assert ScreeningSignature.objects.count() == 0
    screening.refresh_from_db()
    assert not screening.is_final


def test_an_incomplete_decision_does_not_wait_for_a_signature_on_the_dashboard(
    doctor, patient, treatment_date
):
    from celltrace.web.dashboards import work_queues

    _incomplete(patient, doctor, treatment_date)
    queue = next(q for q in work_queues(doctor) if "your signature" in q.title)
    assert queue.rows == []
