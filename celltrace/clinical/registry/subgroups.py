"""Pre-specified subgroups: exploratory rows, never comparisons.

Only the plan's subgroups of the condition are shown (product, route, sex, age band), each
labelled exploratory: a case series split into small rows is not powered to compare them,
and a subgroup chosen after seeing the data invites chance findings (STROBE items 12b, 17).
Every treated patient is in exactly one row of each subgroup. One outcome summarises each
row: the condition's first outcome instrument at the time point where it was assessed in
the most patients (the earliest such time point on a tie), so every row of every subgroup
speaks of the same measure at the same time.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats

from ..disability_course.measures import minimum_change
from .baseline import age_years
from .inputs import ReportInputs, TreatedPatient
from .plan import AnalysisPlan, InstrumentPlan, PlanError

LABEL = "Exploratory, pre-specified subgroups; not powered for comparison"
NOT_RECORDED = "not_recorded"
OUTSIDE_BANDS = "outside the plan's age bands"


def subgroup_section(inputs: ReportInputs, plan: AnalysisPlan, rows: list[dict]) -> list[dict]:
    """Return the report's "subgroups" section, one entry per pre-specified subgroup."""
    condition = plan.condition(inputs.condition_code)
    instrument = plan.instruments[condition.outcomes[0]]
    timepoint = busiest_timepoint(plan, rows, instrument.code)
    changes = _paired_changes(inputs, rows, instrument.code, timepoint)
    groupers = _groupers(plan)
    unknown = [name for name in condition.subgroups if name not in groupers]
    if unknown:
        raise PlanError(f"{condition.code}: unknown subgroups {unknown}.")
    return [
        {
            "name": name,
            "exploratory": True,
            "label": LABEL,
            "instrument": instrument.code,
            "timepoint": timepoint,
            "rows": [
                _row(value, members, changes, instrument, plan.small_cell)
                for value, members in _split(inputs.patients, *groupers[name]).items()
            ],
        }
        for name in condition.subgroups
    ]


def busiest_timepoint(plan: AnalysisPlan, rows: list[dict], instrument: str) -> str | None:
    """Return the time point with the most patients assessed on the instrument, if any."""
    assessed = {
        tp.name: sum(
            1
            for row in rows
            if row["instrument"] == instrument
            and row["timepoint"] == tp.name
            and row["status"] == "assessed"
        )
        for tp in plan.timepoints
    }
    best = max(assessed.values(), default=0)
    return next((name for name, n in assessed.items() if n == best), None) if best else None


def _paired_changes(
    inputs: ReportInputs, rows: list[dict], instrument: str, timepoint: str | None
) -> dict[int, tuple[float, float]]:
    treated = {p.patient_id for p in inputs.patients}
    pairs: dict[int, tuple[float, float]] = {}
    seen: set[int] = set()
    for row in rows:
        if row["instrument"] != instrument or row["timepoint"] != timepoint:
            continue
        if row["patient_id"] not in treated:
            raise ValueError(f"{row['patient']} has a row but is not a treated patient.")
        if row["patient_id"] in seen:
            raise ValueError(f"{row['patient']} has two {instrument} rows at {timepoint}.")
        seen.add(row["patient_id"])
        if row["baseline"] is not None and row["value"] is not None:
            pairs[row["patient_id"]] = (float(row["baseline"]), float(row["value"]))
    return pairs


Grouper = tuple[Callable[[TreatedPatient], str], tuple[str, ...]]


def _groupers(plan: AnalysisPlan) -> dict[str, Grouper]:
    """Return, per subgroup, how a patient is placed and the rows always shown."""
    bands = _age_bands(plan)

    def age_band(patient: TreatedPatient) -> str:
        if patient.birth_date is None:
            return NOT_RECORDED
        age = age_years(patient.birth_date, patient.first_administration)
        return next((label for label, lo, hi in bands if lo <= age <= hi), OUTSIDE_BANDS)

    return {
        "product": (lambda p: p.product, ()),
        "route": (lambda p: p.route, ()),
        "sex": (lambda p: p.sex or NOT_RECORDED, ("female", "male", NOT_RECORDED)),
        "age_band": (age_band, tuple(label for label, _, _ in bands)),
    }


def _age_bands(plan: AnalysisPlan) -> list[tuple[str, int, int]]:
    """Return the plan's age bands as (label, first, last year), inclusive, non-overlapping."""
    bands = sorted((int(lo), int(hi)) for lo, hi in plan.content.get("age_bands", ()))
    for (_, last), (first, _) in zip(bands, bands[1:], strict=False):
        if first <= last:
            raise PlanError("The plan's age bands overlap.")
    return [(f"{lo}-{hi}", lo, hi) for lo, hi in bands]


def _split(
    patients: tuple[TreatedPatient, ...], place: Callable[[TreatedPatient], str], shown: tuple
) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {value: [] for value in shown}
    for patient in sorted(patients, key=place):
        groups.setdefault(place(patient), []).append(patient.patient_id)
    return groups


def _row(
    value: str,
    members: list[int],
    changes: dict[int, tuple[float, float]],
    instrument: InstrumentPlan,
    small_cell: int,
) -> dict:
    pairs = [changes[m] for m in members if m in changes]
    directions = [direction_of_change(instrument, b, v) for b, v in pairs]
    classified = instrument.mcid.kind != "none"
    mean, ci95 = mean_change_ci(np.array([v - b for b, v in pairs]), small_cell)
    return {
        "value": value,
        "n": len(members),
        "paired": len(pairs),
        "improved": directions.count(1) if classified else None,
        "no_clear_change": directions.count(0) if classified else None,
        "worsened": directions.count(-1) if classified else None,
        "mean_change": mean,
        "ci95": ci95,
    }


def mean_change_ci(changes: np.ndarray, small_cell: int) -> tuple[float | None, list | None]:
    """Return the mean change with its 95 % paired t interval; both null below small_cell."""
    if len(changes) < small_cell:
        return None, None
    mean = float(np.mean(changes))
    sem = stats.sem(changes)
    if sem == 0:  # every change the same: the t interval shrinks to that value
        return mean, [mean, mean]
    low, high = stats.t.interval(0.95, len(changes) - 1, loc=mean, scale=sem)
    return mean, [float(low), float(high)]


def direction_of_change(instrument: InstrumentPlan, baseline: float, value: float) -> int:
    """Return +1 for a change of at least the MCID for the better, -1 for the worse, else 0.

    The plan's MCID kinds: "absolute" in the instrument's units, "relative" as fractions of
    the baseline, "disability_course" from the disability-course engine's minimum change.
    """
    mcid = instrument.mcid
    if mcid.kind == "none":
        return 0
    if mcid.kind == "disability_course":
        better = worse = minimum_change(instrument.code, baseline, None)
    elif mcid.kind == "relative":
        if baseline == 0:  # no relative change from nothing
            return 0
        better, worse = mcid.improvement * abs(baseline), mcid.worsening * abs(baseline)
    else:
        better, worse = mcid.improvement, mcid.worsening
    gain = baseline - value if instrument.lower_is_better else value - baseline
    tolerance = 1e-9
    if gain >= better - tolerance:
        return 1
    if -gain >= worse - tolerance:
        return -1
    return 0
