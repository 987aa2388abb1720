"""A patient discharged on 2 March 2026, with their follow-up schedule."""

import datetime as dt

import pytest
import time_machine

from celltrace.followup.models import FollowUpItem
from celltrace.stays.actions import discharge_patient
from testkit import PASSWORD
from testkit.journey import make_patient, make_plan, make_stay

DISCHARGED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def discharged_patient(site, doctor, nurse):
    with time_machine.travel(DISCHARGED, tick=False):
        plan = make_plan(make_patient(site), doctor, admission=dt.date(2026, 2, 25))
        stay = make_stay(plan, nurse, admitted_at=DISCHARGED - dt.timedelta(days=5))
        return discharge_patient(
            stay,
            doctor,
            password=PASSWORD,
            discharged_at=DISCHARGED,
            missed_doses_reason="Built for a test: only the follow-up matters here.",
        )


@pytest.fixture
def discharged(catalog, site, doctor, nurse):
    return discharged_patient(site, doctor, nurse)


@pytest.fixture
def home_check(discharged):
    """A home check of an adverse event left open at discharge, due a week after it.

    Home care is only what the plan or an open event asks for; this patient's plan holds no
    home care, so the check is written as discharge writes one for an open event.
    """
    return FollowUpItem.objects.create(
        patient=discharged.patient,
        stay=discharged,
        kind=FollowUpItem.Kind.HOME_CARE,
        title="Adverse event open at discharge: Headache: follow until resolved",
        due_date=dt.date(2026, 3, 9),
    )
