"""Time to event: Kaplan-Meier curves for the condition plan's time-to-event outcomes.

v1 knows one outcome, MS confirmed disability worsening (CDW), and finds it with the same
engine every EDSS screen uses (celltrace.clinical.edss_course: fixed baseline, 12-week
confirmation), so the report and the patient's chart never disagree on what a worsening is.
The curve is lifelines' KaplanMeierFitter; its 95 % CI is the exponential Greenwood
(log(-log)) interval of Kalbfleisch and Prentice, as R's survfit(conf.type="log-log").
A time with fewer than plan.small_cell patients at risk shows its number at risk only.
docs/clinical/outcome-report.md ("Time to event") gives the rules and references.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from lifelines import KaplanMeierFitter

from ..edss_course import EdssPoint, edss_course
from .inputs import Reading, ReportInputs, TreatedPatient
from .plan import AnalysisPlan, PlanError


@dataclass(frozen=True, slots=True)
class Observation:
    """One patient's time from the first administration to the event or to censoring."""

    days: int
    event: bool


def time_to_event_section(inputs: ReportInputs, plan: AnalysisPlan) -> list[dict]:
    """Return one Kaplan-Meier summary per time-to-event outcome of the condition's plan."""
    definitions = plan.content.get("time_to_event", {})
    sections = []
    for name in plan.condition(inputs.condition_code).time_to_event:
        if name not in definitions or name not in OBSERVERS:
            raise PlanError(f"The time-to-event outcome {name!r} has no definition in v1.")
        sections.append(_outcome(name, definitions[name], inputs, plan))
    return sections


@dataclass(frozen=True, slots=True)
class History:
    """One patient's readings of the outcome's instrument (by date, on or before the
    cut-off) and relapse onsets."""

    readings: tuple[Reading, ...]
    relapse_onsets: tuple[date, ...]


def _outcome(name: str, definition: dict, inputs: ReportInputs, plan: AnalysisPlan) -> dict:
    histories = _histories(inputs, definition["instrument"])
    observations = [
        OBSERVERS[name](p, histories.get(p.patient_id, History((), ())), plan)
        for p in inputs.patients
    ]
    analysed = [o for o in observations if o is not None]
    curve = kaplan_meier(analysed, plan.small_cell, definition.get("report_at_days", ()))
    events = sum(o.event for o in analysed)
    return {
        "name": name,
        "label": definition["label"],
        "rule": definition.get("rule", ""),
        "source": definition.get("source", ""),
        "patients": len(analysed),
        "no_baseline": len(observations) - len(analysed),
        "events": events,
        "censored": len(analysed) - events,
        **curve,
    }


def _histories(inputs: ReportInputs, instrument: str) -> dict[int, History]:
    """Each patient's history, gathered in one pass over the records."""
    readings: dict[int, list[Reading]] = defaultdict(list)
    for r in inputs.readings:
        if r.instrument == instrument and r.measured_on <= inputs.cutoff:
            readings[r.patient_id].append(r)
    onsets: dict[int, list[date]] = defaultdict(list)
    for relapse in inputs.relapses:
        onsets[relapse.patient_id].append(relapse.onset)
    return {
        pid: History(tuple(sorted(rows, key=lambda r: r.measured_on)), tuple(onsets[pid]))
        for pid, rows in readings.items()
    }


def confirmed_worsening(
    patient: TreatedPatient, history: History, plan: AnalysisPlan
) -> Observation | None:
    """Days to the first confirmed EDSS worsening after day 0, or censoring at the last reading.

    The engine's fixed baseline is the first reading it is given, so it is given the plan's
    baseline (the last reading from plan.baseline_first_day to day 0) and every later reading
    on or before the cut-off. None when the patient has no baseline reading.
    """
    first, readings = patient.first_administration, history.readings
    baseline = _baseline_index(readings, first, plan.baseline_first_day)
    if baseline is None:
        return None
    course = edss_course(
        (EdssPoint(r.measured_on, r.value) for r in readings[baseline:]), history.relapse_onsets
    )
    worsening = [(e.on - first).days for e in course.events if e.kind == "CDW"]
    after_day_0 = [day for day in worsening if day > 0]
    if after_day_0:
        return Observation(min(after_day_0), True)
    return Observation(max((readings[-1].measured_on - first).days, 0), False)


def _baseline_index(readings: tuple[Reading, ...], first: date, first_day: int) -> int | None:
    """The index of the last reading from `first_day` to day 0, None when there is none."""
    found = None
    for i, reading in enumerate(readings):
        if first_day <= (reading.measured_on - first).days <= 0:
            found = i
    return found


OBSERVERS: dict[str, Callable[..., Observation | None]] = {
    "confirmed_disability_worsening": confirmed_worsening,
}


def kaplan_meier(observations: list[Observation], small_cell: int, report_days) -> dict:
    """The curve, its 95 % CI and numbers at risk; estimates withheld below small_cell at risk."""
    if not observations:
        keys = ("times_days", "survival", "ci95_lower", "ci95_upper", "at_risk")
        return {**{key: [] for key in keys}, "at_days": [_withheld(d, 0) for d in report_days]}
    durations = np.array([o.days for o in observations])
    fitter = KaplanMeierFitter(alpha=0.05).fit(durations, [o.event for o in observations])
    times = fitter.timeline
    survival = fitter.survival_function_.iloc[:, 0].to_numpy()
    bounds = fitter.confidence_interval_survival_function_.to_numpy()
    at_risk = [_at_risk(durations, t) for t in times]
    shown = [n >= small_cell for n in at_risk]
    return {
        "times_days": [int(t) for t in times],
        "survival": [float(s) if ok else None for s, ok in zip(survival, shown, strict=True)],
        "ci95_lower": [float(b[0]) if ok else None for b, ok in zip(bounds, shown, strict=True)],
        "ci95_upper": [float(b[1]) if ok else None for b, ok in zip(bounds, shown, strict=True)],
        "at_risk": at_risk,
        "at_days": [
            _at_day(day, times, survival, bounds, durations, small_cell) for day in report_days
        ],
    }


def _at_risk(durations: np.ndarray, day: float) -> int:
    """Patients still followed and event-free just before `day` (lifelines' 'at_risk')."""
    return int((durations >= day).sum())


def _at_day(day: int, times, survival, bounds, durations, small_cell: int) -> dict:
    """The step function's value at `day`: the estimate at the last time on or before it."""
    at_risk = _at_risk(durations, day)
    if at_risk < small_cell:
        return _withheld(day, at_risk)
    i = int(np.searchsorted(times, day, side="right")) - 1
    return {
        "day": day,
        "survival": float(survival[i]),
        "ci95": [float(bounds[i][0]), float(bounds[i][1])],
        "at_risk": at_risk,
    }


def _withheld(day: int, at_risk: int) -> dict:
    return {"day": day, "survival": None, "ci95": None, "at_risk": at_risk}
