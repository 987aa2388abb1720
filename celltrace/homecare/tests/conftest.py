"""A patient discharged on 2 March 2026 (site day) whose plan holds a nasal spray every 3 days
for 5 weeks and fever guidance for the first week."""

import datetime as dt

import pytest
import time_machine

from celltrace.accounts.models import Role, User
from celltrace.catalog.models import CellProduct
from celltrace.plans.models import PlannedHomeCare
from celltrace.stays.actions import discharge_patient
from testkit import PASSWORD
from testkit.journey import make_patient, make_plan, make_stay

DISCHARGED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
FIRST_DOSE = dt.date(2026, 3, 5)


def add_home_care(plan):
    PlannedHomeCare.objects.create(
        plan=plan,
        product=CellProduct.objects.get(code="exo-home"),
        route="nasal",
        dose_per_kg=1.0e9,
        every_days=3,
        weeks=5,
        instructions="One puff in each nostril after breakfast.",
    )
    PlannedHomeCare.objects.create(
        plan=plan,
        medication="Paracetamol 500 mg",
        route="oral",
        every_days=7,
        weeks=1,
        instructions="Check your temperature; take one tablet only if above 38.5 °C.",
    )


def discharge(site, doctor, nurse, *, with_home_care=True, **patient_fields):
    with time_machine.travel(DISCHARGED, tick=False):
        plan = make_plan(
            make_patient(site, **patient_fields), doctor, admission=dt.date(2026, 2, 25)
        )
        if with_home_care:
            add_home_care(plan)
        stay = make_stay(plan, nurse, admitted_at=DISCHARGED - dt.timedelta(days=5))
        return discharge_patient(
            stay,
            doctor,
            password=PASSWORD,
            discharged_at=DISCHARGED,
            missed_doses_reason="Built for a test: only the home care matters here.",
        )


@pytest.fixture
def discharged(catalog, site, doctor, nurse):
    return discharge(site, doctor, nurse)


@pytest.fixture
def patient_user(discharged):
    user = User.objects.create_user(
        username="home-patient", password="x", role=Role.PATIENT, site=discharged.site
    )
    discharged.patient.portal_user = user
    discharged.patient.save()
    return user


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)
