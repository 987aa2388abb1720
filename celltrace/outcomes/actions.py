"""Writes of outcomes: an instrument's values, a measurement, a relapse, a locked plan, a summary.

`record_instrument` is the one way an instrument's form becomes stored values; it stores each
through `record_measurement`, which holds the range and date checks, so a value is judged
the same whichever door it came in by.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor, check_role
from celltrace.accounts.models import Role
from celltrace.audit import save_by
from celltrace.clinical.eligibility.facts import completed_years
from celltrace.clinical.measurement_timing import BASELINE, FOLLOW_UP, timepoint_problem
from celltrace.clinical.registry.patient_summary import patient_summary, quoted_numbers
from celltrace.clinical.registry.plan import PlanError, check_successor, load_plan
from celltrace.outcomes import access, instruments, reports
from celltrace.outcomes.instruments.base import AGE_YEARS, SEX, InstrumentDefinition, Measured
from celltrace.outcomes.models import (
    AnalysisPlan,
    Measurement,
    MriScan,
    PublishedSummary,
    Relapse,
    Source,
    SummaryWithdrawal,
    Timepoint,
)
from celltrace.patients.models import Patient
from celltrace.refusal import NotAllowed, Refused
from celltrace.stays.models import Administration


def first_treatment_date(patient: Patient) -> dt.date | None:
    first = Administration.objects.filter(stay__patient=patient).aggregate(first=Min("given_at"))
    return timezone.localdate(first["first"]) if first["first"] else None


def timepoint_of(patient: Patient, measured_on: dt.date) -> str:
    """Baseline on or before the first treatment, follow-up after it."""
    first = first_treatment_date(patient)
    return FOLLOW_UP if first is not None and measured_on > first else BASELINE


def _value_problems(code: str, value) -> dict[str, str]:
    try:
        measure = instruments.measure(code)
    except KeyError:
        return {"instrument": "Choose one of the clinic's instruments."}
    problem = measure.problem(value)
    return {"value": problem} if problem else {}


def _when_problems(patient, *, timepoint, measured_on) -> dict[str, str]:
    errors = {}
    if timepoint not in Timepoint.values:
        errors["timepoint"] = "Choose baseline, during the stay or follow-up."
    if measured_on > site_time.today(patient.site):
        errors["measured_on"] = "The date is in the future."
    elif measured_on < (opened := timezone.localdate(patient.created_at)):
        errors["measured_on"] = f"The date is before the patient's record was opened ({opened})."
    elif timepoint in Timepoint.values and (
        problem := timepoint_problem(timepoint, measured_on, first_treatment_date(patient))
    ):
        errors["timepoint"] = problem
    return errors


def _check_recorder(patient: Patient, user, what: str, *, source: str = Source.STAFF) -> None:
    """A doctor of the patient's site records; a patient only answers their own questionnaire."""
    if source == Source.PATIENT:
        check_actor(user, {Role.PATIENT}, f"answer {what}", site_id=patient.site_id)
        if patient.portal_user_id != user.pk:
            raise NotAllowed(
                "A patient answers only their own questionnaires.",
                code="not_own_record",
                params={"action": f"answer {what}"},
            )
        return
    check_actor(user, access.RECORD, f"record {what}", site_id=patient.site_id)


def _self_report_problems(definition: InstrumentDefinition, patient, measured_on) -> dict:
    """A patient answers a questionnaire meant for self-report, and only on the day itself."""
    errors = {}
    if not definition.self_report:
        errors["instrument"] = f"The {definition.label} is recorded by the clinic's staff."
    if measured_on != site_time.today(patient.site):
        errors["measured_on"] = "A patient's answers are dated the day they are given."
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
    category: str = "",
    source: str = Source.STAFF,
) -> Measurement:
    """Record one value of a registered measure after checking its range, step, date, timepoint."""
    _check_recorder(patient, user, "a measurement", source=source)
    errors = _value_problems(instrument, value)
    errors |= _when_problems(patient, timepoint=timepoint, measured_on=measured_on)
    if details is not None and not isinstance(details, dict):
        errors["details"] = "Details are a set of named values."
    if errors:
        raise Refused("The measurement was not recorded.", code="invalid", field_errors=errors)
    measurement = Measurement(
        patient=patient,
        instrument=instrument,
        value=value,
        category=category or "",
        timepoint=timepoint,
        measured_on=measured_on,
        details=details or {},
        recorded_by=user,
        source=source,
    )
    return save_by(measurement, user)


def _patient_facts(patient: Patient, facts, measured_on: dt.date) -> dict:
    """The record's facts an instrument asked for, as of the measurement date (None: unknown)."""
    known = {}
    if AGE_YEARS in facts:
        born = patient.date_of_birth
        known[AGE_YEARS] = None if born is None else completed_years(born, measured_on)
    if SEX in facts:
        known[SEX] = patient.sex or None
    return known


def _form_errors(form) -> dict[str, str]:
    return {
        ("data" if field == "__all__" else field): " ".join(messages)
        for field, messages in form.errors.items()
    }


def _scored(definition: InstrumentDefinition, patient, data, measured_on) -> list[Measured]:
    """Parse the data with the instrument's form and score it; Refused names every bad field."""
    if not isinstance(data, dict):
        raise Refused(
            "The answers are not a set of named values.",
            code="invalid",
            field_errors={"data": "Give the answers as named values."},
        )
    form = definition.form_class(data=data)
    if not form.is_valid():
        raise Refused("The answers are not valid.", code="invalid", field_errors=_form_errors(form))
    cleaned = form.cleaned_data | _patient_facts(patient, definition.patient_facts, measured_on)
    measured = definition.score(cleaned)
    errors = {}
    known = {m.code for m in definition.measures}
    for value in measured:
        if value.measure not in known:
            errors[value.measure] = "The instrument scored a measure it does not declare."
        elif problem := definition.measure(value.measure).problem(value.value):
            errors[value.measure] = problem
    if errors:
        raise Refused("A score is out of its range.", code="invalid", field_errors=errors)
    return measured


@transaction.atomic
def record_instrument(
    patient: Patient,
    user,
    instrument_code: str,
    data: dict,
    measured_on: dt.date,
    *,
    timepoint: str | None = None,
    source: str = Source.STAFF,
) -> list[Measurement]:
    """Score one administration of an instrument and store all its values, or none.

    The timepoint follows from the date (baseline up to the first treatment, follow-up
    after it) unless an exam screen gives it. With `source` PATIENT the patient answers one
    of their own self-report questionnaires, today: the scoring is the same as for staff.
    """
    _check_recorder(patient, user, "an outcome instrument", source=source)
    try:
        definition = instruments.instrument(instrument_code)
    except KeyError:
        raise Refused(
            f"There is no instrument {instrument_code!r}.",
            code="unknown_instrument",
            params={"instrument": instrument_code},
            field_errors={"instrument": "Choose one of the clinic's instruments."},
        ) from None
    timepoint = timepoint_of(patient, measured_on) if timepoint is None else timepoint
    errors = _when_problems(patient, timepoint=timepoint, measured_on=measured_on)
    if source == Source.PATIENT:
        errors |= _self_report_problems(definition, patient, measured_on)
    measured: list[Measured] = []
    try:
        measured = _scored(definition, patient, data, measured_on)
    except Refused as refused:
        errors |= refused.field_errors or {"data": refused.message}
    if errors:
        raise Refused(
            f"The {definition.label} was not recorded.", code="invalid", field_errors=errors
        )
    return [
        record_measurement(
            patient,
            user,
            instrument=value.measure,
            value=value.value,
            category=value.category or "",
            timepoint=timepoint,
            measured_on=measured_on,
            details={"instrument": definition.code, **value.details},
            source=source,
        )
        for value in measured
    ]


@transaction.atomic
def record_isncsci_exam(
    patient: Patient, user, *, exam: dict, timepoint: str, measured_on: dt.date
) -> Measurement:
    """Classify an ISNCSCI exam; store its motor score (returned) and its AIS grade."""
    _check_recorder(patient, user, "an ISNCSCI exam")
    stored = record_instrument(
        patient, user, "isncsci", {"exam": exam}, measured_on, timepoint=timepoint
    )
    return next(m for m in stored if m.instrument == "isncsci_motor")


@transaction.atomic
def record_edss_exam(
    patient: Patient, user, *, grades: dict, timepoint: str, measured_on: dt.date
) -> Measurement:
    """Score a Neurostatus-EDSS sheet and record the EDSS step with the grades behind it."""
    _check_recorder(patient, user, "an EDSS exam")
    (stored,) = record_instrument(patient, user, "edss", grades, measured_on, timepoint=timepoint)
    return stored


@transaction.atomic
def record_relapse(
    patient: Patient, user, *, onset: dt.date, confirmed: bool, note: str = ""
) -> Relapse:
    """Record the onset of an MS relapse (it types later worsening as RAW or PIRA)."""
    _check_recorder(patient, user, "a relapse")
    errors = _day_problems(patient, onset, "onset")
    if not errors and Relapse.objects.filter(patient=patient, onset=onset).exists():
        errors["onset"] = "A relapse with this onset is already recorded."
    if not isinstance(confirmed, bool):
        errors["confirmed"] = "Say whether a doctor confirmed the relapse (yes or no)."
    if errors:
        raise Refused("The relapse was not recorded.", code="invalid", field_errors=errors)
    relapse = Relapse(
        patient=patient, onset=onset, confirmed=confirmed, note=note, recorded_by=user
    )
    return save_by(relapse, user)


@transaction.atomic
def record_mri_scan(
    patient: Patient,
    user,
    *,
    scanned_on: dt.date,
    new_t2_lesions: int,
    gd_lesions: int | None = None,
    note: str = "",
) -> MriScan:
    """Record one MRI's lesion counts (new/enlarging T2; Gd-enhancing, None when not done)."""
    _check_recorder(patient, user, "an MRI scan")
    errors = _day_problems(patient, scanned_on, "scanned_on")
    if not errors and MriScan.objects.filter(patient=patient, scanned_on=scanned_on).exists():
        errors["scanned_on"] = "An MRI of this day is already recorded."
    for field, count in (("new_t2_lesions", new_t2_lesions), ("gd_lesions", gd_lesions)):
        if count is None and field == "gd_lesions":
            continue
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 999:
            errors[field] = "Give a whole number of lesions from 0 to 999."
    if errors:
        raise Refused("The MRI scan was not recorded.", code="invalid", field_errors=errors)
    scan = MriScan(
        patient=patient,
        scanned_on=scanned_on,
        new_t2_lesions=new_t2_lesions,
        gd_lesions=gd_lesions,
        note=note,
        recorded_by=user,
    )
    return save_by(scan, user)


def _day_problems(patient: Patient, day: dt.date, field: str) -> dict[str, str]:
    """A clinical event's date: not in the future, not before the patient was born."""
    if not isinstance(day, dt.date):
        return {field: "Give the date."}
    if day > timezone.localdate():
        return {field: "The date is in the future."}
    if patient.date_of_birth and day < patient.date_of_birth:
        return {field: f"The date is before the patient was born ({patient.date_of_birth})."}
    return {}


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
    previous = AnalysisPlan.objects.order_by("-locked_at", "-pk").first()
    if previous is not None:
        try:
            check_successor(load_plan(previous.content), plan)
        except PlanError as error:
            raise Refused(str(error), code="plan_drops_or_changes") from None
    record = AnalysisPlan(
        version=plan.version,
        content=content,
        sha256=plan.sha256,
        locked_at=timezone.now(),
        locked_by=user,
    )
    return save_by(record, user)


@transaction.atomic
def publish_patient_summary(condition, user, *, cutoff: dt.date) -> PublishedSummary:
    """Publish the patient summary of a condition at a cut-off, written from every site's report.

    The report is the one `celltrace report` makes (every site), so the public text does not
    depend on who pressed the button; nothing is published when nobody was treated.
    """
    check_role(user, access.PUBLISH_SUMMARY, "publish a patient summary")
    question = reports.ask(
        condition.code, cutoff=cutoff.isoformat(), product=None, route=None,
        today=timezone.localdate(),
    )  # fmt: skip
    report = reports.make_report(question, None).data
    if not report["flow"]["treated"]:
        raise Refused(
            f"Nobody treated for {condition.name} by {cutoff}: nothing to publish.",
            code="nothing_to_publish",
            params={"condition": condition.code, "cutoff": cutoff},
        )
    try:
        summary = patient_summary(report)
    except ValueError as error:
        raise Refused(str(error), code="forbidden_word") from None
    record = PublishedSummary(
        condition=condition,
        cutoff=question.cutoff,
        plan_version=report["analysis_plan"]["version"],
        plan_sha256=report["analysis_plan"]["sha256"],
        title=summary.title,
        paragraphs=list(summary.paragraphs),
        numbers=quoted_numbers(report),
        synthetic=report["synthetic"],
        published_by=user,
        published_at=timezone.now(),
    )
    return save_by(record, user)


@transaction.atomic
def withdraw_patient_summary(summary: PublishedSummary, user, *, reason: str) -> SummaryWithdrawal:
    """Take a published summary off the public page and the portal, saying why."""
    check_role(user, access.PUBLISH_SUMMARY, "withdraw a patient summary")
    reason = reason.strip()
    if not reason:
        raise Refused(
            "Say why the summary is withdrawn.",
            code="invalid",
            field_errors={"reason": "Say why the summary is withdrawn."},
        )
    if SummaryWithdrawal.objects.filter(summary=summary).exists():
        raise Refused("This summary is already withdrawn.", code="already_withdrawn")
    withdrawal = SummaryWithdrawal(
        summary=summary, reason=reason, withdrawn_by=user, withdrawn_at=timezone.now()
    )
    return save_by(withdrawal, user)
