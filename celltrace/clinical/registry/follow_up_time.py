"""How completely and for how long treated patients were followed up.

Clark's completeness index (Clark, Altman, De Stavola, Lancet 2002;359:1309-10) is the
follow-up time observed over the time that could have been observed by the cut-off:
C = sum(observed) / sum(potential). Median follow-up is estimated by the reverse
Kaplan-Meier method (Schemper & Smith, Control Clin Trials 1996;17:343-6), which, unlike
the median of observed times, is not shortened by patients who died early.
docs/clinical/outcome-report.md ("Follow-up time") gives the decisions and their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from .inputs import DIED, ReportInputs
from .plan import AnalysisPlan


@dataclass(frozen=True, slots=True)
class FollowUpTime:
    """One treated patient's follow-up, in days after the first administration."""

    patient_id: int
    observed: int  # to the last contact
    potential: int  # to the cut-off, or to death
    died: bool


@dataclass(frozen=True, slots=True)
class FollowUpColumns:
    """Every treated patient's follow-up (inputs order), in days after day 0, in columns."""

    patient_id: np.ndarray
    observed: np.ndarray  # to the last contact
    potential: np.ndarray  # to the cut-off, or to death
    died: np.ndarray


def follow_up_section(inputs: ReportInputs, plan: AnalysisPlan) -> dict:
    """Return the report's "follow_up" section (suppressed below plan.small_cell patients)."""
    times = follow_up_columns(inputs)
    patients = len(times.patient_id)
    observed, potential = int(times.observed.sum()), int(times.potential.sum())
    shown = patients >= plan.small_cell and potential > 0
    clarks_c = observed / potential if shown else None
    median, ci95 = reverse_km_median(times) if patients >= plan.small_cell else (None, None)
    return {
        "patients": patients,
        "observed_days": observed,
        "potential_days": potential,
        "clarks_c": clarks_c,
        "flagged": clarks_c is not None and clarks_c < plan.completeness_flag,
        "median_follow_up_days": median,
        "median_follow_up_ci95": ci95,
    }


def follow_up_times(inputs: ReportInputs) -> list[FollowUpTime]:
    """Return each treated patient's observed and potential follow-up time."""
    times = follow_up_columns(inputs)
    columns = (times.patient_id, times.observed, times.potential, times.died)
    return [FollowUpTime(*row) for row in zip(*(c.tolist() for c in columns), strict=True)]


def follow_up_columns(inputs: ReportInputs) -> FollowUpColumns:
    """Each treated patient's observed and potential follow-up time.

    A withdrawn patient could have been followed to the cut-off: the time lost after
    withdrawal counts against completeness, as a loss to follow-up does in Clark's index.
    A contact recorded after death or the cut-off is a data error: observed time never
    exceeds potential time.
    """
    patients, never = inputs.patients, np.iinfo(np.int64).min
    ids = np.array([p.patient_id for p in patients], np.int64)
    start = np.array([p.first_administration.toordinal() for p in patients], np.int64)
    contact = np.array(
        [p.last_contact.toordinal() if p.last_contact else never for p in patients], np.int64
    )
    died = np.array([p.end is not None and p.end.reason == DIED for p in patients], bool)
    end = np.array(
        [p.end.on.toordinal() if dead else 0 for p, dead in zip(patients, died, strict=True)],
        np.int64,
    )
    end = np.where(died, end, inputs.cutoff.toordinal())
    last = np.maximum(np.maximum(start, contact), last_reading_days(inputs, ids, never))
    return FollowUpColumns(ids, np.minimum(last, end) - start, end - start, died)


def last_reading_days(inputs: ReportInputs, ids: np.ndarray, never: int) -> np.ndarray:
    """Each patient's last reading on or before the cut-off (any instrument), as an ordinal;
    `never` for a patient without one."""
    table = inputs.readings
    last = np.full(len(ids), never, np.int64)
    if not len(ids):
        return last
    number = inputs.columns.numbers_of(table.patient_id)
    counted = (number >= 0) & (table.day <= inputs.cutoff.toordinal())
    np.maximum.at(last, number[counted], table.day[counted])
    return last


def reverse_km_median(times: FollowUpColumns) -> tuple[float | None, list[float] | None]:
    """Return the median follow-up by reverse Kaplan-Meier and its 95 % CI.

    The censoring indicator is reversed: a patient alive at the last contact "has the
    event" at that time; a death censors follow-up at the date of death. The interval is
    where lifelines' pointwise (Greenwood, log-log) band crosses one half; a median or a
    bound not reached is null.
    """
    durations = np.where(times.died, times.potential, times.observed).astype(float)
    fitter = KaplanMeierFitter(alpha=0.05).fit(durations, event_observed=~times.died)
    median = _finite(fitter.median_survival_time_)
    bounds = median_survival_times(fitter.confidence_interval_).iloc[0].tolist()
    low, high = (_finite(b) for b in bounds)
    ci95 = [low, high] if median is not None and low is not None and high is not None else None
    return median, ci95


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
