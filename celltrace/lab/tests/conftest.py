"""Shared records for the lab tests: plans to make lots for, and lots at each stage."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.lab.actions import create_donor_lot, start_autologous_lot
from celltrace.lab.tests.helpers import make_donor, product
from testkit.journey import make_patient, make_plan


@pytest.fixture
def autologous_plan(site, doctor, catalog):
    return make_plan(make_patient(site), doctor, product="msc-bm-auto")


@pytest.fixture
def donor_plan(site, doctor, catalog):
    return make_plan(make_patient(site), doctor, product="msc-uc-allo")


@pytest.fixture
def autologous_lot(autologous_plan, lab_technician):
    return start_autologous_lot(
        autologous_plan,
        lab_technician,
        product=product("msc-bm-auto"),
        harvested_at=timezone.now() - dt.timedelta(hours=3),
    )


@pytest.fixture
def eligible_donor(site, lab_technician, doctor, catalog):
    return make_donor(site, lab_technician, code="UC-0042", determiner=doctor)


@pytest.fixture
def donor_lot(site, lab_technician, eligible_donor):
    return create_donor_lot(
        site,
        lab_technician,
        product=product("msc-uc-allo"),
        donor_code="UC-0042",
        made_at=timezone.now() - dt.timedelta(hours=3),
    )
