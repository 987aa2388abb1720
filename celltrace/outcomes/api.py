"""API endpoints of the outcomes stage: parse input, check access, call actions."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status

from celltrace.accounts.access import get_patient_for_user, require_role
from celltrace.catalog.models import Condition
from celltrace.clinical.outcome_summary import MeanCI, Proportion, instrument
from celltrace.outcomes import actions, roles
from celltrace.outcomes.models import Instrument, Timepoint
from celltrace.outcomes.summary import condition_summary

router = Router(tags=["outcomes"])


class MeasurementIn(Schema):
    instrument: Instrument
    value: float
    timepoint: Timepoint
    measured_on: dt.date
    details: dict | None = None


class MeasurementOut(Schema):
    id: int
    patient_id: int
    instrument: str
    value: float
    timepoint: str
    measured_on: dt.date
    details: dict
    recorded_by_id: int


class MeanOut(Schema):
    n: int
    mean: float | None
    ci_low: float | None
    ci_high: float | None


class InstrumentOut(Schema):
    instrument: str
    label: str
    lower_is_better: bool
    treated: int
    n: int
    without_follow_up: int
    baseline: MeanOut
    latest: MeanOut
    change: MeanOut
    improved: int
    unchanged: int
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


class ConditionSummaryOut(Schema):
    condition: str
    name: str
    stages: list[StageOut]
    treated: int
    instruments: list[InstrumentOut]
    events_by_grade: dict[int, int]
    serious_events: int
    fever: RateOut


@router.post("/patients/{patient_id}/measurements", response={201: MeasurementOut})
def record(request, patient_id: int, payload: MeasurementIn):
    require_role(request.user, roles.RECORD)
    patient = get_patient_for_user(request.user, patient_id)
    return Status(201, actions.record_measurement(patient, request.user, **payload.dict()))


@router.get("/patients/{patient_id}/measurements", response=list[MeasurementOut])
def measurements(request, patient_id: int):
    require_role(request.user, roles.READ_MEASUREMENTS)
    return get_patient_for_user(request.user, patient_id).measurements.all()


def _mean(stat: MeanCI) -> dict:
    return {"n": stat.n, "mean": stat.mean, "ci_low": stat.low, "ci_high": stat.high}


def _rate(rate: Proportion) -> dict:
    return {
        "events": rate.events,
        "n": rate.n,
        "rate": rate.rate,
        "ci_low": rate.low,
        "ci_high": rate.high,
    }


@router.get("/conditions/{condition_code}", response=ConditionSummaryOut)
def condition(request, condition_code: str):
    require_role(request.user, roles.VIEW_SUMMARY)
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
                "treated": row.stats.treated,
                "n": row.stats.n,
                "without_follow_up": row.stats.without_follow_up,
                "baseline": _mean(row.stats.baseline),
                "latest": _mean(row.stats.latest),
                "change": _mean(row.stats.change),
                "improved": row.stats.improved,
                "unchanged": row.stats.unchanged,
                "worsened": row.stats.worsened,
            }
            for row in summary.instruments
        ],
        "events_by_grade": summary.events_by_grade,
        "serious_events": summary.serious_events,
        "fever": _rate(summary.fever),
    }
