import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.care.models import TherapySession
from celltrace.catalog.models import AdverseEventTerm, Therapy
from celltrace.plans.models import PlannedTherapy, QuoteLine
from celltrace.stays.actions import discharge_patient
from celltrace.stays.models import AdverseEvent
from testkit import PASSWORD
from testkit.journey import make_administration, make_lot, make_patient, make_plan, make_stay


def portal_patient(site, username: str, **fields):
    """A patient with a portal login of their own."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=Role.PATIENT, site=site, email=""
    )
    return make_patient(site, portal_user=user, **fields), user


@pytest.fixture
def mine(catalog, site, doctor, nurse):
    """A patient who stayed and went home, with a plan, physiotherapy and a quote in CHF."""
    # She books a German interpreter but reads the portal in English.
    patient, user = portal_patient(site, "olga", language="Deutsch", preferred_language="en")
    today = timezone.localdate()
    plan = make_plan(patient, doctor, admission=today - dt.timedelta(days=3), days=6)
    plan.currency = "CHF"
    plan.save()
    QuoteLine.objects.create(
        plan=plan, description="Treatment", quantity=1, unit_price=Decimal("9000.00"),
        amount=Decimal("9000.00"),
    )  # fmt: skip
    QuoteLine.objects.create(
        plan=plan, description="Stay", quantity=6, unit_price=Decimal("500.00"),
        amount=Decimal("3000.00"),
    )  # fmt: skip
    PlannedTherapy.objects.create(
        plan=plan, therapy=Therapy.objects.get(code="physiotherapy"), sessions=4
    )
    stay = make_stay(plan, nurse, admitted_at=timezone.now() - dt.timedelta(days=3))
    return SimpleNamespace(patient=patient, user=user, plan=plan, stay=stay)


@pytest.fixture
def discharged(mine, doctor, nurse, lab_technician, quality_reviewer):
    """The patient given their dose, with a headache that passed and one physiotherapy session."""
    lot = make_lot(mine.plan, lab_technician, reviewer=quality_reviewer)
    given_at = timezone.now() - dt.timedelta(days=2)
    given = make_administration(mine.stay, lot, nurse, given_at=given_at)
    AdverseEvent.objects.create(
        stay=mine.stay, term=AdverseEventTerm.objects.get(code="headache"), administration=given,
        lot=lot, onset_at=given_at + dt.timedelta(hours=2), ctcae_grade=1, serious=False,
        relatedness="possible", outcome="recovered", resolved_at=given_at + dt.timedelta(hours=5),
        reported_by=nurse,
    )  # fmt: skip
    TherapySession.objects.create(
        stay=mine.stay, planned_therapy=mine.plan.therapies.get(), scheduled_for=given_at,
        status="given", recorded_by=nurse, recorded_at=given_at,
    )  # fmt: skip
    discharge_patient(
        mine.stay, doctor, password=PASSWORD, discharged_at=timezone.now(),
        early_discharge_reason="Flies home.",
    )  # fmt: skip
    mine.stay.refresh_from_db()
    return mine


@pytest.fixture
def stranger(site):
    """Another patient of the same site, with their own login."""
    patient, user = portal_patient(site, "ivan")
    return SimpleNamespace(patient=patient, user=user)
