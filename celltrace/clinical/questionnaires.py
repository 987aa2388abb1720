"""Which questionnaires a patient owes, and when: the analysis plan's windows, per instrument.

A patient answers each self-report instrument of their condition once per time point: at
baseline (the plan's baseline window, up to day 0) and at each follow-up time point of the
plan (e.g. 3 months = days 60-120 after day 0). Day 0 is the first administration, or,
before treatment, the first planned dose. A questionnaire is due while its window is open
and no value of that instrument lies in the window, whoever recorded it (a doctor who
transcribed a paper sheet has answered it too). Follow-up that ended (death, withdrawal)
asks nothing more. The same windows decide what the outcome report counts
(clinical/registry/windows.py), so an answer given when due is an answer the report uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from celltrace.clinical.registry.plan import AnalysisPlan

BASELINE = "baseline"  # the name of the baseline "time point" beside the plan's follow-ups

DUE = "due"
UPCOMING = "upcoming"
DONE = "done"
CLOSED = "closed"  # the window passed without an answer, or follow-up ended first


@dataclass(frozen=True, slots=True)
class Window:
    """The days a time point accepts an answer, both inclusive."""

    timepoint: str  # "baseline" or the plan's name, e.g. "3 months"
    opens: date
    closes: date

    def holds(self, day: date) -> bool:
        return self.opens <= day <= self.closes


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """One instrument at one time point, and where the patient stands with it today."""

    instrument: str
    window: Window
    status: str
    answered_on: date | None = None

    @property
    def timepoint(self) -> str:
        return self.window.timepoint


def windows(plan: AnalysisPlan, day_zero: date) -> tuple[Window, ...]:
    """The baseline window and each follow-up window of the plan, around day 0."""
    baseline = Window(BASELINE, day_zero + timedelta(days=plan.baseline_first_day), day_zero)
    return (
        baseline,
        *(
            Window(
                tp.name,
                day_zero + timedelta(days=tp.first_day),
                day_zero + timedelta(days=tp.last_day),
            )
            for tp in plan.timepoints
        ),
    )


def questionnaires(
    plan: AnalysisPlan,
    *,
    instruments: Iterable[str],
    day_zero: date | None,
    answered: Mapping[str, Iterable[date]],
    today: date,
    treated: bool = True,
    follow_up_end: date | None = None,
) -> list[Questionnaire]:
    """Every questionnaire of the patient, by time point then instrument, with its status.

    `instruments` are the self-report instruments of the patient's condition; `answered`
    gives each instrument's measurement days (any source). Without a day 0 (no plan, no
    treatment) nothing can be placed, so nothing is owed; before treatment (`treated`
    False, day 0 the planned first dose) only the baseline is, as follow-up counts from
    the first dose actually given.
    """
    if day_zero is None:
        return []
    codes = list(dict.fromkeys(instruments))
    found = []
    for window in windows(plan, day_zero)[: None if treated else 1]:
        for code in codes:
            inside = sorted(day for day in answered.get(code, ()) if window.holds(day))
            found.append(_placed(code, window, inside, today, follow_up_end))
    return found


def _placed(code, window: Window, inside, today: date, end: date | None) -> Questionnaire:
    answered = [day for day in inside if day <= today]
    if answered:
        return Questionnaire(code, window, DONE, answered[0])
    if end is not None and end <= min(today, window.closes):
        return Questionnaire(code, window, CLOSED)
    if today < window.opens:
        return Questionnaire(code, window, UPCOMING)
    if today > window.closes:
        return Questionnaire(code, window, CLOSED)
    return Questionnaire(code, window, DUE)


def due_now(found: Iterable[Questionnaire]) -> list[Questionnaire]:
    return [q for q in found if q.status == DUE]


def open_window(found: Iterable[Questionnaire], instrument: str) -> Questionnaire | None:
    """The instrument's questionnaire due today, if any: the only one an answer may fill."""
    return next((q for q in found if q.instrument == instrument and q.status == DUE), None)
