"""Patients with a portal account, treated a chosen number of days ago."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.outcomes.tests.reporting import treat


def portal_patient(site, doctor, nurse, technician, *, days_ago=90, condition="ms", name="pat"):
    """A patient given their first dose `days_ago` days ago, who signs in to the portal."""
    patient = treat(
        site,
        doctor,
        nurse,
        technician,
        given_at=timezone.now() - dt.timedelta(days=days_ago),
        condition=condition,
    )
    patient.portal_user = User.objects.create_user(
        username=name, password="x", role=Role.PATIENT, site=site
    )
    patient.save()
    return patient


@pytest.fixture
def patient(catalog, site, doctor, nurse, lab_technician):
    return portal_patient(site, doctor, nurse, lab_technician)
