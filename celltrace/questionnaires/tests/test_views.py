"""The patient's questionnaire pages: the list by status, and answering one."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.outcomes import reports
from celltrace.outcomes.models import Measurement, Source
from celltrace.outcomes.tests.reporting import measure
from celltrace.questionnaires.tests.conftest import portal_patient
from testkit.signin import sign_in


@pytest.fixture
def signed_in(client, patient):
    sign_in(client, patient.portal_user)
    return client


def test_the_list_shows_what_is_due_now_what_comes_next_and_what_is_done(signed_in, patient):
    signed_in.post("/portal/questionnaires/pain/", {"pain": "2"})
    page = signed_in.get("/portal/questionnaires/").content.decode()
    due, upcoming = page.split('id="due"')[1].split('id="upcoming"')
    upcoming, done = upcoming.split('id="done"')
    assert "/portal/questionnaires/eq5d5l/" in due and "Living with MS" in due
    assert "/portal/questionnaires/pain/" not in due
    assert "Pain" in done
    assert "Your health today (EQ-5D-5L)</a> (3 months after your treatment)" in due
    assert "Your health today (EQ-5D-5L) (6 months after your treatment)" in upcoming
    assert "Pain (3 months after your treatment) &middot;\n      answered on" in done


def test_answering_the_pain_question_stores_it_as_the_patients_own_report(signed_in, patient):
    response = signed_in.post("/portal/questionnaires/pain/", {"pain": "6"})
    assert response.status_code == 302 and response["Location"] == "/portal/questionnaires/"
    stored = Measurement.objects.get(patient=patient)
    assert (stored.instrument, stored.value, stored.source) == ("pain", 6.0, Source.PATIENT)


def test_the_page_asks_in_plain_words_without_scores(signed_in):
    page = signed_in.get("/portal/questionnaires/eq5d5l/").content.decode()
    assert "Walking about" in page and "Slight problems" in page
    assert "1: No problems" not in page  # the staff form's score prefix is not shown


def test_a_questionnaire_outside_its_window_is_refused_with_a_clear_message(
    client, catalog, site, doctor, nurse, lab_technician
):
    between = portal_patient(site, doctor, nurse, lab_technician, days_ago=130)
    sign_in(client, between.portal_user)
    assert "not open for you today" in client.get("/portal/questionnaires/pain/").content.decode()
    page = client.post("/portal/questionnaires/pain/", {"pain": "3"}).content.decode()
    assert "is not open for you today" in page
    assert not Measurement.objects.exists()


def test_an_instrument_staff_record_has_no_patient_page(signed_in):
    assert signed_in.get("/portal/questionnaires/edss/").status_code == 404


def test_a_portal_account_without_a_record_gets_not_found(client, site):
    lost = User.objects.create_user(username="lost", password="x", role=Role.PATIENT, site=site)
    sign_in(client, lost)
    assert client.get("/portal/questionnaires/").status_code == 404


def test_the_report_counts_a_patients_own_eq5d5l_at_3_months(signed_in, patient, doctor):
    first = timezone.localdate() - dt.timedelta(days=90)
    measure(patient, doctor, "eq5d5l", 0.6, on=first)  # the baseline, on the first dose's day

    def n_at_3_months():
        question = reports.ask(
            "ms", cutoff=None, product=None, route=None, today=timezone.localdate()
        )
        data = reports.make_report(question, None).data
        row = next(
            o
            for o in data["outcomes"]
            if o["instrument"] == "eq5d5l" and o["timepoint"] == "3 months"
        )
        return row["n"]

    assert n_at_3_months() == 0
    answers = {
        "mobility": "1", "self_care": "1", "usual_activities": "2", "pain_discomfort": "2",
        "anxiety_depression": "1", "vas": "80",
    }  # fmt: skip
    assert signed_in.post("/portal/questionnaires/eq5d5l/", answers).status_code == 302
    assert n_at_3_months() == 1
