"""Each role's dashboard lists what waits for that user, by the same rules as the gates."""

import datetime as dt

import time_machine
from django.utils import timezone

from testkit.journey import make_patient, make_screening

EARLIER = timezone.now() - dt.timedelta(days=3)


def _eligible_queue(client) -> str:
    page = client.get("/dashboard/").content.decode()
    return page.split("Eligible patients without a plan", 1)[1]


def test_a_doctor_sees_a_patient_with_a_final_eligible_decision_as_ready_to_plan(
    client_for, doctor, catalog
):
    patient = make_patient(doctor.site, full_name="Ready Patient")
    make_screening(patient, doctor, decision="eligible")

    assert "Ready Patient" in _eligible_queue(client_for(doctor))


def test_a_newer_not_eligible_decision_takes_a_patient_off_the_ready_to_plan_list(
    client_for, doctor, catalog
):
    patient = make_patient(doctor.site, full_name="Excluded Later")
    with time_machine.travel(EARLIER):
        make_screening(patient, doctor, decision="eligible")
    make_screening(patient, doctor, decision="not_eligible")

    assert "Excluded Later" not in _eligible_queue(client_for(doctor))


def test_a_patient_whose_newest_decision_is_not_yet_signed_is_not_ready_to_plan(
    client_for, doctor, catalog
):
    patient = make_patient(doctor.site, full_name="Awaiting Signatures")
    with time_machine.travel(EARLIER):
        make_screening(patient, doctor, decision="eligible")
    make_screening(patient, doctor, decision="eligible", final=False)

    assert "Awaiting Signatures" not in _eligible_queue(client_for(doctor))


def test_a_donor_products_only_decision_still_allows_a_plan(client_for, doctor, catalog):
    patient = make_patient(doctor.site, full_name="Donor Only")
    make_screening(patient, doctor, donor_only=True)

    assert "Donor Only" in _eligible_queue(client_for(doctor))


def _signature_queue(client) -> str:
    page = client.get("/dashboard/").content.decode()
    return page.split("waiting for your signature", 1)[1].split("Eligible patients", 1)[0]


def test_a_decision_waits_for_the_signature_of_each_doctor_who_has_not_signed(
    client_for, doctor, second_doctor, catalog
):
    from celltrace.screening.models import ScreeningSignature

    patient = make_patient(doctor.site, full_name="Needs Two Doctors")
    screening = make_screening(patient, doctor, final=False)
    ScreeningSignature.objects.create(screening=screening, doctor=doctor)

    assert "Needs Two Doctors" not in _signature_queue(client_for(doctor))
    assert "Needs Two Doctors" in _signature_queue(client_for(second_doctor))
