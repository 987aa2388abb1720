"""A final decision writes the patient one message; a day-one block alerts the stay's doctor."""

import pytest

from celltrace.outbox.models import Message
from celltrace.screening.actions import (
    record_fact,
    rescreen_on_admission,
    screen_patient,
    sign_screening,
)
from testkit import PASSWORD
from testkit.journey import make_plan, make_stay
from testkit.samples import record_normal_facts


def _screened(patient, doctor, treatment_date):
    return screen_patient(patient, doctor, treatment_date=treatment_date, source="allogeneic")


@pytest.fixture
def german_patient(patient, doctor):
    patient.preferred_language = "de"
    patient.save()
    record_normal_facts(patient, doctor)
    return patient


def test_the_patient_hears_of_the_decision_once_it_is_final(
    german_patient, doctor, second_doctor, treatment_date
):
    screening = _screened(german_patient, doctor, treatment_date)
    sign_screening(screening, doctor, password=PASSWORD)
    assert not Message.objects.exists()  # one signature of two: not decided yet
    sign_screening(screening, second_doctor, password=PASSWORD)
    message = Message.objects.get()
    assert (message.kind, message.language, message.patient) == (
        "screening_decided",
        "de",
        german_patient,
    )
    assert message.recipient == german_patient.email
    # The decision itself is the advisor's to explain, not an e-mail's.
    assert "eligible" not in message.body.lower() and "Entscheidung" in message.body


@pytest.fixture
def stay(german_patient, doctor, second_doctor, nurse, treatment_date):
    screening = _screened(german_patient, doctor, treatment_date)
    sign_screening(screening, doctor, password=PASSWORD)
    sign_screening(screening, second_doctor, password=PASSWORD)
    doctor.email, doctor.language = "dan@clinic.example", "ru"
    doctor.save()
    return make_stay(make_plan(german_patient, doctor), nurse, day_one=False)


def test_a_day_one_exclusion_alerts_the_stays_doctor_in_their_language(stay, nurse, doctor):
    Message.objects.all().delete()
    record_fact(
        stay.patient, nurse, kind="lab", on=stay.admitted_at.date(), provenance="Admission",
        analyte="platelets", value=40, unit="x10^9/L",
    )  # fmt: skip
    blocked = rescreen_on_admission(stay, nurse)
    message = Message.objects.get()
    assert (message.kind, message.user, message.recipient, message.language) == (
        "day_one_block",
        doctor,
        "dan@clinic.example",
        "ru",
    )
    assert message.subject.startswith("Первый день: лечение остановлено")
    assert stay.patient.code in message.subject
    assert "Platelets outside the reference range" in message.body
    assert (message.about_type, message.about_id) == ("screening.screening", blocked.pk)
    assert message.patient is None  # a staff alert, not a message to the patient


def test_a_clean_day_one_recheck_alerts_nobody(stay, nurse):
    Message.objects.all().delete()
    rescreen_on_admission(stay, nurse)
    assert not Message.objects.exists()
