"""A patient on the ward with a released lot made for their plan, ready to be given."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from celltrace.screening.models import Screening
from testkit.journey import make_lot, make_patient, make_plan, make_stay


@pytest.fixture
def ward(catalog, site, doctor, nurse, lab_technician, quality_reviewer):
    """Admitted 3 hours ago; the lot was released and the day-one screening passed 2 hours ago."""
    return ward_patient(site, doctor, nurse, lab_technician, quality_reviewer)


def ward_patient(site, doctor, nurse, lab_technician, quality_reviewer):
    """A patient as in the `ward` fixture; allogeneic lots from make_lot share one donor."""
    patient = make_patient(site)
    plan = make_plan(patient, doctor, admission=timezone.localdate(), dose=1.0e6, day=1)
    stay = make_stay(plan, nurse, admitted_at=timezone.now() - dt.timedelta(hours=3))
    two_hours_ago = timezone.now() - dt.timedelta(hours=2)
    Screening.objects.filter(stay=stay).update(decided_at=two_hours_ago)
    lot = make_lot(plan, lab_technician, reviewer=quality_reviewer)
    lot.released_at = two_hours_ago
    lot.save()
    return SimpleNamespace(patient=patient, plan=plan, stay=stay, lot=lot)


@pytest.fixture
def bedside(ward):
    """The fields of a correct bedside administration of the ward patient's lot."""
    return {
        "patient_code": ward.patient.code,
        "lot_code": ward.lot.code,
        "dose_per_kg": 1.0e6,
        "route": "intravenous",
        "given_at": timezone.now() - dt.timedelta(minutes=5),
        "temperature_c": 36.8,
        "heart_rate": 72,
        "systolic_bp": 120,
        "diastolic_bp": 80,
        "spo2": 98,
    }
