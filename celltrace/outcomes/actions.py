"""Writes of outcomes: record one measurement on a validated instrument."""

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from celltrace.audit import save_by
from celltrace.clinical.outcome_summary import timepoint_problem, value_problem
from celltrace.outcomes.models import Instrument, Measurement, Timepoint
from celltrace.patients.models import Patient
from celltrace.refusal import Refused
from celltrace.stays.models import Administration


def first_treatment_date(patient: Patient) -> dt.date | None:
    first = Administration.objects.filter(stay__patient=patient).aggregate(first=Min("given_at"))
    return timezone.localdate(first["first"]) if first["first"] else None


def _problems(patient, *, instrument, value, timepoint, measured_on, details) -> dict[str, str]:
    errors = {}
    if instrument not in Instrument.values:
        errors["instrument"] = "Choose one of the clinic's instruments."
    elif problem := value_problem(instrument, value):
        errors["value"] = problem
    if timepoint not in Timepoint.values:
        errors["timepoint"] = "Choose baseline, during the stay or follow-up."
    if measured_on > timezone.localdate():
        errors["measured_on"] = "The date is in the future."
    elif timepoint in Timepoint.values and (
        problem := timepoint_problem(timepoint, measured_on, first_treatment_date(patient))
    ):
        errors["timepoint"] = problem
    if details is not None and not isinstance(details, dict):
        errors["details"] = "Details are a set of named values."
    return errors


@transaction.atomic
def record_measurement(
    patient: Patient,
    user,
    *,
    instrument: str,
    value: float,
    timepoint: str,
    measured_on: dt.date,
    details: dict | None = None,
) -> Measurement:
    """Record an outcome value after checking its range, step, date and timepoint."""
    if not user.sees_every_site and user.site_id != patient.site_id:
        raise Refused("This patient is cared for at another site.")
    errors = _problems(
        patient,
        instrument=instrument,
        value=value,
        timepoint=timepoint,
        measured_on=measured_on,
        details=details,
    )
    if errors:
        raise Refused("The measurement was not recorded.", field_errors=errors)
    measurement = Measurement(
        patient=patient,
        instrument=instrument,
        value=value,
        timepoint=timepoint,
        measured_on=measured_on,
        details=details or {},
        recorded_by=user,
    )
    return save_by(measurement, user)
