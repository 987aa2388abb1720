"""API endpoints of the outcomes stage: parse input, check access, call actions."""

import datetime as dt
from dataclasses import asdict
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from celltrace.accounts import site_time
from celltrace.accounts.access import RoleSession
from celltrace.clinical.isncsci import to_reference_dict
from celltrace.outcomes import access, actions, instruments, reports
from celltrace.outcomes.course import patient_edss_course
from celltrace.outcomes.instruments.isncsci.engine import classify_isncsci, motor_score
from celltrace.outcomes.models import Timepoint
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


class PreparingOut(Schema):
    status: Literal["preparing"]


class FailedOut(Schema):
    status: Literal["failed"]
    detail: str


@router.get(
    "/reports/{condition_code}",
    response={200: None, 202: PreparingOut, 500: FailedOut},
    auth=RoleSession(access.VIEW_SUMMARY),
    openapi_extra={
        "responses": {
            "200": {"description": "The report file (JSON, CSV or PDF), from its snapshot"},
            "202": {
                "description": "The first report of this question is being prepared: ask "
                "again after Retry-After seconds",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            },
        }
    },
)
def report(
    request,
    condition_code: str,
    cutoff: str | None = None,
    product: str | None = None,
    route: str | None = None,
    fmt: Literal["json", "csv", "pdf"] = Query("json", alias="format"),
):
    """The registry report (docs/clinical/outcome-report.md) as JSON, CSV or PDF.

    The same question, refusals and numbers as the page /outcomes/{condition}/: 422 for a
    bad cut-off, product or route, 404 for an unknown condition. Served from the report's
    snapshot: 202 `{"status": "preparing"}` with Retry-After while the first one is
    computed; a snapshot older than the records is served with `X-Report-Status: stale`
    and its `Last-Modified` time while a newer one is prepared.
    """
    today, _site = site_time.user_today(request.user)
    question = reports.ask(condition_code, cutoff=cutoff, product=product, route=route, today=today)
    result = reports.served(question, request.user, fmt)
    if result.preparing:
        if result.failed:
            return Status(500, {"status": "failed", "detail": result.snapshot.error})
        return reports.preparing_json()
    return reports.snapshot_file(result, fmt)


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
    confirmed: bool = Field(description="Examined and confirmed by a doctor (false: reported)")
    note: str = ""


class RelapseOut(Schema):
    id: int
    patient_id: int
    onset: dt.date
    confirmed: bool | None
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


class MriScanIn(Schema):
    scanned_on: dt.date
    new_t2_lesions: int = Field(description="New or enlarging T2 lesions against the last scan")
    gd_lesions: int | None = Field(None, description="Gd-enhancing lesions; null: not done")
    note: str = ""


class MriScanOut(Schema):
    id: int
    patient_id: int
    scanned_on: dt.date
    new_t2_lesions: int
    gd_lesions: int | None
    active: bool
    note: str


@router.post(
    "/patients/{patient_id}/mri-scans",
    response={201: MriScanOut},
    auth=RoleSession(access.RECORD),
)
def mri_scan(request, patient_id: int, payload: MriScanIn):
    """Record an MS patient's MRI lesion counts (MRI activity ends NEDA-3)."""
    patient = get_patient_for_user(request.user, patient_id)
    return Status(201, actions.record_mri_scan(patient, request.user, **payload.dict()))
