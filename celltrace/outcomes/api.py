"""API endpoints of the outcomes stage: parse input, check access, call actions."""

import datetime as dt
from dataclasses import asdict

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from celltrace.accounts.access import RoleSession
from celltrace.catalog.models import Condition
from celltrace.clinical.isncsci import to_reference_dict
from celltrace.clinical.outcome_summary import MeanCI, Proportion, instrument
from celltrace.outcomes import access, actions, instruments
from celltrace.outcomes.course import patient_edss_course
from celltrace.outcomes.instruments.isncsci.engine import classify_isncsci, motor_score
from celltrace.outcomes.models import Timepoint
from celltrace.outcomes.summary import condition_summary
from celltrace.patients.access import get_patient_for_user

router = Router(tags=["outcomes"])


class MeasurementIn(Schema):
    instrument: str = Field(description="A measure code of GET /api/outcomes/instruments")
    value: float
    timepoint: Timepoint
    measured_on: dt.date
    details: dict | None = None


class MeasurementOut(Schema):
    id: int
    patient_id: int
    instrument: str
    value: float
    category: str
    timepoint: str
    measured_on: dt.date
    details: dict
    recorded_by_id: int


class MeanOut(Schema):
    n: int
    too_small: bool = Field(description="Fewer than two patients: no mean and no interval")
    mean: float | None
    ci_low: float | None
    ci_high: float | None


class InstrumentOut(Schema):
    instrument: str
    label: str
    lower_is_better: bool
    clear_change_threshold: str = Field(
        description="The least change counted as improved or worsened (docs/clinical/outcomes.md)"
    )
    treated: int
    n: int = Field(description="Analysed: a baseline and a later follow-up value")
    no_usable_baseline: int
    follow_up_not_yet_due: int
    lost_to_follow_up: int
    baseline: MeanOut
    latest: MeanOut
    change: MeanOut
    improved: int
    no_clear_change: int
    worsened: int


class StageOut(Schema):
    stage: str
    label: str
    patients: int


class RateOut(Schema):
    events: int
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


class AdverseEventRowOut(Schema):
    kind: str
    label: str
    patients: RateOut = Field(description="Treated patients with at least one such event")
    events: int


class FeverClaimOut(Schema):
    claimed_max: float
    verdict: str = Field(description="supported, contradicted, inconclusive or no_data")


class ConditionSummaryOut(Schema):
    condition: str
    name: str
    stages: list[StageOut]
    treated: int
    instruments: list[InstrumentOut]
    adverse_events: list[AdverseEventRowOut]
    fever: RateOut
    fever_claim: FeverClaimOut


@router.post(
    "/patients/{patient_id}/measurements",
    response={201: MeasurementOut},
    auth=RoleSession(access.RECORD),
)
def record(request, patient_id: int, payload: MeasurementIn):
    patient = get_patient_for_user(request.user, patient_id)
    return Status(201, actions.record_measurement(patient, request.user, **payload.dict()))


class InstrumentAnswersIn(Schema):
    measured_on: dt.date
    data: dict = Field(description="The instrument's form fields by name (see the docs)")


@router.post(
    "/patients/{patient_id}/instruments/{code}",
    response={201: list[MeasurementOut]},
    auth=RoleSession(access.RECORD),
)
def record_instrument(request, patient_id: int, code: str, payload: InstrumentAnswersIn):
    """Score one administration of an instrument and store its values (422 naming the field)."""
    patient = get_patient_for_user(request.user, patient_id)
    stored = actions.record_instrument(
        patient, request.user, code, payload.data, payload.measured_on
    )
    return Status(201, stored)


class McidOut(Schema):
    kind: str = Field(description="absolute, relative, disability_course or none")
    improvement: float | None
    worsening: float | None
    text: str
    source: str


class MeasureOut(Schema):
    code: str
    label: str
    unit: str
    low: float
    high: float
    step: float | None = Field(description="None: any value in the range")
    lower_is_better: bool
    mcid: McidOut | None = Field(description="From the locked analysis plan; None if absent")


class RegisteredInstrumentOut(Schema):
    code: str
    label: str
    reference: str
    fields: list[str] = Field(description="The names the POST's data takes")
    measures: list[MeasureOut]
    conditions: list[str] = Field(description="Conditions whose plan reports its measures")


def _measure(measure, plan) -> dict:
    planned = plan.instruments.get(measure.code)
    return asdict(measure) | {"mcid": asdict(planned.mcid) if planned else None}


@router.get(
    "/instruments",
    response=list[RegisteredInstrumentOut],
    auth=RoleSession(access.READ_MEASUREMENTS),
)
def registry(request):
    """The instruments, their measures and ranges, and each measure's MCID from the plan."""
    plan = instruments.analysis_plan()
    return [
        {
            "code": d.code,
            "label": d.label,
            "reference": d.reference,
            "fields": list(d.form_class().fields),
            "measures": [_measure(m, plan) for m in d.measures],
            "conditions": [
                condition
                for condition in plan.conditions
                if d.code in {i.code for i in instruments.instruments_for_condition(condition)}
            ],
        }
        for d in instruments.instruments()
    ]


@router.get(
    "/patients/{patient_id}/measurements",
    response=list[MeasurementOut],
    auth=RoleSession(access.READ_MEASUREMENTS),
)
def measurements(request, patient_id: int):
    return get_patient_for_user(request.user, patient_id).measurements.all()


def _mean(stat: MeanCI) -> dict:
    return {
        "n": stat.n,
        "too_small": stat.too_small,
        "mean": stat.mean,
        "ci_low": stat.low,
        "ci_high": stat.high,
    }


def _rate(rate: Proportion) -> dict:
    return {
        "events": rate.events,
        "n": rate.n,
        "rate": rate.rate,
        "ci_low": rate.low,
        "ci_high": rate.high,
    }


@router.get(
    "/conditions/{condition_code}",
    response=ConditionSummaryOut,
    auth=RoleSession(access.VIEW_SUMMARY),
)
def condition(request, condition_code: str):
    summary = condition_summary(get_object_or_404(Condition, code=condition_code), request.user)
    return {
        "condition": summary.condition.code,
        "name": summary.condition.name,
        "stages": [
            {"stage": s.code, "label": s.label, "patients": s.patients} for s in summary.stages
        ],
        "treated": summary.treated,
        "instruments": [
            {
                "instrument": row.stats.code,
                "label": row.label,
                "lower_is_better": instrument(row.stats.code).lower_is_better,
                "clear_change_threshold": row.stats.threshold_note,
                "treated": row.stats.treated,
                "n": row.stats.n,
                "no_usable_baseline": row.stats.no_baseline,
                "follow_up_not_yet_due": row.stats.not_yet_due,
                "lost_to_follow_up": row.stats.lost,
                "baseline": _mean(row.stats.baseline),
                "latest": _mean(row.stats.latest),
                "change": _mean(row.stats.change),
                "improved": row.stats.improved,
                "no_clear_change": row.stats.no_clear_change,
                "worsened": row.stats.worsened,
            }
            for row in summary.instruments
        ],
        "adverse_events": [
            {"kind": r.code, "label": r.label, "patients": _rate(r.patients), "events": r.events}
            for r in summary.adverse_events
        ],
        "fever": _rate(summary.fever),
        "fever_claim": {"claimed_max": summary.fever_claim, "verdict": summary.fever_verdict},
    }


class IsncsciIn(Schema):
    exam: dict  # the praxis-isncsci JSON exam form; the engine names any bad field
    timepoint: Timepoint
    measured_on: dt.date


class IsncsciClassifyIn(Schema):
    exam: dict


class IsncsciClassificationOut(Schema):
    classification: dict
    totals: dict
    motor_score: int | None


class IsncsciOut(IsncsciClassificationOut):
    measurement_id: int


@router.post(
    "/isncsci/classify", response=IsncsciClassificationOut, auth=RoleSession(access.RECORD)
)
def isncsci_classify(request, payload: IsncsciClassifyIn):
    """Classify an exam without recording it (422 naming the bad field)."""
    _, result = classify_isncsci(payload.exam)
    return {**to_reference_dict(result), "motor_score": motor_score(result)}


@router.post(
    "/patients/{patient_id}/isncsci", response={201: IsncsciOut}, auth=RoleSession(access.RECORD)
)
def isncsci(request, patient_id: int, payload: IsncsciIn):
    """Classify and record an ISNCSCI exam; its motor score becomes an outcome measurement."""
    patient = get_patient_for_user(request.user, patient_id)
    measurement = actions.record_isncsci_exam(patient, request.user, **payload.dict())
    return Status(
        201,
        {
            "measurement_id": measurement.pk,
            "classification": measurement.details["classification"],
            "totals": measurement.details["totals"],
            "motor_score": int(measurement.value),
        },
    )


class EdssIn(Schema):
    visual: int
    brainstem: int
    pyramidal: int
    cerebellar: int
    sensory: int
    bowel_bladder: int
    cerebral: int
    ambulation: int
    timepoint: Timepoint
    measured_on: dt.date


class EdssOut(Schema):
    measurement_id: int
    edss: float
    functional_step: float
    ambulation_step: float


@router.post(
    "/patients/{patient_id}/edss", response={201: EdssOut}, auth=RoleSession(access.RECORD)
)
def edss(request, patient_id: int, payload: EdssIn):
    """Score a Neurostatus-EDSS sheet (raw visual and bowel/bladder grades) and record it."""
    patient = get_patient_for_user(request.user, patient_id)
    grades = payload.dict(exclude={"timepoint", "measured_on"})
    measurement = actions.record_edss_exam(
        patient,
        request.user,
        grades=grades,
        timepoint=payload.timepoint,
        measured_on=payload.measured_on,
    )
    return Status(
        201,
        {
            "measurement_id": measurement.pk,
            "edss": measurement.value,
            "functional_step": measurement.details["functional_step"],
            "ambulation_step": measurement.details["ambulation_step"],
        },
    )


class EdssPointOut(Schema):
    measured_on: dt.date
    edss: float


class CourseEventOut(Schema):
    kind: str
    cdw_type: str
    label: str
    on: dt.date
    edss: float
    baseline_on: dt.date
    baseline_edss: float
    confirmed_for_days: float


class EdssCourseOut(Schema):
    points: list[EdssPointOut]
    relapses: list[dt.date]
    events: list[CourseEventOut]


@router.get(
    "/patients/{patient_id}/edss-course",
    response=EdssCourseOut,
    auth=RoleSession(access.VIEW_COURSE),
)
def edss_course(request, patient_id: int):
    """The EDSS readings, relapse onsets and confirmed CDW (RAW/PIRA) and CDI events."""
    course = patient_edss_course(get_patient_for_user(request.user, patient_id))
    return {
        "points": course.points,
        "relapses": list(course.relapses),
        "events": [
            {
                "kind": e.kind,
                "cdw_type": e.cdw_type,
                "label": e.label,
                "on": e.on,
                "edss": e.edss,
                "baseline_on": e.baseline_on,
                "baseline_edss": e.baseline_edss,
                "confirmed_for_days": e.confirmed_for_days,
            }
            for e in course.events
        ],
    }


class RelapseIn(Schema):
    onset: dt.date
    note: str = ""


class RelapseOut(Schema):
    id: int
    patient_id: int
    onset: dt.date
    note: str


@router.post(
    "/patients/{patient_id}/relapses",
    response={201: RelapseOut},
    auth=RoleSession(access.RECORD),
)
def relapse(request, patient_id: int, payload: RelapseIn):
    """Record a relapse onset; it types a later confirmed worsening as RAW or PIRA."""
    patient = get_patient_for_user(request.user, patient_id)
    return Status(201, actions.record_relapse(patient, request.user, **payload.dict()))
