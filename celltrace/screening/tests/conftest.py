"""Screening test helpers: a patient at the test site and a full set of checklist answers."""

import pytest

from celltrace.screening.models import Contraindication
from celltrace.testing.journey import make_patient


@pytest.fixture
def patient(catalog, site):
    return make_patient(site)


@pytest.fixture
def other_patient(catalog, other_site):
    return make_patient(other_site)


@pytest.fixture
def all_no(catalog):
    """Every active question answered no, without a note."""
    return {c.code: ("no", "") for c in Contraindication.objects.filter(active=True)}
