"""Screening test helpers: a patient with a full, normal set of facts, and a second doctor."""

import datetime as dt

import pytest
from django.utils import timezone

from testkit.journey import make_patient
from testkit.samples import record_normal_facts


@pytest.fixture
def patient(catalog, site):
    return make_patient(site)


@pytest.fixture
def other_patient(catalog, other_site):
    return make_patient(other_site)


@pytest.fixture
def normal_patient(patient, doctor):
    record_normal_facts(patient, doctor)
    return patient


@pytest.fixture
def treatment_date():
    return timezone.localdate() + dt.timedelta(days=5)
