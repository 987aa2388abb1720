"""Builders for the registry report's tests: treated patients at a chosen day and product."""

import datetime as dt

from celltrace.followup.models import FollowUpItem
from celltrace.outcomes.models import Measurement
from testkit.journey import make_administration, make_lot, make_patient, make_plan, make_stay

FIRST_DOSE = dt.datetime(2026, 1, 10, 9, 0, tzinfo=dt.UTC)


def treat(
    site,
    doctor,
    nurse,
    technician,
    *,
    given_at=FIRST_DOSE,
    product="msc-uc-allo",
    route="intravenous",
    condition="ms",
    **fields,
):
    """A patient given one product at `given_at`, discharged five days later."""
    patient = make_patient(site, condition=condition, **fields)
    plan = make_plan(patient, doctor, product=product, route=route, admission=given_at.date())
    stay = make_stay(plan, nurse, admitted_at=given_at - dt.timedelta(hours=3))
    make_administration(stay, make_lot(plan, technician), nurse, given_at=given_at)
    stay.discharged_at = given_at + dt.timedelta(days=5)
    stay.save()
    return patient  # fmt: skip


def measure(patient, user, instrument, value, *, on, details=None):
    return Measurement.objects.create(
        patient=patient, instrument=instrument, value=value, timepoint="follow_up",
        measured_on=on, details=details or {}, recorded_by=user,
    )  # fmt: skip


def check_up_done(patient, user, *, at):
    return FollowUpItem.objects.create(
        patient=patient, stay=patient.stays.get(), kind=FollowUpItem.Kind.CHECKUP,
        title="Check-up", due_date=at.date(), completed_at=at, completed_by=user,
    )  # fmt: skip
