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

from collections.abc import Callable, Iterable

import numpy as np
from scipy import stats

from .baseline import ages_years
from .change import change_classes
from .inputs import ReportInputs, TreatedPatient
from .mcid import UNPAIRED
from .plan import AnalysisPlan, InstrumentPlan, PlanError
from .rows import PatientRows, as_rows

LABEL = "Exploratory, pre-specified subgroups; not powered for comparison"
NOT_RECORDED = "not_recorded"
OUTSIDE_BANDS = "outside the plan's age bands"


def subgroup_section(
    inputs: ReportInputs, plan: AnalysisPlan, rows: PatientRows | Iterable[dict]
) -> list[dict]:
    """Return the report's "subgroups" section, one entry per pre-specified subgroup."""
    table = as_rows(rows, plan)
    condition = plan.condition(inputs.condition_code)
    instrument = plan.instruments[condition.outcomes[0]]
    timepoint = busiest_timepoint(plan, table, instrument.code)
    pairs = _paired_changes(inputs, table, instrument.code, timepoint)
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
                _row(value, members, pairs, instrument, plan.small_cell)
                for value, members in _split(inputs.patients, *groupers[name]).items()
            ],
        }
        for name in condition.subgroups
    ]


def busiest_timepoint(
    plan: AnalysisPlan, rows: PatientRows | Iterable[dict], instrument: str
) -> str | None:
    """Return the time point with the most patients assessed on the instrument, if any."""
    table = as_rows(rows)
    assessed_rows = table.at(instrument) & table.has("assessed")
    assessed = {
        tp.name: int((assessed_rows & table.at(instrument, tp.name)).sum())
        for tp in plan.timepoints
    }
    best = max(assessed.values(), default=0)
    return next((name for name, n in assessed.items() if n == best), None) if best else None


def _paired_changes(
    inputs: ReportInputs, table: PatientRows, instrument: str, timepoint: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each treated patient's (inputs order) baseline, value (NaN unless both exist) and
    the verdict of the change their row carries (mcid.UNPAIRED without a pair)."""
    baselines = np.full(len(inputs.patients), np.nan)
    values = np.full(len(inputs.patients), np.nan)
    verdicts = np.full(len(inputs.patients), UNPAIRED, np.int8)
    if timepoint is None:
        return baselines, values, verdicts
    where = np.flatnonzero(table.at(instrument, timepoint))
    ids = table.patient_ids[table.patient[where]]
    treated = inputs.columns.numbers_of(ids)
    strangers = np.flatnonzero(treated < 0)
    if len(strangers):
        name = table.names[table.patient[where[strangers[0]]]]
        raise ValueError(f"{name} has a row but is not a treated patient.")
    _, first, counts = np.unique(ids, return_index=True, return_counts=True)
    if (counts > 1).any():
        name = table.names[table.patient[where[first[counts > 1][0]]]]
        raise ValueError(f"{name} has two {instrument} rows at {timepoint}.")
    paired = ~np.isnan(table.baseline[where]) & ~np.isnan(table.value[where])
    baselines[treated[paired]] = table.baseline[where][paired]
    values[treated[paired]] = table.value[where][paired]
    verdicts[treated[paired]] = table.verdict[where][paired]
    return baselines, values, verdicts


Grouper = tuple[Callable[[tuple[TreatedPatient, ...]], list[str]], tuple[str, ...]]


def _groupers(plan: AnalysisPlan) -> dict[str, Grouper]:
    """Return, per subgroup, how every patient is placed and the rows always shown."""
    bands = _age_bands(plan)

    def age_bands(patients: tuple[TreatedPatient, ...]) -> list[str]:
        recorded = [p for p in patients if p.birth_date is not None]
        ages = ages_years(
            [p.birth_date for p in recorded], [p.first_administration for p in recorded]
        )
        labels = np.full(len(ages), OUTSIDE_BANDS, dtype=object)
        for label, lo, hi in bands:
            labels[(ages >= lo) & (ages <= hi)] = label
        placed = iter(labels.tolist())
        return [NOT_RECORDED if p.birth_date is None else next(placed) for p in patients]

    return {
        "product": (lambda ps: [p.product for p in ps], ()),
        "route": (lambda ps: [p.route for p in ps], ()),
        "sex": (
            lambda ps: [p.sex or NOT_RECORDED for p in ps],
            ("female", "male", NOT_RECORDED),
        ),
        "age_band": (age_bands, tuple(label for label, _, _ in bands)),
    }


def _age_bands(plan: AnalysisPlan) -> list[tuple[str, int, int]]:
    """Return the plan's age bands as (label, first, last year), inclusive, non-overlapping."""
    bands = sorted((int(lo), int(hi)) for lo, hi in plan.content.get("age_bands", ()))
    for (_, last), (first, _) in zip(bands, bands[1:], strict=False):
        if first <= last:
            raise PlanError("The plan's age bands overlap.")
    return [(f"{lo}-{hi}", lo, hi) for lo, hi in bands]


def _split(
    patients: tuple[TreatedPatient, ...],
    place: Callable[[tuple[TreatedPatient, ...]], list[str]],
    shown: tuple,
) -> dict[str, np.ndarray]:
    """Each row's patients (their index in `patients`, in order), placed once each."""
    groups: dict[str, np.ndarray] = {value: np.zeros(0, np.int64) for value in shown}
    values, placed = np.unique(np.array(place(patients), dtype=str), return_inverse=True)
    order = np.argsort(placed, kind="stable")
    starts = np.searchsorted(placed[order], np.arange(len(values) + 1))
    for k, value in enumerate(values.tolist()):
        groups[value] = order[starts[k] : starts[k + 1]]
    return groups


def _row(
    value: str,
    members: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    instrument: InstrumentPlan,
    small_cell: int,
) -> dict:
    baselines, values, verdicts = (column[members] for column in pairs)
    paired = ~np.isnan(baselines) & ~np.isnan(values)
    baselines, values = baselines[paired], values[paired]
    mean, ci95 = mean_change_ci(values - baselines, small_cell)
    return {
        "value": value,
        "n": len(members),
        "paired": len(baselines),
        **change_classes(verdicts[paired], instrument),
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
