"""A patient discharged on 2 March 2026, with their follow-up schedule."""

import datetime as dt

import pytest
import time_machine

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
