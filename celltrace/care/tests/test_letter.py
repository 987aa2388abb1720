"""The discharge letter: what was given, events, therapies, home care and check-ups, as PDF."""

import datetime as dt
import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.care.letter import discharge_letter
from celltrace.care.models import TherapySession
from celltrace.catalog.models import AdverseEventTerm, CellProduct
from celltrace.plans.models import PlannedHomeCare
from celltrace.stays.actions import discharge_patient
from celltrace.stays.models import Administration, AdverseEvent
from testkit import PASSWORD
from testkit.journey import make_lot, make_patient, make_plan, make_stay


@pytest.fixture
def discharged(ward, doctor, nurse, lab_technician, quality_reviewer):
    """The ward patient, given one lot, with a resolved headache and one physiotherapy session."""
    lot = make_lot(ward.plan, lab_technician, reviewer=quality_reviewer)
    given_at = timezone.now() - dt.timedelta(days=1)
    given = Administration.objects.create(
        stay=ward.stay, lot=lot, planned_product=ward.plan.products.get(), route="intravenous",
        dose_per_kg=1.0e6, given_at=given_at, nurse=nurse, temperature_c=36.8,
        heart_rate=72, systolic_bp=120, diastolic_bp=80, spo2=98,
    )  # fmt: skip
    AdverseEvent.objects.create(
        stay=ward.stay, term=AdverseEventTerm.objects.get(code="headache"), administration=given,
        lot=lot, onset_at=given_at + dt.timedelta(hours=2), ctcae_grade=1, serious=False,
        relatedness="possible", outcome="recovered", resolved_at=given_at + dt.timedelta(hours=5),
        reported_by=nurse,
    )  # fmt: skip
    TherapySession.objects.create(
        stay=ward.stay, planned_therapy=ward.physio, scheduled_for=given_at, status="given",
        recorded_by=nurse, recorded_at=given_at,
    )  # fmt: skip
    discharge_patient(
        ward.stay, doctor, password=PASSWORD, discharged_at=timezone.now(),
        early_discharge_reason="Flies home with family.",
    )  # fmt: skip
    ward.stay.refresh_from_db()
    ward.lot = lot
    return ward


def test_the_letter_says_what_was_given_what_happened_and_what_comes_next(discharged):
    letter = discharge_letter(discharged.stay)
    (given,) = letter.given
    assert (given.lot_code, given.route, given.day_of_stay) == (
        discharged.lot.code,
        "Intravenous infusion",
        2,
    )
    assert given.dose.startswith("1.0 × 10⁶")
    assert [(e.term, e.grade, e.outcome) for e in letter.events] == [("Headache", 1, "Recovered")]
    assert [(t.therapy, t.given, t.missed, t.planned) for t in letter.therapies] == [
        ("Physiotherapy", 1, 0, 4)
    ]
    assert len(letter.home_care) == 0 and len(letter.checkups) == 4  # the plan holds none
    first = letter.checkups[0]
    assert first.window_opens <= first.due_date <= first.window_closes
    assert first.due_date > timezone.localdate()
    assert letter.early_discharge_reason == "Flies home with family."
    assert not letter.synthetic
    (signed,) = letter.signatures
    assert signed.startswith("Electronic signature: Discharge by Dan Doctor, ")
    assert "matches the signed record" in signed


@pytest.fixture
def with_home_care(ward, doctor, nurse):
    """The ward patient's plan holds a nasal spray every 3 days for 5 weeks and a week of
    fever guidance; discharged today."""
    PlannedHomeCare.objects.create(
        plan=ward.plan, product=CellProduct.objects.get(code="exo-home"), route="nasal",
        dose_per_kg=1.0e9, every_days=3, weeks=5,
        instructions="One puff in each nostril after breakfast.",
    )  # fmt: skip
    PlannedHomeCare.objects.create(
        plan=ward.plan, medication="Paracetamol 500 mg", route="oral", every_days=7, weeks=1,
        instructions="Take one tablet only if above 38.5 °C.",
    )  # fmt: skip
    discharge_patient(
        ward.stay, doctor, password=PASSWORD, discharged_at=timezone.now(),
        early_discharge_reason="Flies home with family.",
        missed_doses_reason="Built for a test: only the home care matters here.",
    )  # fmt: skip
    ward.stay.refresh_from_db()
    return ward


def test_the_letter_lists_each_home_care_item_once_with_its_course(with_home_care):
    today = timezone.localdate()
    spray, guidance = discharge_letter(with_home_care.stay).home_care
    assert spray.what == "Exosome nasal spray for home use"
    assert with_home_care.plan.weight_kg == 70  # one dose is 70 times the dose per kg
    assert spray.dose == "7.0 × 10¹⁰ particles (1.0 × 10⁹ particles/kg)"
    assert (spray.route, spray.how_often, spray.doses) == ("Nasal spray", "every 3 days", 11)
    assert (spray.first_day, spray.last_day) == (
        today + dt.timedelta(days=3),
        today + dt.timedelta(days=33),
    )
    assert spray.instructions == "One puff in each nostril after breakfast."
    assert (guidance.what, guidance.dose, guidance.how_often, guidance.doses) == (
        "Paracetamol 500 mg",
        "",
        "every 7 days",
        1,
    )
    assert guidance.first_day == guidance.last_day == today + dt.timedelta(days=7)


def test_the_printed_letter_shows_the_home_care_course_and_the_check_up_windows(
    with_home_care, client_for, nurse
):
    url = reverse("care:discharge_letter", args=[with_home_care.stay.pk])
    pdf = client_for(nurse).get(url).content
    text = " ".join(
        "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )
    today = timezone.localdate()
    assert "Paracetamol 500 mg" in text and "see instructions" in text
    assert "One puff in each nostril after breakfast." in text
    assert f"{today + dt.timedelta(days=33):%Y-%m-%d}" in text
    assert text.count("Exosome nasal spray") == 1  # one line per item, not per dose
    checkup = discharge_letter(with_home_care.stay).checkups[0]
    window = f"{checkup.window_opens:%Y-%m-%d} to {checkup.window_closes:%Y-%m-%d}"
    assert window in text


def test_the_care_team_and_the_patient_print_it(discharged, client_for, nurse, site):
    url = reverse("care:discharge_letter", args=[discharged.stay.pk])
    response = client_for(nurse).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert discharged.lot.code in text and "Headache" in text and "Physiotherapy" in text
    assert "Electronic signature: Discharge by Dan Doctor" in " ".join(text.split())
    portal = User.objects.create_user(username="p", password="x", role=Role.PATIENT, site=site)
    discharged.patient.portal_user = portal
    discharged.patient.save()
    assert client_for(portal).get(url).status_code == 200


def test_nobody_else_gets_it_and_an_open_stay_has_none(
    discharged, client_for, other_site_doctor, site, doctor, nurse, lab_technician
):
    url = reverse("care:discharge_letter", args=[discharged.stay.pk])
    assert client_for(other_site_doctor).get(url).status_code == 404
    assert client_for(lab_technician).get(url).status_code == 403
    stranger = User.objects.create_user(username="s", password="x", role=Role.PATIENT, site=site)
    another = make_patient(site)
    another.portal_user = stranger
    another.save()
    assert client_for(stranger).get(url).status_code == 404
    open_stay = make_stay(make_plan(make_patient(site), doctor), nurse)
    response = client_for(nurse).get(reverse("care:discharge_letter", args=[open_stay.pk]))
    assert response.status_code == 404


def test_a_synthetic_patient_letter_says_so(discharged, client_for, nurse):
    discharged.patient.synthetic = True
    discharged.patient.save()
    pdf = client_for(nurse).get(reverse("care:discharge_letter", args=[discharged.stay.pk]))
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "SYNTHETIC DEMO DATA" in text
