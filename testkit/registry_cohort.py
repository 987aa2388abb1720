"""A generated, seeded cohort of treated patients for the registry report's tests.

Plain records only (celltrace.clinical.registry.inputs), no database: the core's
tests, the independent recomputation, the figures, the web pages and the benchmark can
all build the same cohort from a seed. It holds what makes a report hard: missed visits,
visits outside every window, two values in one window, patients without a baseline,
instruments not measured at a visit, deaths, withdrawals, patients not yet due, and a few
readings after the cut-off that must never count.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from celltrace.clinical.registry.inputs import (
    DIED,
    WITHDRAWN,
    Flow,
    FollowUpEnd,
    Reading,
    ReportInputs,
    TreatedPatient,
)
from celltrace.clinical.registry.plan import AnalysisPlan, load_plan

LATEST_PLAN_FILE = (
    Path(__file__).resolve().parent.parent / "celltrace/outcomes/analysis_plans/v2.json"
)  # the latest shipped plan
CUTOFF = dt.date(2026, 11, 1)
CONDITION_NAMES = {
    "ms": "Multiple sclerosis",
    "sci": "Spinal cord injury",
    "parkinsons": "Parkinson's disease",
    "t2d": "Type 2 diabetes",
    "ckd": "Chronic kidney disease",
    "lyme": "Chronic Lyme disease",
}
# Plausible values of each instrument: (lowest, highest, step).
SCALES = {
    "edss": (0, 9.5, 0.5),
    "t25fw": (4, 60, 0.1),
    "nhpt": (15, 120, 0.1),
    "sdmt": (10, 80, 1),
    "msis29_physical": (0, 100, 1),
    "msis29_psychological": (0, 100, 1),
    "eq5d5l": (-0.2, 1, 0.001),
    "pain": (0, 10, 1),
    "ais": (0, 4, 1),
    "isncsci_motor": (0, 100, 1),
    "scim3": (0, 100, 1),
    "updrs3": (0, 132, 1),
    "pdq39": (0, 100, 0.1),
    "hba1c": (5, 12, 0.1),
    "egfr": (10, 120, 1),
    "uacr": (5, 3000, 1),
}
AIS_GRADES = "ABCDE"
# As the ISNCSCI instrument's Measure declares (outcomes.instruments.isncsci): the AIS grade
# is ordinal, A to E.
ORDINAL_GRADES = {"ais": tuple(AIS_GRADES)}


def latest_plan() -> AnalysisPlan:
    """The analysis plan the clinic publishes as version 1."""
    return load_plan(json.loads(LATEST_PLAN_FILE.read_text(encoding="utf-8")))


def registry_cohort(
    *,
    seed: int = 11,
    patients: int = 60,
    condition: str = "ms",
    cutoff: dt.date = CUTOFF,
    plan: AnalysisPlan | None = None,
) -> ReportInputs:
    """Build a treated cohort of one condition with readings of its plan's outcomes."""
    plan = plan or latest_plan()
    rng = random.Random(seed)
    instruments = plan.condition(condition).outcomes
    treated, readings = [], []
    for patient_id in range(1, patients + 1):
        patient = _treated_patient(rng, patient_id, cutoff)
        treated.append(patient)
        readings.extend(_readings(rng, patient, instruments, plan, cutoff))
    return ReportInputs(
        condition_code=condition,
        condition_name=CONDITION_NAMES.get(condition, condition),
        cutoff=cutoff,
        data_source="Generated test cohort (testkit.registry_cohort)",
        synthetic=True,
        flow=Flow(enquired=patients * 3, screened=patients * 2, eligible=patients + 4),
        patients=tuple(treated),
        readings=tuple(readings),
        ordinal_grades=ORDINAL_GRADES,
    )


def _treated_patient(rng: random.Random, patient_id: int, cutoff: dt.date) -> TreatedPatient:
    first = cutoff - dt.timedelta(days=rng.randint(20, 900))
    followed = (cutoff - first).days
    end = None
    draw = rng.random()
    if draw < 0.16 and followed > 30:
        reason = DIED if draw < 0.08 else WITHDRAWN
        end = FollowUpEnd(first + dt.timedelta(days=rng.randint(10, followed)), reason)
    return TreatedPatient(
        patient_id=patient_id,
        first_administration=first,
        administrations=rng.randint(1, 3),
        product=rng.choice(("MSC-UC", "MSC-AD")),
        route=rng.choice(("iv", "it")),
        site="main",
        sex=rng.choice(("female", "male", "")),
        birth_date=first - dt.timedelta(days=rng.randint(20 * 365, 75 * 365)),
        end=end,
    )


def _readings(rng, patient, instruments, plan, cutoff) -> list[Reading]:
    """Baseline and visits; no visit after follow-up ended, a few after the cut-off."""
    last_day = (cutoff - patient.first_administration).days
    if patient.end is not None:
        last_day = (patient.end.on - patient.first_administration).days
    baseline = {code: _value(rng, code) for code in instruments}
    days = []
    if rng.random() < 0.85:
        days.append((rng.randint(plan.baseline_first_day, 0), True))
    if rng.random() < 0.2:
        days.append((plan.baseline_first_day - rng.randint(1, 60), True))  # too early
    for tp in plan.timepoints:
        if rng.random() < 0.8:
            days.append((rng.randint(tp.first_day - 10, tp.last_day + 10), False))
        if rng.random() < 0.15:
            days.append((rng.randint(tp.first_day, tp.last_day), False))  # a second visit
    readings = []
    for day, at_baseline in days:
        after_cutoff = day > last_day
        if after_cutoff and (patient.end is not None or rng.random() < 0.97):
            continue
        on = patient.first_administration + dt.timedelta(days=day)
        for code in instruments:
            if rng.random() < 0.85:
                value = baseline[code] if at_baseline else _follow_up(rng, code, baseline[code])
                readings.append(_reading(patient.patient_id, code, on, value))
    return readings


def _value(rng: random.Random, code: str) -> float:
    low, high, step = SCALES[code]
    return _on_scale(code, rng.uniform(low, high))


def _follow_up(rng: random.Random, code: str, baseline: float) -> float:
    low, high, _ = SCALES[code]
    return _on_scale(code, baseline + rng.gauss(0, (high - low) / 12))


def _on_scale(code: str, value: float) -> float:
    low, high, step = SCALES[code]
    clipped = min(max(value, low), high)
    return round(round((clipped - low) / step) * step + low, 3)


def _reading(patient_id: int, code: str, on: dt.date, value: float) -> Reading:
    category = AIS_GRADES[int(value)] if code == "ais" else None
    return Reading(patient_id, code, on, value, category)


# Hand-built cases: a patient treated on DAY0 and readings given as days after it.
DAY0 = dt.date(2025, 1, 1)


def treated(
    patient_id: int, *, first: dt.date = DAY0, ended: tuple[int, str] | None = None
) -> TreatedPatient:
    """A treated patient; ended=(day, DIED or WITHDRAWN) ends follow-up on that day."""
    end = None
    if ended is not None:
        end = FollowUpEnd(first + dt.timedelta(days=ended[0]), ended[1])
    return TreatedPatient(patient_id, first, 1, "MSC-UC", "iv", "main", "female", end=end)


def reading(
    patient_id: int, instrument: str, day: int, value: float, *, first: dt.date = DAY0
) -> Reading:
    """A reading taken `day` days after the first administration on `first`."""
    return _reading(patient_id, instrument, first + dt.timedelta(days=day), value)


def cohort_of(
    patients, readings=(), *, condition: str = "ms", cutoff_day: int = 1000
) -> ReportInputs:
    """Report inputs of hand-built patients, cut off `cutoff_day` days after DAY0."""
    return ReportInputs(
        condition_code=condition,
        condition_name=CONDITION_NAMES.get(condition, condition),
        cutoff=DAY0 + dt.timedelta(days=cutoff_day),
        data_source="Hand-built test case",
        synthetic=True,
        flow=Flow(enquired=len(patients), screened=len(patients), eligible=len(patients)),
        patients=tuple(patients),
        readings=tuple(readings),
        ordinal_grades=ORDINAL_GRADES,
    )
