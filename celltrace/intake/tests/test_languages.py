"""The public form answers in the visitor's language, and the clinic keeps writing in it."""

import datetime as dt

import pytest

from celltrace.intake.actions import convert_to_patient
from celltrace.intake.models import ConsultationRequest
from celltrace.outbox.models import Message


@pytest.mark.parametrize(
    ("accept", "lang", "heading", "label"),
    [
        ("", "en", "Ask for a free online consultation", "Full name"),
        (
            "de-DE,de;q=0.9,en;q=0.5",
            "de",
            "Kostenlose Online-Beratung anfragen",
            "Vollständiger Name",
        ),
        ("ru,en;q=0.5", "ru", "Запросить бесплатную онлайн-консультацию", "Полное имя"),
        ("pt-PT,pt;q=0.9", "en", "Ask for a free online consultation", "Full name"),
    ],
)
def test_the_public_form_answers_in_the_language_the_browser_asks_for(
    client, catalog, accept, lang, heading, label
):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    page = client.get("/intake/request/", **headers)
    text = page.content.decode()
    assert page["Content-Language"] == lang
    assert f'<html lang="{lang}">' in text
    assert heading in text and label in text


def test_the_thank_you_page_and_the_form_errors_are_in_the_visitors_language(client, fields):
    response = client.post(
        "/intake/request/", {**fields, "phone": "call me"}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert "Geben Sie eine Telefonnummer ein: 6 bis 20 Ziffern" in response.content.decode()
    response = client.post("/intake/request/", fields, HTTP_ACCEPT_LANGUAGE="de", follow=True)
    assert "Vielen Dank: Wir haben Ihre Anfrage erhalten" in response.content.decode()


def test_a_visitor_chooses_the_language_with_the_switcher(client, catalog):
    page = client.get("/intake/request/", HTTP_ACCEPT_LANGUAGE="de")
    assert 'action="/i18n/setlang/"' in page.content.decode()
    switched = client.post("/i18n/setlang/", {"language": "ru", "next": "/intake/request/"})
    assert switched.status_code == 302 and switched["Location"] == "/intake/request/"
    page = client.get("/intake/request/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Запросить бесплатную онлайн-консультацию" in page.content.decode()


def test_the_language_read_in_becomes_the_patients_coded_language(
    client, fields, advisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/intake/request/", fields, HTTP_ACCEPT_LANGUAGE="ru")  # "Portuguese"
    consultation = ConsultationRequest.objects.get()
    assert (consultation.language, consultation.preferred_language) == ("Portuguese", "ru")
    assert Message.objects.get().language == "ru"
    born = dt.date(1980, 1, 1)
    patient = convert_to_patient(consultation, advisor, date_of_birth=born, sex="female")
    assert (patient.language, patient.preferred_language) == ("Portuguese", "ru")


def test_a_clinic_language_the_visitor_named_wins_over_the_page_they_read(client, fields):
    client.post("/intake/request/", {**fields, "language": "Deutsch"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert ConsultationRequest.objects.get().preferred_language == "de"


def test_a_request_through_the_api_is_coded_from_the_language_named(make_request):
    assert make_request(language="russisch").preferred_language == "ru"
    assert make_request(language="Italiano").preferred_language == "en"
