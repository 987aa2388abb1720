"""NEDA-3: time to the first evidence of MS disease activity, and its status at 12 and 24 months.

"No evidence of disease activity" (NEDA-3; Havrdova 2009, Giovannoni 2015) is lost at the
first of: a relapse, MRI activity (a new or enlarging T2 lesion or a gadolinium-enhancing
lesion) or a confirmed disability worsening. The worsening is the one the report's CDW
curve counts, found by the same engine call (time_to_event.first_worsening_days), so the
two outcomes can never disagree on what a worsening is.

The time to loss is a Kaplan-Meier curve like every time-to-event outcome
(time_to_event.summarise: lifelines, log-log 95 % CI, withheld below small_cell at risk).
The status at the plan's time points is shown only where the data allow: a patient still
free of activity counts only with an MRI in the period and an EDSS reading in the time
point's window; everyone else due is counted as not evaluable, by reason, never dropped.
docs/clinical/outcome-report.md ("NEDA-3") gives the rules and references.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .inputs import ReportInputs
from .plan import AnalysisPlan, PlanError, TimePoint
from .stats import exact_ci95
from .time_to_event import Observation, Worsenings, summarise

NOT_EVALUABLE = ("no_baseline", "no_mri", "no_edss")
NEVER = np.iinfo(np.int64).max  # no such day


@dataclass(frozen=True, slots=True, eq=False)
class Courses:
    """Every treated patient's NEDA-3 course in columns (inputs order), days as ordinals
    (date.toordinal()); only records after day 0 and on or before the cut-off count.

    At 100,000 patients a course per patient in Python was most of the report's time; the
    columns give the same counts with array operations.
    """

    day0: np.ndarray  # (patients,)
    baseline: np.ndarray  # bool: an EDSS reading in the plan's baseline window
    loss: np.ndarray  # the first relapse, MRI activity or confirmed worsening; NEVER if none
    censor: np.ndarray  # the last assessment, or the end of follow-up if earlier
    first_mri: np.ndarray  # the first MRI scan after day 0; NEVER if none
    edss_patient: np.ndarray  # per EDSS reading after day 0: the patient
    edss_day: np.ndarray  # and its day

    def __len__(self) -> int:
        return len(self.day0)


def neda3_entry(
    name: str,
    definition: dict,
    inputs: ReportInputs,
    plan: AnalysisPlan,
    worsenings: Worsenings | None = None,
) -> dict:
    """The report's time_to_event entry of NEDA-3 loss, with its status at the time points."""
    courses = neda3_courses(inputs, plan, definition["instrument"], worsenings)
    timepoints = [_timepoint(plan, label) for label in definition.get("status_at", ())]
    return {
        **summarise(name, definition, observations(courses), plan),
        "status_at": [status_at(courses, tp, inputs, plan.small_cell) for tp in timepoints],
    }


def neda3_courses(
    inputs: ReportInputs,
    plan: AnalysisPlan,
    instrument: str,
    worsenings: Worsenings | None = None,
) -> Courses:
    """Every treated patient's course, in inputs order (records after the cut-off ignored).

    The confirmed worsenings are the CDW curve's (`worsenings`, found once per report).
    """
    worsenings = worsenings or Worsenings(inputs, plan.baseline_first_day)
    history, worsening = worsenings.of(instrument)
    cutoff = inputs.cutoff.toordinal()
    day0 = inputs.columns.first_day
    count = len(day0)

    def after(patient: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        known = patient >= 0
        keep = known & (day <= cutoff)
        keep[known] &= day[known] > day0[patient[known]]
        return patient[keep], day[keep]

    def first(patient: np.ndarray, day: np.ndarray) -> np.ndarray:
        out = np.full(count, NEVER, np.int64)
        np.minimum.at(out, patient, day)
        return out

    edss_patient, edss_day = after(history.patient, history.day)
    relapses = after(*_ordinals(inputs, [(r.patient_id, r.onset) for r in inputs.relapses]))
    scans = [(s.patient_id, s.scanned_on) for s in inputs.mri_scans]
    scan_patient, scan_day = after(*_ordinals(inputs, scans))
    activity = [(s.patient_id, s.scanned_on) for s in inputs.mri_scans if s.active]
    loss = np.minimum(first(*relapses), first(*after(*_ordinals(inputs, activity))))
    for k, day in worsening.items():
        loss[k] = min(loss[k], day)
    last = day0.copy()
    np.maximum.at(last, edss_patient, edss_day)
    np.maximum.at(last, scan_patient, scan_day)
    ends = [(k, p.end.on.toordinal()) for k, p in enumerate(inputs.patients) if p.end]
    if ends:
        ended, end = (np.array(column, np.int64) for column in zip(*ends, strict=True))
        last[ended] = np.minimum(last[ended], np.maximum(end, day0[ended]))
    baseline = np.zeros(count, bool)
    baseline[history.analysed] = True
    return Courses(
        day0, baseline, loss, last, first(scan_patient, scan_day), edss_patient, edss_day
    )


def _ordinals(inputs: ReportInputs, records: list[tuple]) -> tuple[np.ndarray, np.ndarray]:
    """(patient index, or -1 for no treated patient; ordinal) of (patient id, date) pairs."""
    ids = np.fromiter((pid for pid, _ in records), np.int64, len(records))
    days = np.fromiter((on.toordinal() for _, on in records), np.int64, len(records))
    return inputs.columns.numbers_of(ids), days


def observations(courses: Courses) -> list[Observation | None]:
    """Days to the loss of NEDA-3, or to censoring at the last assessment; None for a
    patient without a baseline EDSS (not analysed)."""
    lost = courses.loss != NEVER
    days = (np.where(lost, courses.loss, courses.censor) - courses.day0).tolist()
    return [
        Observation(d, e) if b else None
        for d, e, b in zip(days, lost.tolist(), courses.baseline.tolist(), strict=True)
    ]


def status_at(courses: Courses, timepoint: TimePoint, inputs, small_cell: int) -> dict:
    """NEDA-3 over day 1 to the end of the time point's window, among those due.

    Due: the window ended on or before the cut-off. Lost: activity in the period. Kept: no
    activity, an MRI in the period and an EDSS reading in the window (the data allow).
    Everyone else due is not evaluable: no baseline EDSS, no MRI, or no EDSS in the window.
    """
    cutoff = inputs.cutoff.toordinal()
    end = courses.day0 + timepoint.last_day
    due = end <= cutoff
    reading = courses.edss_patient
    window_start = courses.day0[reading] + timepoint.first_day
    in_window = (courses.edss_day >= window_start) & (courses.edss_day <= end[reading])
    edss_in_window = np.zeros(len(courses), bool)
    edss_in_window[reading[in_window]] = True
    # the first reason that applies, in _status's order
    no_baseline = due & ~courses.baseline
    lost = due & courses.baseline & (courses.loss <= end)
    undecided = due & courses.baseline & ~lost
    no_mri = undecided & ~(courses.first_mri <= end)
    no_edss = undecided & ~no_mri & ~edss_in_window
    kept = undecided & ~no_mri & ~no_edss
    counts = {
        "due": int(due.sum()),
        "not_due": int((~due).sum()),
        "lost": int(lost.sum()),
        "kept": int(kept.sum()),
        "no_baseline": int(no_baseline.sum()),
        "no_mri": int(no_mri.sum()),
        "no_edss": int(no_edss.sum()),
    }
    k, n = counts["kept"], counts["kept"] + counts["lost"]
    shown = n >= small_cell and n > 0
    return {
        "timepoint": timepoint.name,
        "period_days": [1, timepoint.last_day],
        "due": counts["due"],
        "lost": counts["lost"],
        "not_evaluable": {reason: counts[reason] for reason in NOT_EVALUABLE},
        "not_due": counts["not_due"],
        "k": k,
        "n": n,
        "proportion": k / n if shown else None,
        "ci95": exact_ci95(k, n) if shown else None,
    }


def _timepoint(plan: AnalysisPlan, name: str) -> TimePoint:
    for timepoint in plan.timepoints:
        if timepoint.name == name:
            return timepoint
    raise PlanError(f"NEDA-3 status at {name!r}: the plan has no such time point.")
