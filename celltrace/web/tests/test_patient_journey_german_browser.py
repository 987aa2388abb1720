"""Issue 13: a German patient's home-care journey, in a German browser, through the portal.

The patient was treated 68 days ago and went home 63 days ago with weekly nasal exosomes for
ten weeks (the doctor's written reason for more than five): today's dose is due and the
3-month questionnaires (day 60-120) are open. Built through testkit and the discharge action,
not the whole demo, to stay fast. The browser asks for German (Accept-Language, locale); the
patient's coded language is German too. Screenshots go to test-artifacts/journey/.
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from celltrace.accounts import site_time
from celltrace.accounts.models import Role, User
from celltrace.catalog.models import CellProduct
from celltrace.homecare.models import HomeCareDose
from celltrace.outcomes.models import Measurement, Source
from celltrace.plans.models import PlannedHomeCare
from celltrace.stays.actions import discharge_patient
from celltrace.web.tests.browser import ARTIFACTS, german_browser_page  # noqa: F401
from testkit import PASSWORD
from testkit.journey import make_administration, make_lot, make_patient, make_plan, make_stay

pytestmark = pytest.mark.browser

TREATED_DAYS_AGO = 68
HOME_DAYS_AGO = 63  # the 9th weekly dose falls on today


def discharged_german_patient(site, doctor, nurse, technician):
    """Treated, discharged with ten weeks of weekly nasal exosomes, and given a portal login."""
    now = timezone.now()
    given_at = now - dt.timedelta(days=TREATED_DAYS_AGO)
    with time_machine.travel(given_at, tick=False):
        patient = make_patient(site, full_name="Greta Weber", country="Germany", language="German")
        plan = make_plan(patient, doctor, admission=given_at.date(), day=1)
        PlannedHomeCare.objects.create(
            plan=plan,
            product=CellProduct.objects.get(code="exo-home"),
            route="nasal",
            dose_per_kg=1.0e9,
            every_days=7,
            weeks=10,
            longer_reason="Slow response after five weeks; continue to the 3-month visit.",
            instructions="One puff in each nostril on Sunday morning.",
        )
        stay = make_stay(plan, nurse, admitted_at=given_at - dt.timedelta(hours=3))
        make_administration(stay, make_lot(plan, technician), nurse, given_at=given_at)
    with time_machine.travel(now - dt.timedelta(days=HOME_DAYS_AGO), tick=False):
        discharge_patient(stay, doctor, password=PASSWORD, discharged_at=timezone.now())
    patient.portal_user = User.objects.create_user(
        username="greta", password=PASSWORD, role=Role.PATIENT, site=site
    )
    patient.save()
    return patient


def test_a_german_patient_confirms_a_dose_answers_a_questionnaire_and_gets_the_letter(
    german_browser_page,  # noqa: F811
    live_server,
    transactional_db,
    catalog,
    site,
    doctor,
    nurse,
    lab_technician,
):
    patient = discharged_german_patient(site, doctor, nurse, lab_technician)
    assert patient.preferred_language == "de"
    page, main = german_browser_page, german_browser_page.locator("main")

    def shot(name):
        page.screenshot(path=str(ARTIFACTS / f"de-{name}.png"), full_page=True)

    def open_link(name):
        with page.expect_navigation():
            page.get_by_role("link", name=name, exact=True).first.click()

    # Sign in: the login page is German already; a patient confirms no second factor.
    page.goto(live_server.url + "/login/")
    page.get_by_label("Benutzername").fill("greta")
    page.get_by_label("Passwort").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(main).to_contain_text("Willkommen, Greta Weber")
    shot("a-portal-home")

    # The home-care calendar, week by week after going home; today's dose is due.
    open_link("Meine häusliche Nachbehandlung")
    expect(main).to_contain_text("Woche 10 nach Ihrer Heimkehr")
    todays = page.locator("tr").filter(has=page.locator(".badge", has_text="heute"))
    expect(todays).to_contain_text("Dosis 9 von 10")
    shot("b-home-care-calendar")
    with page.expect_navigation():
        todays.get_by_role("button", name="Ich habe diese Dosis eingenommen").click()
    expect(todays).to_contain_text("Eingenommen")
    shot("c-dose-confirmed")
    taken = HomeCareDose.objects.get(patient=patient, status=HomeCareDose.Status.TAKEN)
    assert (taken.number, taken.day) == (9, site_time.today(site))

    # The 3-month pain question is due: answered in German, stored as the patient's own.
    open_link("Meine Fragebögen")
    expect(page.locator("#due")).to_contain_text("Jetzt fällig")
    shot("d-questionnaires")
    open_link("Schmerzen")
    page.get_by_label("3", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Meine Antworten senden").click()
    expect(page.locator("#done")).to_contain_text("Schmerzen")
    shot("e-pain-answered")
    stored = Measurement.objects.get(patient=patient, instrument="pain")
    assert (stored.value, stored.source) == (3.0, Source.PATIENT)

    # The discharge letter, from the documents page: a PDF.
    open_link("Meine Dokumente")
    letter = page.get_by_role("link", name="Ihr Entlassbrief vom")
    expect(letter).to_have_count(1)
    shot("f-documents")
    response = page.request.get(live_server.url + letter.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
