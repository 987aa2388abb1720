"""Shared records for the plans tests: an eligible patient and a valid plan's input."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.catalog.models import CellProduct, Therapy
from testkit.journey import make_patient, make_screening


@pytest.fixture
def eligible_patient(site, doctor, catalog):
    patient = make_patient(site)
    make_screening(patient, doctor, decision="eligible")
    return patient


@pytest.fixture
def admission():
    return timezone.localdate() + dt.timedelta(days=14)


@pytest.fixture
def plan_input(catalog, admission):
    """The values of a valid six-day plan (build the request with `plan_request`)."""
    return {
        "weight_kg": 72.0,
        "admission_date": admission,
        "discharge_date": admission + dt.timedelta(days=5),
        "products": [
            {
                "product": CellProduct.objects.get(code="msc-uc-allo"),
                "route": "intravenous",
                "dose_per_kg": 1.5e6,
                "day_of_stay": 2,
            }
        ],
        "therapies": [{"therapy": Therapy.objects.get(code="physiotherapy"), "sessions": 5}],
        "notes": "Start slowly.",
    }
