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

from collections import defaultdict
from dataclasses import dataclass

from .inputs import ReportInputs
from .plan import AnalysisPlan, PlanError, TimePoint
from .stats import exact_ci95
from .time_to_event import Observation, first_worsening_days, histories_from_baseline, summarise

NOT_EVALUABLE = ("no_baseline", "no_mri", "no_edss")


@dataclass(frozen=True, slots=True)
class Course:
    """One treated patient's NEDA-3 course, in ordinals (date.toordinal())."""

    day0: int
    baseline: bool  # an EDSS reading in the plan's baseline window
    loss: int | None  # the first relapse, MRI activity or confirmed worsening after day 0
    censor: int  # the last assessment, or the end of follow-up if earlier
    edss_days: tuple[int, ...]  # EDSS readings after day 0
    mri_days: tuple[int, ...]  # MRI scans after day 0


def neda3_entry(name: str, definition: dict, inputs: ReportInputs, plan: AnalysisPlan) -> dict:
    """The report's time_to_event entry of NEDA-3 loss, with its status at the time points."""
    courses = neda3_courses(inputs, plan, definition["instrument"])
    observations = [observation(c) if c.baseline else None for c in courses]
    timepoints = [_timepoint(plan, label) for label in definition.get("status_at", ())]
    return {
        **summarise(name, definition, observations, plan),
        "status_at": [status_at(courses, tp, inputs, plan.small_cell) for tp in timepoints],
    }


def neda3_courses(inputs: ReportInputs, plan: AnalysisPlan, instrument: str) -> list[Course]:
    """Every treated patient's course, in inputs order (records after the cut-off ignored)."""
    history = histories_from_baseline(inputs, instrument, plan.baseline_first_day)
    worsening = first_worsening_days(inputs, history)
    cutoff = inputs.cutoff.toordinal()
    edss_days, relapses, scans, active = (defaultdict(list) for _ in range(4))
    number = {p.patient_id: k for k, p in enumerate(inputs.patients)}
    for k, day in zip(history.patient.tolist(), history.day.tolist(), strict=True):
        edss_days[k].append(day)
    for relapse in inputs.relapses:
        relapses[number.get(relapse.patient_id)].append(relapse.onset.toordinal())
    for scan in inputs.mri_scans:
        k = number.get(scan.patient_id)
        scans[k].append(scan.scanned_on.toordinal())
        if scan.active:
            active[k].append(scan.scanned_on.toordinal())
    analysed = set(history.analysed.tolist())
    courses = []
    for k, patient in enumerate(inputs.patients):
        day0 = patient.first_administration.toordinal()

        def after(days, day0=day0):
            return tuple(sorted(d for d in days if day0 < d <= cutoff))

        readings, mri = after(edss_days[k]), after(scans[k])
        events = [*after(relapses[k]), *after(active[k])]
        if k in worsening:
            events.append(worsening[k])
        last = max((day0, *readings, *mri))
        if patient.end is not None:
            last = min(last, max(patient.end.on.toordinal(), day0))
        courses.append(Course(day0, k in analysed, min(events, default=None), last, readings, mri))
    return courses


def observation(course: Course) -> Observation:
    """Days to the loss of NEDA-3, or to censoring at the last assessment."""
    if course.loss is not None:
        return Observation(course.loss - course.day0, True)
    return Observation(course.censor - course.day0, False)


def status_at(courses: list[Course], timepoint: TimePoint, inputs, small_cell: int) -> dict:
    """NEDA-3 over day 1 to the end of the time point's window, among those due.

    Due: the window ended on or before the cut-off. Lost: activity in the period. Kept: no
    activity, an MRI in the period and an EDSS reading in the window (the data allow).
    Everyone else due is not evaluable: no baseline EDSS, no MRI, or no EDSS in the window.
    """
    cutoff = inputs.cutoff.toordinal()
    counts = dict.fromkeys(("due", "not_due", "lost", "kept", *NOT_EVALUABLE), 0)
    for course in courses:
        end = course.day0 + timepoint.last_day
        if end > cutoff:
            counts["not_due"] += 1
            continue
        counts["due"] += 1
        counts[_status(course, timepoint, end)] += 1
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


def _status(course: Course, timepoint: TimePoint, end: int) -> str:
    if not course.baseline:
        return "no_baseline"
    if course.loss is not None and course.loss <= end:
        return "lost"
    if not any(day <= end for day in course.mri_days):
        return "no_mri"
    window = (course.day0 + timepoint.first_day, end)
    if not any(window[0] <= day <= window[1] for day in course.edss_days):
        return "no_edss"
    return "kept"


def _timepoint(plan: AnalysisPlan, name: str) -> TimePoint:
    for timepoint in plan.timepoints:
        if timepoint.name == name:
            return timepoint
    raise PlanError(f"NEDA-3 status at {name!r}: the plan has no such time point.")
