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
from datetime import date

import numpy as np
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from .inputs import DIED, ReportInputs, TreatedPatient
from .plan import AnalysisPlan


@dataclass(frozen=True, slots=True)
class FollowUpTime:
    """One treated patient's follow-up, in days after the first administration."""

    patient_id: int
    observed: int  # to the last contact
    potential: int  # to the cut-off, or to death
    died: bool


def follow_up_section(inputs: ReportInputs, plan: AnalysisPlan) -> dict:
    """Return the report's "follow_up" section (suppressed below plan.small_cell patients)."""
    times = follow_up_times(inputs)
    observed = sum(t.observed for t in times)
    potential = sum(t.potential for t in times)
    shown = len(times) >= plan.small_cell and potential > 0
    clarks_c = observed / potential if shown else None
    median, ci95 = reverse_km_median(times) if len(times) >= plan.small_cell else (None, None)
    return {
        "patients": len(times),
        "observed_days": observed,
        "potential_days": potential,
        "clarks_c": clarks_c,
        "flagged": clarks_c is not None and clarks_c < plan.completeness_flag,
        "median_follow_up_days": median,
        "median_follow_up_ci95": ci95,
    }


def follow_up_times(inputs: ReportInputs) -> list[FollowUpTime]:
    """Return each treated patient's observed and potential follow-up time."""
    last_reading = last_reading_days(inputs)
    return [
        _follow_up_time(patient, last_reading.get(patient.patient_id), inputs.cutoff)
        for patient in inputs.patients
    ]


def last_reading_days(inputs: ReportInputs) -> dict[int, date]:
    """Each patient's last reading on or before the cut-off (any instrument), by patient id."""
    table = inputs.readings
    counted = table.day <= inputs.cutoff.toordinal()
    ids, days = table.patient_id[counted], table.day[counted]
    order = np.lexsort((days, ids))
    last = np.ones(len(order), bool)
    last[:-1] = ids[order][1:] != ids[order][:-1]
    ids, days = ids[order][last].tolist(), days[order][last].tolist()
    return {pid: date.fromordinal(day) for pid, day in zip(ids, days, strict=True)}


def _follow_up_time(patient: TreatedPatient, reading: date | None, cutoff: date) -> FollowUpTime:
    died = patient.end is not None and patient.end.reason == DIED
    # A withdrawn patient could have been followed to the cut-off: the time lost after
    # withdrawal counts against completeness, as a loss to follow-up does in Clark's index.
    end = patient.end.on if died else cutoff
    contacts = [patient.first_administration, patient.last_contact, reading]
    # A contact recorded after death or the cut-off is a data error: observed time never
    # exceeds potential time.
    last = min(max(d for d in contacts if d is not None), end)
    start = patient.first_administration
    return FollowUpTime(patient.patient_id, (last - start).days, (end - start).days, died)


def reverse_km_median(times: list[FollowUpTime]) -> tuple[float | None, list[float] | None]:
    """Return the median follow-up by reverse Kaplan-Meier and its 95 % CI.

    The censoring indicator is reversed: a patient alive at the last contact "has the
    event" at that time; a death censors follow-up at the date of death. The interval is
    where lifelines' pointwise (Greenwood, log-log) band crosses one half; a median or a
    bound not reached is null.
    """
    durations = np.array([t.potential if t.died else t.observed for t in times], float)
    reversed_events = np.array([not t.died for t in times], bool)
    fitter = KaplanMeierFitter(alpha=0.05).fit(durations, event_observed=reversed_events)
    median = _finite(fitter.median_survival_time_)
    bounds = median_survival_times(fitter.confidence_interval_).iloc[0].tolist()
    low, high = (_finite(b) for b in bounds)
    ci95 = [low, high] if median is not None and low is not None and high is not None else None
    return median, ci95


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
