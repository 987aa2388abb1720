"""Per-condition outcome statistics that never claim more than the data shows.

Each instrument knows its range, its step, which direction is better and the smallest
change that means something clinically (docs/clinical/outcomes.md cites each threshold).
Every treated patient falls in exactly one group per instrument: analysed (a baseline and
a later follow-up value), no usable baseline, follow-up not yet due, or lost to follow-up.
The mean and its 95 % Student's t interval are withheld below two patients. Rates carry a
95 % Wilson score interval, which stays inside 0-100 % and behaves at 0 events and small
denominators.
"""

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from celltrace.clinical.disability_course.measures import minimum_change

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
    # The least change (in the instrument's units) that counts as a clear improvement or
    # worsening, given the baseline value. Sources: docs/clinical/outcomes.md.
    clear_change: Callable[[float], tuple[float, float]]
    threshold_note: str


def _edss_threshold(baseline: float) -> tuple[float, float]:
    """Use the disability-course engine's minimum change, so EDSS worsening means one thing.

    Lorscheider 2016 as pymsprog computes it: 1.5 from EDSS 0, 1.0 from 0.5-5.0, 0.5 above
    5.0 (the registry report and the disability course use the same function).
    """
    step = minimum_change("edss", baseline, None)
    return step, step


def _fixed(improvement: float, worsening: float | None = None):
    pair = (improvement, improvement if worsening is None else worsening)
    return lambda baseline: pair


_INSTRUMENTS = {
    spec.code: spec
    for spec in (
        InstrumentSpec(
            "edss", 0, 10, 0.5, True, _edss_threshold,
            "1.5 from baseline 0, 1.0 from 0.5-5.0, 0.5 above 5.0 (single visit, not confirmed)",
        ),
        InstrumentSpec(
            "isncsci_motor", 0, 100, 1, False, _fixed(5),
            "5 points (provisional: no established anchor-based MCID)",
        ),
        InstrumentSpec("pain", 0, 10, 1, True, _fixed(2), "2 points"),
        InstrumentSpec("hba1c", 3, 20, 0.1, True, _fixed(0.5), "0.5 percentage points"),
        InstrumentSpec("egfr", 0, 200, None, False, _fixed(5), "5 mL/min/1.73 m2"),
        InstrumentSpec(
            "updrs3", 0, 132, 1, True, _fixed(3.25, 4.63),
            "3.25 points better, 4.63 points worse",
        ),
    )
}  # fmt: skip


# The instruments this summary knows; their values are judged on entry by the instrument
# registry (celltrace/outcomes/instruments/), not here.
SUMMARISED_INSTRUMENTS = frozenset(_INSTRUMENTS)


def instrument(code: str) -> InstrumentSpec:
    """Return an instrument's specification; KeyError for an unknown code."""
    return _INSTRUMENTS[code]


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
    """Return the mean with its 95 % t interval; neither below two values."""
    n = len(values)
    if n < 2:
        return MeanCI(n, None, None, None)
    mean = statistics.fmean(values)
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


ANALYSED = "analysed"
NO_BASELINE = "no_baseline"
NOT_YET_DUE = "not_yet_due"
LOST = "lost"
FOLLOW_UP_STATUSES = (ANALYSED, NO_BASELINE, NOT_YET_DUE, LOST)


def follow_up_status(rows: Sequence[Observation], *, paired: bool, checkup_due: bool) -> str:
    """Place one treated patient in exactly one group for one instrument.

    Analysed: a baseline and a later follow-up value. No usable baseline: a follow-up value
    with no baseline before it, or no baseline at all. Otherwise the patient has a baseline
    and no follow-up value: lost to follow-up once a check-up was due, else not yet due.
    """
    if paired:
        return ANALYSED
    has_follow_up = any(o.timepoint == FOLLOW_UP for o in rows)
    has_baseline = any(o.timepoint == BASELINE for o in rows)
    if has_follow_up or not has_baseline:
        return NO_BASELINE
    return LOST if checkup_due else NOT_YET_DUE


def classify_change(code: str, baseline: float, latest: float) -> int:
    """Return +1 for a clear improvement, -1 for a clear worsening, 0 for no clear change."""
    spec = instrument(code)
    better, worse = spec.clear_change(baseline)
    gain = (baseline - latest) if spec.lower_is_better else (latest - baseline)
    tolerance = 1e-9
    if gain >= better - tolerance:
        return 1
    if -gain >= worse - tolerance:
        return -1
    return 0


@dataclass(frozen=True)
class InstrumentSummary:
    code: str
    treated: int
    analysed: int
    no_baseline: int
    not_yet_due: int
    lost: int
    baseline: MeanCI
    latest: MeanCI
    change: MeanCI
    improved: int
    no_clear_change: int
    worsened: int

    @property
    def n(self) -> int:
        return self.change.n

    @property
    def threshold_note(self) -> str:
        return instrument(self.code).threshold_note


def summarize_instrument(
    code: str,
    observations: Sequence[Observation],
    *,
    treated_ids: set[int],
    checkup_due_ids: set[int],
) -> InstrumentSummary:
    """Summarize treated patients' change on one instrument; every treated patient counts once.

    checkup_due_ids are the treated patients with a check-up due before today.
    """
    rows_by_patient: dict[int, list[Observation]] = {pid: [] for pid in treated_ids}
    for obs in observations:
        if obs.patient_id in rows_by_patient:
            rows_by_patient[obs.patient_id].append(obs)
    pairs = baseline_and_latest(o for rows in rows_by_patient.values() for o in rows)
    paired = {p.patient_id for p in pairs}
    statuses = {status: 0 for status in FOLLOW_UP_STATUSES}
    for pid, rows in rows_by_patient.items():
        status = follow_up_status(rows, paired=pid in paired, checkup_due=pid in checkup_due_ids)
        statuses[status] += 1
    if sum(statuses.values()) != len(treated_ids) or statuses[ANALYSED] != len(pairs):
        raise AssertionError(f"{code}: follow-up groups {statuses} do not add up to the treated")
    verdicts = [classify_change(code, p.baseline, p.latest) for p in pairs]
    return InstrumentSummary(
        code=code,
        treated=len(treated_ids),
        analysed=statuses[ANALYSED],
        no_baseline=statuses[NO_BASELINE],
        not_yet_due=statuses[NOT_YET_DUE],
        lost=statuses[LOST],
        baseline=mean_with_ci([p.baseline for p in pairs]),
        latest=mean_with_ci([p.latest for p in pairs]),
        change=mean_with_ci([p.latest - p.baseline for p in pairs]),
        improved=verdicts.count(1),
        no_clear_change=verdicts.count(0),
        worsened=verdicts.count(-1),
    )


SUPPORTED = "supported"
CONTRADICTED = "contradicted"
INCONCLUSIVE = "inconclusive"
NO_DATA = "no_data"


def compare_with_claim(rate: Proportion, claimed_max: float) -> str:
    """Say whether a rate's 95 % interval supports a claim of "no more than claimed_max".

    Supported only if the whole interval lies at or below the claim; contradicted if the
    whole interval lies above it; otherwise the data can neither confirm nor refute it.
    """
    if rate.n == 0 or rate.low is None or rate.high is None:
        return NO_DATA
    if rate.high <= claimed_max:
        return SUPPORTED
    if rate.low > claimed_max:
        return CONTRADICTED
    return INCONCLUSIVE


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
