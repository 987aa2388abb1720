"""A small multiple sclerosis cohort at every stage of the journey, at two sites.

Lisbon: P1 6.0 -> 5.0 (improved, fever), P2 4.0 -> 4.5 (worse, headache grade 2),
P3 3.0 -> 3.0 (unchanged), all three discharged; P4 treated on the ward, baseline 7.0 and
no follow-up; P5 screened with a baseline, never treated; P6 planned; P7 has a lot in
the lab; P8 not screened, plus one open request not yet a patient. Nicosia: one treated
patient with EDSS 5.0 -> 2.0, seen only by an administrator.
"""

import datetime as dt
from types import SimpleNamespace

import pytest

from celltrace.catalog.models import AdverseEventTerm, Condition
from celltrace.intake.models import ConsultationRequest
from celltrace.outcomes.models import Measurement
from celltrace.stays.models import AdverseEvent
from testkit.journey import (
    make_administration,
    make_lot,
    make_patient,
    make_plan,
    make_screening,
    make_stay,
)

TREATED_ON = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)


def measure(patient, user, value, *, on, timepoint, instrument="edss"):
    return Measurement.objects.create(
        patient=patient,
        instrument=instrument,
        value=value,
        timepoint=timepoint,
        measured_on=on,
        recorded_by=user,
    )


def treated_patient(site, doctor, nurse, technician, *, discharged=True):
    patient = make_patient(site)
    plan = make_plan(patient, doctor, admission=TREATED_ON.date())
    stay = make_stay(plan, nurse, admitted_at=TREATED_ON - dt.timedelta(hours=3))
    make_administration(stay, make_lot(plan, technician), nurse, given_at=TREATED_ON)
    if discharged:
        stay.discharged_at = TREATED_ON + dt.timedelta(days=5)
        stay.save()
    return patient, stay


def event(stay, user, term, grade):
    """An event whose words name a coded term, or else an "Other, specify" in those words."""
    coded = AdverseEventTerm.objects.filter(term__iexact=term).first()
    return AdverseEvent.objects.create(
        stay=stay,
        term=coded or AdverseEventTerm.objects.get(code="other"),
        term_detail="" if coded else term,
        onset_at=TREATED_ON + dt.timedelta(hours=4),
        ctcae_grade=grade,
        serious=grade >= 4,
        relatedness="possible",
        outcome="recovered",
        reported_by=user,
    )


@pytest.fixture
def cohort(catalog, site, other_site, doctor, nurse, lab_technician, other_site_doctor):
    base, later = dt.date(2026, 1, 5), dt.date(2026, 6, 1)
    people = {}
    for name, before, after in (("p1", 6.0, 5.0), ("p2", 4.0, 4.5), ("p3", 3.0, 3.0)):
        patient, stay = treated_patient(site, doctor, nurse, lab_technician)
        measure(patient, doctor, before, on=base, timepoint="baseline")
        measure(patient, doctor, after, on=later, timepoint="follow_up")
        people[name] = SimpleNamespace(patient=patient, stay=stay)
    event(people["p1"].stay, nurse, "Fever", 1)
    event(people["p2"].stay, nurse, "Headache", 2)
    p4, _ = treated_patient(site, doctor, nurse, lab_technician, discharged=False)
    measure(p4, doctor, 7.0, on=base, timepoint="baseline")
    p5 = make_patient(site)
    make_screening(p5, doctor)
    measure(p5, doctor, 2.0, on=base, timepoint="baseline")
    make_plan(make_patient(site), doctor)
    make_lot(make_plan(make_patient(site), doctor), lab_technician)
    make_patient(site)
    ConsultationRequest.objects.create(
        site=site,
        full_name="Waiting Person",
        email="w@example.org",
        phone="1",
        country="Spain",
        language="Spanish",
        condition=Condition.objects.get(code="ms"),
        description="Relapsing MS.",
        consent_health_data=True,
    )
    far, far_stay = treated_patient(
        other_site, other_site_doctor, other_site_doctor, other_site_doctor
    )
    measure(far, other_site_doctor, 5.0, on=base, timepoint="baseline")
    measure(far, other_site_doctor, 2.0, on=later, timepoint="follow_up")
    event(far_stay, other_site_doctor, "fever after infusion", 1)
    return SimpleNamespace(p4=p4, p5=p5, far=far, **people)
