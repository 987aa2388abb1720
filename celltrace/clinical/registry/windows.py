"""Which reading is a patient's baseline and which counts at each time point, and why not.

Day 0 is the first administration. The baseline is the last value from the plan's first
baseline day up to day 0, inclusive (of two on one day, the one recorded later). A time
point counts the value in its window nearest its target day (the earlier on a tie; of two
on one day, the one recorded first). Readings after the cut-off never count. Each treated
patient gets one status per time point, judged at the cut-off (docs/clinical/
outcome-report.md, "Windows and statuses"): assessed, died, withdrawn, not yet due, missed.

Every patient is placed at once, with array operations over the readings' columns, so a
registry of 100,000 patients takes a fraction of a second (docs: "Speed").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

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
NONE = -1  # no reading placed there


@dataclass(frozen=True, slots=True)
class Placement:
    """Every treated patient's baselines, time-point readings and statuses, in columns.

    Patients are in pseudonym order (first administration, then patient id); instruments
    in the plan's order; time points in the plan's order. A reading is named by its index
    in inputs.readings (NONE where there is none).
    """

    patients: tuple[TreatedPatient, ...]  # pseudonym order
    instruments: tuple[str, ...]
    timepoints: tuple[TimePoint, ...]
    first_day: np.ndarray  # (patients,) ordinal of day 0
    baseline: np.ndarray  # (patients, instruments) reading index
    value: np.ndarray  # (patients, instruments, timepoints) reading index
    status: np.ndarray  # (patients, timepoints) index into STATUSES


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


def in_pseudonym_order(inputs: ReportInputs) -> tuple[TreatedPatient, ...]:
    """The treated patients by first administration, then patient id (P001, P002...)."""
    return tuple(inputs.patients[k] for k in inputs.columns.pseudonym_order.tolist())


def place_readings(inputs: ReportInputs, plan: AnalysisPlan) -> Placement:
    """Place every treated patient's readings at baseline and time points, with statuses."""
    patients = in_pseudonym_order(inputs)
    instruments = plan.condition(inputs.condition_code).outcomes
    first_day = inputs.columns.first_day[inputs.columns.pseudonym_order]
    index, patient, instrument, day = _outcome_readings(inputs, patients, instruments, first_day)
    shape = (len(patients), len(instruments))
    baseline = np.full(shape, NONE, np.int64)
    at_baseline = (day >= plan.baseline_first_day) & (day <= 0)
    _keep_last_of_each(baseline, at_baseline, index, patient, instrument, day)
    value = np.full((*shape, len(plan.timepoints)), NONE, np.int64)
    _keep_nearest_of_each(value, plan, index, patient, instrument, day)
    status = visit_statuses(
        patients, first_day, plan, inputs.cutoff, seen=(value != NONE).any(axis=1)
    )
    return Placement(patients, instruments, plan.timepoints, first_day, baseline, value, status)


def _outcome_readings(inputs, patients, instruments, first_day):
    """The readings of outcome instruments up to the cut-off of treated patients: their
    index, patient (pseudonym order), instrument (plan order) and day after day 0."""
    table = inputs.readings
    outcome_of_code = np.full(len(table.instruments) + 1, NONE, np.int64)
    for i, code in enumerate(table.instruments):
        if code in instruments:
            outcome_of_code[i] = instruments.index(code)
    number = inputs.columns.numbers_of(table.patient_id)  # inputs order
    pseudonym = np.empty(len(patients), np.int64)
    pseudonym[inputs.columns.pseudonym_order] = np.arange(len(patients))
    treated = number >= 0
    instrument = outcome_of_code[table.instrument] if len(table) else np.zeros(0, np.int64)
    wanted = treated & (instrument != NONE) & (table.day <= inputs.cutoff.toordinal())
    index = np.flatnonzero(wanted)
    patient = pseudonym[number[index]]
    return index, patient, instrument[index], table.day[index] - first_day[patient]


def _keep_last_of_each(out, where, index, patient, instrument, day) -> None:
    """The last reading of each patient and instrument (the later record on one day)."""
    index, patient, instrument, day = (a[where] for a in (index, patient, instrument, day))
    group = patient * out.shape[1] + instrument
    order = np.argsort(_ranked(group, day), kind="stable")  # a day keeps record order
    group = group[order]
    last = np.ones(len(order), bool)
    last[:-1] = group[1:] != group[:-1]
    out.reshape(-1)[group[last]] = index[order][last]


def _keep_nearest_of_each(out, plan: AnalysisPlan, index, patient, instrument, day) -> None:
    """Per patient, instrument and time point, the reading nearest the target day in the
    window; on a tie the earlier day, then the earlier record."""
    timepoint_of_day = np.full(max((tp.last_day for tp in plan.timepoints), default=0) + 2, NONE)
    for t, tp in enumerate(plan.timepoints):
        timepoint_of_day[tp.first_day : tp.last_day + 1] = t
    timepoint = timepoint_of_day[day.clip(0, len(timepoint_of_day) - 1)]
    inside = timepoint != NONE
    index, patient, instrument, day, t = (
        a[inside] for a in (index, patient, instrument, day, timepoint)
    )
    targets = np.array([tp.target_day for tp in plan.timepoints], np.int64)
    group = (patient * out.shape[1] + instrument) * out.shape[2] + t
    distance = np.abs(day - targets[t])
    order = np.argsort(_ranked(group, _ranked(distance, day)), kind="stable")
    group = group[order]
    first = np.ones(len(order), bool)
    first[1:] = group[1:] != group[:-1]
    out.reshape(-1)[group[first]] = index[order][first]


def _ranked(major: np.ndarray, minor: np.ndarray) -> np.ndarray:
    """One sort key ordering by `major`, then `minor` (both whole numbers)."""
    if not len(minor):
        return major
    low = minor.min()
    return major * (int(minor.max() - low) + 1) + (minor - low)


def visit_statuses(
    patients: tuple[TreatedPatient, ...],
    first: np.ndarray,
    plan: AnalysisPlan,
    cutoff: date,
    *,
    seen: np.ndarray,
) -> np.ndarray:
    """Say where each patient stands at each time point, judged at the cut-off.

    A value in the window makes the visit assessed, whatever happened later. Without one,
    follow-up that ended (death or withdrawal) before the window's last day explains the
    gap; a window still open at the cut-off is not yet due; anything else was missed.
    """
    cut = cutoff.toordinal()
    end_day = np.full(len(patients), np.iinfo(np.int64).max)
    died = np.zeros(len(patients), bool)
    for k, patient in enumerate(patients):
        if patient.end is not None and patient.end.on <= cutoff:
            end_day[k] = patient.end.on.toordinal()
            died[k] = patient.end.reason == DIED
    last_day = first[:, None] + np.array([tp.last_day for tp in plan.timepoints])[None, :]
    before_end = end_day.reshape(-1, 1) < last_day
    status = np.where(last_day > cut, STATUSES.index(NOT_YET_DUE), STATUSES.index(MISSED))
    status = np.where(before_end & ~died[:, None], STATUSES.index(WITHDRAWN), status)
    status = np.where(before_end & died[:, None], STATUSES.index(DIED), status)
    return np.where(seen, STATUSES.index(ASSESSED), status).astype(np.int8)


def patient_courses(inputs: ReportInputs, plan: AnalysisPlan) -> list[PatientCourse]:
    """Each treated patient's course as records (pseudonym order), for reading one by one."""
    placed = place_readings(inputs, plan)
    readings = list(inputs.readings)
    return [
        PatientCourse(
            patient,
            {
                code: readings[placed.baseline[k, i]]
                for i, code in enumerate(placed.instruments)
                if placed.baseline[k, i] != NONE
            },
            tuple(
                Visit(
                    tp,
                    STATUSES[placed.status[k, t]],
                    {
                        code: readings[placed.value[k, i, t]]
                        for i, code in enumerate(placed.instruments)
                        if placed.value[k, i, t] != NONE
                    },
                )
                for t, tp in enumerate(placed.timepoints)
            ),
        )
        for k, patient in enumerate(placed.patients)
    ]
