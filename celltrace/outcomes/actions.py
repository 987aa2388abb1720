"""Writes of outcomes: record one measurement on a validated instrument; lock a plan."""

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from celltrace.accounts.access import check_actor, check_role
from celltrace.audit import save_by
from celltrace.clinical.isncsci import to_reference_dict
from celltrace.clinical.outcome_summary import timepoint_problem, value_problem
from celltrace.clinical.registry.plan import PlanError, load_plan
from celltrace.outcomes import access
from celltrace.outcomes.instruments import (
    EDSS_FIELDS,
    EDSS_SCALE,
    ISNCSCI_STANDARD,
    classify_isncsci,
    motor_score,
    score_sheet,
)
from celltrace.outcomes.models import AnalysisPlan, Instrument, Measurement, Relapse, Timepoint
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
    errors |= _when_problems(patient, timepoint=timepoint, measured_on=measured_on)
    if details is not None and not isinstance(details, dict):
        errors["details"] = "Details are a set of named values."
    return errors


def _when_problems(patient, *, timepoint, measured_on) -> dict[str, str]:
    errors = {}
    if timepoint not in Timepoint.values:
        errors["timepoint"] = "Choose baseline, during the stay or follow-up."
    if measured_on > timezone.localdate():
        errors["measured_on"] = "The date is in the future."
    elif timepoint in Timepoint.values and (
        problem := timepoint_problem(timepoint, measured_on, first_treatment_date(patient))
    ):
        errors["timepoint"] = problem
    return errors


def _check_recorder(patient: Patient, user, what: str) -> None:
    check_actor(user, access.RECORD, f"record {what}", site_id=patient.site_id)


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
    _check_recorder(patient, user, "a measurement")
    errors = _problems(
        patient,
        instrument=instrument,
        value=value,
        timepoint=timepoint,
        measured_on=measured_on,
        details=details,
    )
    if errors:
        raise Refused("The measurement was not recorded.", code="invalid", field_errors=errors)
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


# A motor score left ND by untested or starred key muscles has no number to store: storing
# 0 or a partial sum would enter the outcome statistics as a real (and wrong) score.
MOTOR_NOT_DETERMINABLE = (
    "The motor score is not determinable (ND): a key muscle is not tested (NT, NT* or NT**). "
    "Test every key muscle to record the exam; the classification is shown above."
)


@transaction.atomic
def record_isncsci_exam(
    patient: Patient, user, *, exam: dict, timepoint: str, measured_on: dt.date
) -> Measurement:
    """Classify an ISNCSCI exam and record its motor score with the exam and classification."""
    _check_recorder(patient, user, "an ISNCSCI exam")
    errors = _when_problems(patient, timepoint=timepoint, measured_on=measured_on)
    result = score = None
    try:
        parsed, result = classify_isncsci(exam)
    except Refused as refused:
        errors |= refused.field_errors
    else:
        score = motor_score(result)
        if score is None:
            errors["motor_score"] = MOTOR_NOT_DETERMINABLE
    if errors:
        raise Refused("The exam was not recorded.", code="invalid", field_errors=errors)
    details = {
        "standard": ISNCSCI_STANDARD,
        "exam": parsed.to_dict(),
        **to_reference_dict(result),
    }
    return record_measurement(
        patient,
        user,
        instrument=Instrument.ISNCSCI_MOTOR,
        value=float(score),
        timepoint=timepoint,
        measured_on=measured_on,
        details=details,
    )


@transaction.atomic
def record_edss_exam(
    patient: Patient, user, *, grades: dict, timepoint: str, measured_on: dt.date
) -> Measurement:
    """Score a Neurostatus-EDSS sheet and record the EDSS step with the grades behind it."""
    _check_recorder(patient, user, "an EDSS exam")
    errors = _when_problems(patient, timepoint=timepoint, measured_on=measured_on)
    try:
        systems, score = score_sheet(grades)
    except Refused as refused:
        errors |= refused.field_errors
    if errors:
        raise Refused("The EDSS was not recorded.", code="invalid", field_errors=errors)
    details = {
        "scale": EDSS_SCALE,
        "functional_systems": {name: getattr(systems, name) for name in EDSS_FIELDS},
        "converted_grades": list(systems.converted_grades()),
        "functional_step": score.functional_step,
        "ambulation_step": score.ambulation_step,
    }
    return record_measurement(
        patient,
        user,
        instrument=Instrument.EDSS,
        value=score.edss,
        timepoint=timepoint,
        measured_on=measured_on,
        details=details,
    )


@transaction.atomic
def record_relapse(patient: Patient, user, *, onset: dt.date, note: str = "") -> Relapse:
    """Record the onset of an MS relapse (it types later worsening as RAW or PIRA)."""
    _check_recorder(patient, user, "a relapse")
    errors = {}
    if onset > timezone.localdate():
        errors["onset"] = "The onset is in the future."
    elif Relapse.objects.filter(patient=patient, onset=onset).exists():
        errors["onset"] = "A relapse with this onset is already recorded."
    if errors:
        raise Refused("The relapse was not recorded.", code="invalid", field_errors=errors)
    return save_by(Relapse(patient=patient, onset=onset, note=note, recorded_by=user), user)


@transaction.atomic
def publish_analysis_plan(content: dict, user) -> AnalysisPlan:
    """Lock a new version of the report's analysis plan; a published one is never changed."""
    check_role(user, access.PUBLISH_PLAN, "publish an analysis plan")
    try:
        plan = load_plan(content)
    except PlanError as error:
        raise Refused(str(error), code="invalid_plan") from None
    if AnalysisPlan.objects.filter(version=plan.version).exists():
        raise Refused(
            f"Analysis plan {plan.version} is already locked: give the new plan a new version.",
            code="version_taken",
            params={"version": plan.version},
        )
    record = AnalysisPlan(
        version=plan.version,
        content=content,
        sha256=plan.sha256,
        locked_at=timezone.now(),
        locked_by=user,
    )
    return save_by(record, user)
