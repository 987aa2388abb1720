"""Which reading is a patient's baseline and which counts at each time point, and why not.

Day 0 is the first administration. The baseline is the last value from the plan's first
baseline day up to day 0, inclusive. A time point counts the value in its window nearest
its target day (the earlier on a tie). Readings after the cut-off never count. Each treated
patient gets one status per time point, judged at the cut-off (docs/clinical/
outcome-report.md, "Windows and statuses"): assessed, died, withdrawn, not yet due, missed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from celltrace.clinical.registry.inputs import (
    DIED,
    WITHDRAWN,
    Reading,
    ReportInputs,
    TreatedPatient,
)
from celltrace.clinical.registry.plan import AnalysisPlan, TimePoint

ASSESSED = "assessed"
MISSED = "missed"
NOT_YET_DUE = "not_yet_due"
STATUSES = (ASSESSED, MISSED, WITHDRAWN, DIED, NOT_YET_DUE)
DUE = (ASSESSED, MISSED, WITHDRAWN)  # the dead are not due


@dataclass(frozen=True, slots=True)
class Visit:
    """One patient at one time point: the status and each instrument's value in the window."""

    timepoint: TimePoint
    status: str
    readings: dict[str, Reading] = field(default_factory=dict)  # instrument -> reading


@dataclass(frozen=True, slots=True)
class PatientCourse:
    """A treated patient's baselines and one visit per time point of the plan."""

    patient: TreatedPatient
    baselines: dict[str, Reading]  # instrument -> the baseline reading
    visits: tuple[Visit, ...]


def day_of(patient: TreatedPatient, reading: Reading) -> int:
    """Days after the first administration (day 0) on which the reading was taken."""
    return reading.measured_on.toordinal() - patient.first_administration.toordinal()


def readings_by_patient(
    inputs: ReportInputs, instruments: Iterable[str]
) -> dict[int, list[Reading]]:
    """Index the readings of the given instruments up to the cut-off by patient, once."""
    wanted = set(instruments)
    cutoff = inputs.cutoff
    index: dict[int, list[Reading]] = defaultdict(list)
    for reading in inputs.readings:
        if reading.instrument in wanted and reading.measured_on <= cutoff:
            index[reading.patient_id].append(reading)
    return index


def patient_courses(inputs: ReportInputs, plan: AnalysisPlan) -> list[PatientCourse]:
    """Place every treated patient's readings at baseline and time points, with statuses."""
    instruments = plan.condition(inputs.condition_code).outcomes
    index = readings_by_patient(inputs, instruments)
    by_day = timepoints_by_day(plan)
    return [
        patient_course(patient, index.get(patient.patient_id, ()), plan, inputs.cutoff, by_day)
        for patient in inputs.patients
    ]


def patient_course(
    patient: TreatedPatient,
    readings: Iterable[Reading],
    plan: AnalysisPlan,
    cutoff: date,
    by_day: dict[int, TimePoint],
) -> PatientCourse:
    """Choose one patient's baselines and time-point values in one pass over the readings.

    by_day is timepoints_by_day(plan), computed once for all patients.
    """
    day0 = patient.first_administration.toordinal()
    baselines: dict[str, tuple[int, Reading]] = {}
    chosen: dict[str, dict[str, tuple[tuple[int, int], Reading]]] = {
        tp.name: {} for tp in plan.timepoints
    }
    for reading in readings:
        if reading.measured_on > cutoff:
            continue
        day = reading.measured_on.toordinal() - day0
        if plan.baseline_first_day <= day <= 0:
            held = baselines.get(reading.instrument)
            if held is None or day >= held[0]:  # the last value; the later record on a day
                baselines[reading.instrument] = (day, reading)
            continue
        timepoint = by_day.get(day)
        if timepoint is not None:
            rank = (abs(day - timepoint.target_day), day)  # nearest, then the earlier
            held = chosen[timepoint.name].get(reading.instrument)
            if held is None or rank < held[0]:
                chosen[timepoint.name][reading.instrument] = (rank, reading)
    visits = tuple(
        _visit(patient, tp, {code: r for code, (_, r) in chosen[tp.name].items()}, cutoff)
        for tp in plan.timepoints
    )
    return PatientCourse(patient, {code: r for code, (_, r) in baselines.items()}, visits)


def timepoints_by_day(plan: AnalysisPlan) -> dict[int, TimePoint]:
    """Look up the time point of a day in one step (the windows never overlap)."""
    return {day: tp for tp in plan.timepoints for day in range(tp.first_day, tp.last_day + 1)}


def _visit(patient: TreatedPatient, timepoint: TimePoint, readings: dict, cutoff: date) -> Visit:
    return Visit(timepoint, visit_status(patient, timepoint, cutoff, seen=bool(readings)), readings)


def visit_status(patient: TreatedPatient, timepoint: TimePoint, cutoff: date, *, seen: bool) -> str:
    """Say where a patient stands at a time point, judged at the cut-off.

    A value in the window makes the visit assessed, whatever happened later. Without one,
    follow-up that ended (death or withdrawal) before the window's last day explains the
    gap; a window still open at the cut-off is not yet due; anything else was missed.
    """
    if seen:
        return ASSESSED
    last_day = patient.first_administration.toordinal() + timepoint.last_day
    end = patient.end
    if end is not None and end.on <= cutoff and end.on.toordinal() < last_day:
        return DIED if end.reason == DIED else WITHDRAWN
    if last_day > cutoff.toordinal():
        return NOT_YET_DUE
    return MISSED
