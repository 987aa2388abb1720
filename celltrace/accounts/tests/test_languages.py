"""Signed-in people read celltrace in their own language, whatever the browser asks for."""

import datetime as dt
import importlib

from django import forms
from django.apps import apps
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from celltrace.accounts.models import Role, User
from celltrace.accounts.signin import _minutes
from celltrace.outbox.queue import Recipient
from celltrace.patients.models import Patient
from celltrace.web.charts import bar_chart
from testkit.journey import make_patient
from testkit.signin import sign_in


def _portal_patient(site, **fields):
    patient = make_patient(site, **fields)
    patient.portal_user = User.objects.create_user(
        username=f"portal-{patient.pk}", password="x", role=Role.PATIENT, site=site
    )
    patient.save()
    return patient


def test_staff_read_the_language_they_chose_not_the_browsers(client, doctor):
    doctor.language = "de"
    doctor.save()
    sign_in(client, doctor)
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de">' in page
    assert ">Patienten</a>" in page and ">Abmelden</button>" in page
    assert "Arzt · " in page  # the role, in the topbar


def test_a_patient_reads_the_portal_in_the_coded_language_of_their_record(client, site, catalog):
    patient = _portal_patient(site, language="Deutsch", preferred_language="ru")
    assert patient.portal_user.language == "en"
    sign_in(client, patient.portal_user)
    page = client.get(f"/patients/{patient.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="ru">' in page
    assert "Страна / язык" in page and "Пребывания" in page and "Наблюдение" in page
    assert "Deutsch" in page  # the interpreter's language stays as the patient named it


def test_a_patient_changes_their_language_on_the_account_page(client, site, catalog):
    patient = _portal_patient(site, preferred_language="en")
    sign_in(client, patient.portal_user)
    response = client.post("/account/language/", {"language": "de"}, follow=True)
    assert "Ab jetzt sehen Sie celltrace in dieser Sprache." in response.content.decode()
    patient.refresh_from_db()
    assert patient.preferred_language == "de"
    assert patient.history.first().history_user == patient.portal_user
    assert Recipient.patient_of(patient).language == "de"  # the e-mails follow


def test_staff_change_their_language_and_a_wrong_one_is_refused(client, nurse):
    sign_in(client, nurse)
    assert client.post("/account/language/", {"language": "ru"}).status_code == 302
    nurse.refresh_from_db()
    assert nurse.language == "ru"
    refused = client.post("/account/language/", {"language": "fr"})
    assert refused.status_code == 200 and "fr" in refused.content.decode()
    nurse.refresh_from_db()
    assert nurse.language == "ru"


def test_the_refusal_page_writes_the_role_as_the_language_does(client, nurse):
    nurse.language = "de"
    nurse.save()
    sign_in(client, nurse)
    page = client.get("/intake/").content.decode()
    assert "Sie sind als Nora Nurse angemeldet, Pflegefachkraft am Standort" in page


def test_messages_follow_the_coded_language_not_the_free_text(site, catalog):
    patient = make_patient(site, language="Deutsch", preferred_language="ru")
    assert Recipient.patient_of(patient).language == "ru"


def test_the_migration_codes_the_languages_patients_named(site, catalog):
    named = {"Deutsch": "de", " russian ": "ru", "Englisch": "en", "Portuguese": "en"}
    patients = {text: make_patient(site, language=text, preferred_language="en") for text in named}
    migration = importlib.import_module("celltrace.patients.migrations.0004_preferred_language")
    migration.code_the_languages(apps, None)
    coded = {t: Patient.objects.get(pk=p.pk).preferred_language for t, p in patients.items()}
    assert coded == named


def test_dates_and_numbers_follow_the_language_and_date_fields_stay_iso():
    day = dt.date(2026, 12, 7)
    template = Template("{{ day }} {{ value }}")
    context = Context({"day": day, "value": 1.5})

    class DayForm(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    shown = {}
    for language in ("en", "de", "ru"):
        with translation.override(language):
            shown[language] = template.render(context)
            assert 'value="2026-12-07"' in str(DayForm(initial={"day": day})["day"])
            assert DayForm({"day": "2026-12-07"}).is_valid()
    assert shown == {
        "en": "2026-12-07 1.5",
        "de": "7. Dezember 2026 1,5",
        "ru": "7 декабря 2026 г. 1,5",
    }


def test_a_charts_coordinates_keep_the_decimal_point_in_every_language():
    chart = bar_chart("k", "Title", [("a", 1), ("b", 3), ("c", 2)], limit=2)
    with translation.override("de"):
        svg = render_to_string("web/_bar_chart.html", {"chart": chart})
    assert f'x="{chart.bars[1].x}"' in svg and "." in str(chart.bars[1].x)


def test_the_sign_in_pauses_and_session_ends_count_in_the_languages_plurals():
    with translation.override("ru"):
        minutes = [_minutes(dt.timedelta(minutes=m)) for m in (1, 2, 5, 21)]
        assert minutes == ["1 минуту", "2 минуты", "5 минут", "21 минуту"]
    with translation.override("de"):
        hours = [_minutes(dt.timedelta(hours=h)) for h in (1, 12)]
        assert hours == ["1 Stunde", "12 Stunden"]
