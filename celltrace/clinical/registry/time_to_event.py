"""Time to event: Kaplan-Meier curves for the condition plan's time-to-event outcomes.

v1 knows one outcome, MS confirmed disability worsening (CDW), and finds it with the same
engine every EDSS screen uses (celltrace.clinical.edss_course: fixed baseline, 12-week
confirmation), so the report and the patient's chart never disagree on what a worsening is.
The curve is lifelines' KaplanMeierFitter; its 95 % CI is the exponential Greenwood
(log(-log)) interval of Kalbfleisch and Prentice, as R's survfit(conf.type="log-log").
Before the first event the estimate is 1 and that interval degenerates to [1, 1]; there the
curve gives no two-sided interval but the exact one-sided 95 % lower bound of the
proportion free of the event, Clopper-Pearson for 0 events among the n at risk (stats.py,
statsmodels): 0.05^(1/n). A time with fewer than plan.small_cell patients at risk shows its
number at risk only.
docs/clinical/outcome-report.md ("Time to event") gives the rules and references.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from lifelines import KaplanMeierFitter

from ..disability_course import assess_arrays
from ..disability_course.measures import minimum_changes
from ..edss_course import COURSE_OPTIONS
from . import stats
from .inputs import ReportInputs
from .plan import AnalysisPlan, PlanError


@dataclass(frozen=True, slots=True)
class Observation:
    """One patient's time from the first administration to the event or to censoring."""

    days: int
    event: bool


def time_to_event_section(inputs: ReportInputs, plan: AnalysisPlan) -> list[dict]:
    """Return one Kaplan-Meier summary per time-to-event outcome of the condition's plan."""
    from .neda import neda3_entry  # neda.py builds on this module's worsening

    definitions = plan.content.get("time_to_event", {})
    entries = {"ms_neda3_loss": neda3_entry}
    worsenings = Worsenings(inputs, plan.baseline_first_day)  # CDW and NEDA-3 share them
    sections = []
    for name in plan.condition(inputs.condition_code).time_to_event:
        if name not in definitions or (name not in OBSERVERS and name not in entries):
            raise PlanError(f"The time-to-event outcome {name!r} has no definition in v1.")
        entry = entries.get(name, _outcome)
        sections.append(entry(name, definitions[name], inputs, plan, worsenings))
    return sections


def _outcome(
    name: str, definition: dict, inputs: ReportInputs, plan: AnalysisPlan, worsenings
) -> dict:
    observations = OBSERVERS[name](inputs, plan, definition["instrument"], worsenings)
    return summarise(name, definition, observations, plan)


def summarise(
    name: str, definition: dict, observations: list[Observation | None], plan: AnalysisPlan
) -> dict:
    """The entry of one outcome: counts and the curve; None marks a patient not analysed."""
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


@dataclass(frozen=True, slots=True)
class Histories:
    """The analysed patients' readings of one instrument from the baseline on, by date (on
    or before the cut-off), in columns; patient k's are starts[k]:starts[k + 1]."""

    patient: np.ndarray  # index into inputs.patients, per reading
    day: np.ndarray  # ordinal
    value: np.ndarray
    starts: np.ndarray  # per analysed patient, and one past the end
    analysed: np.ndarray  # index into inputs.patients of each analysed patient


def histories_from_baseline(inputs: ReportInputs, instrument: str, first_day: int) -> Histories:
    """Each patient's readings from the baseline on: the baseline is the last reading from
    `first_day` to day 0 (the later record on one day); patients without one are left out."""
    table, patients = inputs.readings, inputs.patients
    day0 = inputs.columns.first_day
    number = inputs.columns.numbers_of(table.patient_id)
    wanted = (number >= 0) & np.isin(table.instrument, table.codes_of({instrument}))
    rows = np.flatnonzero(wanted & (table.day <= inputs.cutoff.toordinal()))
    patient = number[rows]
    order = np.lexsort((rows, table.day[rows], patient))  # by date; a day keeps record order
    rows, patient = rows[order], patient[order]
    relative = table.day[rows] - day0[patient]
    at_baseline = np.flatnonzero((relative >= first_day) & (relative <= 0))
    baseline = np.full(len(patients), len(rows), np.int64)  # the last in the window
    baseline[patient[at_baseline]] = at_baseline
    keep = np.arange(len(rows)) >= baseline[patient]
    rows, patient = rows[keep], patient[keep]
    analysed, starts = np.unique(patient, return_index=True)
    return Histories(
        patient, table.day[rows], table.value[rows], np.append(starts, len(rows)), analysed
    )


class Worsenings:
    """Each instrument's histories from the baseline and first confirmed worsenings, found
    once per report: the CDW curve and NEDA-3 read the same ones (the engine's scan is the
    costliest step of the report at registry scale)."""

    def __init__(self, inputs: ReportInputs, first_day: int) -> None:
        self.inputs, self.first_day = inputs, first_day
        self._found: dict[str, tuple[Histories, dict[int, int]]] = {}

    def of(self, instrument: str) -> tuple[Histories, dict[int, int]]:
        if instrument not in self._found:
            history = histories_from_baseline(self.inputs, instrument, self.first_day)
            self._found[instrument] = (history, first_worsening_days(self.inputs, history))
        return self._found[instrument]


def confirmed_worsening(
    inputs: ReportInputs,
    plan: AnalysisPlan,
    instrument: str,
    worsenings: Worsenings | None = None,
) -> list[Observation | None]:
    """Per treated patient, days to the first confirmed EDSS worsening after day 0, or
    censoring at the last reading; None when the patient has no baseline reading.

    The engine's fixed baseline is the first reading it is given, so it is given the plan's
    baseline (the last reading from plan.baseline_first_day to day 0) and every later reading
    on or before the cut-off. Every patient is assessed in one call of the engine's batch
    path (disability_course.assess_arrays) with the options of edss_course: the engine and
    options of every EDSS screen.
    """
    worsenings = worsenings or Worsenings(inputs, plan.baseline_first_day)
    history, worsening = worsenings.of(instrument)
    observations: list[Observation | None] = [None] * len(inputs.patients)
    day0 = inputs.columns.first_day.tolist()
    last_days = history.day[history.starts[1:] - 1].tolist()
    for k, last in zip(history.analysed.tolist(), last_days, strict=True):
        observations[k] = Observation(max(last - day0[k], 0), False)  # censored, unless
    for k, day in worsening.items():
        observations[k] = Observation(day - day0[k], True)
    return observations


def first_worsening_days(inputs: ReportInputs, history: Histories) -> dict[int, int]:
    """The ordinal of each patient's first confirmed worsening after day 0, by patient index.

    Only the patients who may have one go to the engine (may_worsen): at 100,000 patients
    the engine's per-patient scan is most of the report's time.
    """
    screened = may_worsen(history)
    rows = np.repeat(screened, np.diff(history.starts))
    relapses = inputs.relapses
    ids = np.fromiter((r.patient_id for r in relapses), np.int64, len(relapses))
    number = inputs.columns.numbers_of(ids)
    known = (number >= 0).tolist()
    courses = assess_arrays(
        history.patient[rows], history.day[rows], history.value[rows],
        number[number >= 0].tolist(),
        [r.onset.toordinal() for r, ok in zip(relapses, known, strict=True) if ok],
        outcome="edss", options=COURSE_OPTIONS,
    )  # fmt: skip
    found = {}
    for k, course in zip(history.analysed[screened].tolist(), courses, strict=True):
        day0 = inputs.patients[k].first_administration.toordinal()
        after_day_0 = [int(e.date) for e in course.events if e.event_type == "CDW"]
        after_day_0 = [day for day in after_day_0 if day > day0]
        if after_day_0:
            found[k] = min(after_day_0)
    return found


SCREENED_READINGS = 16  # histories up to this long are screened (a 16 x 16 table each)


def may_worsen(history: Histories) -> np.ndarray:
    """Which analysed patients could have a confirmed worsening at all.

    A confirmed worsening needs a reading at least the engine's minimum change
    (disability_course.measures.minimum_changes) above an earlier reading, its baseline,
    and a later reading that is too (the confirmation; COURSE_OPTIONS imputes no
    unconfirmed worsening at the last visit). Patients without two such later readings
    cannot have one and are censored without the engine's scan. A margin of 1e-9 keeps
    float rounding from excluding one.
    """
    counts = np.diff(history.starts)
    screened = np.ones(len(counts), bool)
    if COURSE_OPTIONS.impute_last_visit:
        return screened
    short = counts <= SCREENED_READINGS  # a longer history always goes to the engine
    group = np.repeat(np.cumsum(short) - 1, counts)
    rows = np.repeat(short, counts)
    position = (
        np.arange(len(history.value)) - history.starts[np.repeat(np.arange(len(counts)), counts)]
    )
    width = int(counts[short].max()) if short.any() else 1
    values = np.full((int(short.sum()), width), np.nan)
    values[group[rows], position[rows]] = history.value[rows]
    reach = values + minimum_changes("edss", values, None)  # NaN stays NaN
    later = np.triu(np.ones((width, width), bool), k=1)  # [baseline, later reading]
    worse = (values[:, None, :] >= reach[:, :, None] - 1e-9) & later
    screened[short] = (worse.sum(axis=2) >= 2).any(axis=1)
    return screened


OBSERVERS: dict[str, Callable[..., list[Observation | None]]] = {
    "confirmed_disability_worsening": confirmed_worsening,
}


def kaplan_meier(observations: list[Observation], small_cell: int, report_days) -> dict:
    """The curve, its 95 % CI and numbers at risk; estimates withheld below small_cell at risk."""
    if not observations:
        keys = ("times_days", "survival", "ci95_lower", "ci95_upper", "ci95_lower_one_sided")
        return {
            **{key: [] for key in keys},
            "at_risk": [],
            "at_days": [_withheld(d, 0) for d in report_days],
        }
    durations = np.array([o.days for o in observations])
    fitter = KaplanMeierFitter(alpha=0.05).fit(durations, [o.event for o in observations])
    times = fitter.timeline
    survival = fitter.survival_function_.iloc[:, 0].to_numpy()
    bounds = fitter.confidence_interval_survival_function_.to_numpy()
    events = [o.days for o in observations if o.event]
    first_event = min(events) if events else np.inf
    ordered = np.sort(durations)  # at risk at t: len - those ending before t
    at_risk = (len(ordered) - np.searchsorted(ordered, times, side="left")).tolist()
    shown = [n >= small_cell for n in at_risk]
    two_sided = [ok and t >= first_event for t, ok in zip(times, shown, strict=True)]
    return {
        "times_days": [int(t) for t in times],
        "survival": [float(s) if ok else None for s, ok in zip(survival, shown, strict=True)],
        "ci95_lower": [
            float(b[0]) if ok else None for b, ok in zip(bounds, two_sided, strict=True)
        ],
        "ci95_upper": [
            float(b[1]) if ok else None for b, ok in zip(bounds, two_sided, strict=True)
        ],
        "ci95_lower_one_sided": [
            _lower_bound_free_of_event(n) if ok and t < first_event else None
            for t, n, ok in zip(times, at_risk, shown, strict=True)
        ],
        "at_risk": at_risk,
        "at_days": [
            _at_day(day, times, survival, bounds, durations, small_cell, first_event)
            for day in report_days
        ],
    }


def _lower_bound_free_of_event(at_risk: int) -> float:
    """Before any event: the exact one-sided 95 % lower bound of the proportion free of it."""
    return 1 - stats.exact_upper95(0, at_risk)


def _no_event_yet(at_risk: int) -> str:
    return (
        "no event yet: exact one-sided 95 % lower bound "
        f"(Clopper-Pearson, 0 events among the {at_risk} at risk)"
    )


def _at_risk(durations: np.ndarray, day: float) -> int:
    """Patients still followed and event-free just before `day` (lifelines' 'at_risk')."""
    return int((durations >= day).sum())


def _at_day(day: int, times, survival, bounds, durations, small_cell: int, first_event) -> dict:
    """The step function's value at `day`: the estimate at the last time on or before it.

    Before the first event (day < first_event) the two-sided interval is [1, 1]: the exact
    one-sided lower bound among those at risk takes its place.
    """
    at_risk = _at_risk(durations, day)
    if at_risk < small_cell:
        return _withheld(day, at_risk)
    i = int(np.searchsorted(times, day, side="right")) - 1
    none_yet = day < first_event
    return {
        "day": day,
        "survival": float(survival[i]),
        "ci95": None if none_yet else [float(bounds[i][0]), float(bounds[i][1])],
        "at_risk": at_risk,
        "ci95_lower_one_sided": _lower_bound_free_of_event(at_risk) if none_yet else None,
        "interval_note": _no_event_yet(at_risk) if none_yet else None,
    }


def _withheld(day: int, at_risk: int) -> dict:
    return {
        "day": day,
        "survival": None,
        "ci95": None,
        "at_risk": at_risk,
        "ci95_lower_one_sided": None,
        "interval_note": None,
    }
