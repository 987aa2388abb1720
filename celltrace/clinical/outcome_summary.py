"""Per-condition outcome statistics that never claim more than the data shows.

Each instrument knows its range, its step and which direction is better. A patient
counts in the change analysis with a baseline value and a later follow-up value; the
95 % confidence interval of the mean change uses Student's t and is withheld below two
patients. Rates carry a 95 % Wilson score interval, which stays inside 0-100 % and
behaves at 0 events and small denominators.
"""

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

BASELINE = "baseline"
FOLLOW_UP = "follow_up"
Z_975 = 1.959963984540054


@dataclass(frozen=True)
class InstrumentSpec:
    code: str
    low: float
    high: float
    step: float | None
    lower_is_better: bool


_INSTRUMENTS = {
    spec.code: spec
    for spec in (
        InstrumentSpec("edss", 0, 10, 0.5, lower_is_better=True),
        InstrumentSpec("isncsci_motor", 0, 100, 1, lower_is_better=False),
        InstrumentSpec("pain", 0, 10, 1, lower_is_better=True),
        InstrumentSpec("hba1c", 3, 20, 0.1, lower_is_better=True),
        InstrumentSpec("egfr", 0, 200, None, lower_is_better=False),
        InstrumentSpec("updrs3", 0, 132, 1, lower_is_better=True),
    )
}


def instrument(code: str) -> InstrumentSpec:
    """Return an instrument's specification; KeyError for an unknown code."""
    return _INSTRUMENTS[code]


def instrument_range(code: str) -> tuple[float, float, float | None]:
    """Return (low, high, step) of an instrument's values; step None means any value."""
    spec = instrument(code)
    return spec.low, spec.high, spec.step


def value_problem(code: str, value: float) -> str | None:
    """Say why a value cannot be a reading of the instrument, or None if it can."""
    if code not in _INSTRUMENTS:
        return f"Unknown instrument {code}."
    low, high, step = instrument_range(code)
    if not (math.isfinite(value) and low <= value <= high):
        return f"Must be between {low:g} and {high:g}."
    if step is not None:
        steps = (value - low) / step
        if abs(steps - round(steps)) > 1e-6:
            return f"Must be in steps of {step:g}."
    return None


_T_975 = (  # two-sided 95 % quantiles of Student's t for 1-30 degrees of freedom
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
)  # fmt: skip


def t_quantile_975(df: int) -> float:
    """Return the 97.5th percentile of Student's t (exact table, Cornish-Fisher above 30)."""
    if df < 1:
        raise ValueError("t needs at least one degree of freedom")
    if df <= len(_T_975):
        return _T_975[df - 1]
    z = Z_975
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True)
class MeanCI:
    n: int
    mean: float | None
    low: float | None
    high: float | None

    @property
    def too_small(self) -> bool:
        return self.n < 2


def mean_with_ci(values: Sequence[float]) -> MeanCI:
    """Return the mean with its 95 % t interval; no interval below two values."""
    n = len(values)
    if n == 0:
        return MeanCI(0, None, None, None)
    mean = statistics.fmean(values)
    if n < 2:
        return MeanCI(n, mean, None, None)
    half = t_quantile_975(n - 1) * statistics.stdev(values) / math.sqrt(n)
    return MeanCI(n, mean, mean - half, mean + half)


@dataclass(frozen=True)
class Proportion:
    events: int
    n: int
    rate: float | None
    low: float | None
    high: float | None


def wilson_interval(events: int, n: int) -> Proportion:
    """Return events/n with its 95 % Wilson score interval (all None when n is 0)."""
    if not 0 <= events <= n:
        raise ValueError("events must be between 0 and n")
    if n == 0:
        return Proportion(events, 0, None, None, None)
    p = events / n
    z2 = Z_975**2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z_975 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Proportion(events, n, p, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Observation:
    patient_id: int
    timepoint: str
    measured_on: date
    value: float


@dataclass(frozen=True)
class Pair:
    patient_id: int
    baseline: float
    latest: float


def baseline_and_latest(observations: Iterable[Observation]) -> list[Pair]:
    """Pair each patient's last baseline with their last follow-up value measured after it."""
    by_patient: dict[int, list[Observation]] = {}
    for obs in observations:
        by_patient.setdefault(obs.patient_id, []).append(obs)
    pairs = []
    for patient_id, rows in sorted(by_patient.items()):
        rows.sort(key=lambda o: o.measured_on)
        baselines = [o for o in rows if o.timepoint == BASELINE]
        if not baselines:
            continue
        base = baselines[-1]
        later = [o for o in rows if o.timepoint == FOLLOW_UP and o.measured_on > base.measured_on]
        if later:
            pairs.append(Pair(patient_id, base.value, later[-1].value))
    return pairs


@dataclass(frozen=True)
class InstrumentSummary:
    code: str
    treated: int
    without_follow_up: int
    baseline: MeanCI
    latest: MeanCI
    change: MeanCI
    improved: int
    unchanged: int
    worsened: int

    @property
    def n(self) -> int:
        return self.change.n


def summarize_instrument(
    code: str, observations: Sequence[Observation], *, treated_ids: set[int]
) -> InstrumentSummary:
    """Summarize treated patients' change on one instrument, counting those lost to follow-up."""
    treated_obs = [o for o in observations if o.patient_id in treated_ids]
    followed = {o.patient_id for o in treated_obs if o.timepoint == FOLLOW_UP}
    pairs = baseline_and_latest(treated_obs)
    changes = [p.latest - p.baseline for p in pairs]
    sign = -1 if instrument(code).lower_is_better else 1
    tolerance = 1e-9
    return InstrumentSummary(
        code=code,
        treated=len(treated_ids),
        without_follow_up=len(treated_ids - followed),
        baseline=mean_with_ci([p.baseline for p in pairs]),
        latest=mean_with_ci([p.latest for p in pairs]),
        change=mean_with_ci(changes),
        improved=sum(1 for c in changes if sign * c > tolerance),
        unchanged=sum(1 for c in changes if abs(c) <= tolerance),
        worsened=sum(1 for c in changes if sign * c < -tolerance),
    )


def timepoint_problem(
    timepoint: str, measured_on: date, first_treatment: date | None
) -> str | None:
    """Keep baselines before treatment and follow-up after it, or a change means nothing."""
    if timepoint == BASELINE and first_treatment and measured_on > first_treatment:
        return f"A baseline must be measured on or before the first treatment ({first_treatment})."
    if timepoint == FOLLOW_UP:
        if first_treatment is None:
            return "The patient has not been treated yet: record a baseline instead."
        if measured_on <= first_treatment:
            return (
                f"A follow-up value must be measured after the first treatment ({first_treatment})."
            )
    return None
