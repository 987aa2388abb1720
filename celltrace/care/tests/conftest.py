"""A patient on the ward since two days ago, with complementary therapies in the plan."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from celltrace.catalog.models import Therapy
from celltrace.plans.models import PlannedTherapy
from testkit.journey import make_patient, make_plan, make_stay


@pytest.fixture
def ward(catalog, site, doctor, nurse):
    """Admitted two days ago; the plan ends in three days and has physiotherapy and massage."""
    patient = make_patient(site, language="Portuguese")
    today = timezone.localdate()
    plan = make_plan(patient, doctor, admission=today - dt.timedelta(days=2), days=6)
    stay = make_stay(plan, nurse, admitted_at=timezone.now() - dt.timedelta(days=2))
    physio = PlannedTherapy.objects.create(
        plan=plan, therapy=Therapy.objects.get(code="physiotherapy"), sessions=4
    )
    return SimpleNamespace(patient=patient, plan=plan, stay=stay, physio=physio)


@pytest.fixture
def round_fields():
    """A plausible daily round taken a few minutes ago."""
    return {
        "taken_at": timezone.now() - dt.timedelta(minutes=5),
        "temperature_c": 36.7,
        "heart_rate": 76,
        "systolic_bp": 124,
        "diastolic_bp": 78,
        "spo2": 97,
        "pain_nrs": 3,
        "neuro_status": "stable",
        "neuro_notes": "Gait unchanged.",
        "notes": "",
        "plan_for_day": "Physiotherapy twice.",
    }


@pytest.fixture
def upcoming(catalog, site, doctor):
    """A plan whose patient arrives in ten days and leaves five days later."""
    patient = make_patient(site, language="Greek")
    admission = timezone.localdate() + dt.timedelta(days=10)
    return make_plan(patient, doctor, admission=admission, days=6)


def form_time(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")
