"""The baseline table: who was treated, described at the first administration.

STROBE item 14a: characteristics of the participants, with the number with missing data
for each. Every treated patient is counted once in each block (recorded or not recorded);
below plan.small_cell a block shows counts only, no median or IQR (REPORT.md).
Quartiles are numpy's default (linear interpolation, Hyndman & Fan type 7).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

import numpy as np

from .inputs import ReportInputs
from .plan import AnalysisPlan
from .rows import PatientRows, as_rows

SEXES = ("female", "male")
PRIOR_THERAPY = ("yes", "no")
DAYS_PER_YEAR = 365.25


def baseline_section(
    inputs: ReportInputs, plan: AnalysisPlan, rows: PatientRows | Iterable[dict]
) -> dict:
    """Return the report's "baseline" section."""
    patients = inputs.patients
    born = [p for p in patients if p.birth_date]
    ages = ages_years([p.birth_date for p in born], [p.first_administration for p in born])
    durations = [
        (p.first_administration - p.disease_onset).days / DAYS_PER_YEAR
        for p in patients
        if p.disease_onset
    ]
    return {
        "n": len(patients),
        "age": describe(ages, plan.small_cell),
        "sex": _counts("sex", [p.sex or None for p in patients], SEXES),
        "disease_duration_years": describe(durations, plan.small_cell),
        "prior_therapy": _counts(
            "prior therapy", [p.prior_therapy for p in patients], PRIOR_THERAPY
        ),
        "prior_therapy_by_category": _categories(p.prior_therapies for p in patients),
        "scores": [
            _score(code, baselines, plan.small_cell)
            for code, baselines in baseline_scores(inputs, plan, rows).items()
        ],
    }


def age_years(birth_date: date, on: date) -> int:
    """Return the age in completed years on a date (the age bands use the same count)."""
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def ages_years(births: list, on: list) -> np.ndarray:
    """Each age in completed years on a date, as baseline.age_years counts it."""
    born, then = (_year_month_day(dates) for dates in (births, on))
    had_birthday = then[1] * 100 + then[2] >= born[1] * 100 + born[2]
    return then[0] - born[0] - (~had_birthday).astype(np.int64)


def _year_month_day(dates: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    days = np.array([d.toordinal() for d in dates], np.int64) - date(1970, 1, 1).toordinal()
    stamps = days.astype("datetime64[D]")
    years, months = stamps.astype("datetime64[Y]"), stamps.astype("datetime64[M]")
    return (
        years.astype(np.int64) + 1970,
        (months - years.astype("datetime64[M]")).astype(np.int64) + 1,
        (stamps - months.astype("datetime64[D]")).astype(np.int64) + 1,
    )


def describe(values: Iterable[float], small_cell: int) -> dict:
    """Return n, median and IQR [q1, q3]; the median and IQR are null below small_cell."""
    array = np.asarray(list(values), dtype=float)
    if len(array) < small_cell:
        return {"n": len(array), "median": None, "iqr": None}
    q1, median, q3 = np.percentile(array, [25, 50, 75])
    return {"n": len(array), "median": float(median), "iqr": [float(q1), float(q3)]}


def baseline_scores(
    inputs: ReportInputs, plan: AnalysisPlan, rows: PatientRows | Iterable[dict]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Return, per outcome instrument of the plan, each patient's one baseline value and
    grade (in columns, one entry per patient with a baseline).

    The rows repeat a patient's baseline at every time point; it must be the same on each.
    """
    table = as_rows(rows)
    found = {}
    for code in plan.condition(inputs.condition_code).outcomes:
        where = _rows_with_baseline(table, code)
        patients, first = np.unique(table.patient[where], return_index=True)
        seen = where[first][np.searchsorted(patients, table.patient[where])]
        differs = (table.baseline[where] != table.baseline[seen]) | (
            table.baseline_category[where] != table.baseline_category[seen]
        )
        if differs.any():
            row, held = where[differs][0], seen[differs][0]
            raise ValueError(
                f"Patient {table.names[table.patient[row]]} has two baselines for {code}: "
                f"{table.baseline[held]:g} and {table.baseline[row]:g}."
            )
        found[code] = (table.baseline[where[first]], table.baseline_category[where[first]])
    return found


def _rows_with_baseline(table: PatientRows, code: str) -> np.ndarray:
    """The rows of the instrument with a baseline; of a full grid, each patient's first
    time point only (the grid repeats one baseline per patient by construction)."""
    if table.grid is not None and code in table.instruments:
        _, instruments, timepoints = table.grid
        first = table.instruments.index(code) * timepoints
        rows = np.arange(first, len(table), instruments * timepoints)
        return rows[~np.isnan(table.baseline[rows])]
    return np.flatnonzero(table.at(code) & ~np.isnan(table.baseline))


def _score(code: str, baselines: tuple[np.ndarray, np.ndarray], small_cell: int) -> dict:
    values, grades = baselines
    categories = Counter(grade for grade in grades.tolist() if grade)
    return {
        "instrument": code,
        **describe(values, small_cell),
        "categories": [{"category": c, "n": n} for c, n in sorted(categories.items())],
    }


def _categories(categories_of_each: Iterable[tuple[str, ...]]) -> list[dict]:
    """Patients per prior-therapy category, most first (a patient counts once in each)."""
    counts = Counter(c for categories in categories_of_each for c in set(categories))
    return [{"category": c, "n": n} for c, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]


def _counts(name: str, values: list[str | None], choices: tuple[str, ...]) -> dict:
    unknown = sorted({v for v in values if v is not None and v not in choices})
    if unknown:
        raise ValueError(f"Unknown {name} {unknown}: expected one of {choices} or not recorded.")
    counts = {choice: values.count(choice) for choice in choices}
    return {**counts, "not_recorded": values.count(None)}
