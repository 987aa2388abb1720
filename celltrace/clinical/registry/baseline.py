"""The baseline table: who was treated, described at the first administration.

STROBE item 14a: characteristics of the participants, with the number with missing data
for each. Every treated patient is counted once in each block (recorded or not recorded);
below plan.small_cell a block shows counts only, no median or IQR (REPORT.md).
Quartiles are numpy's default (linear interpolation, Hyndman & Fan type 7).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np

from .inputs import ReportInputs
from .plan import AnalysisPlan

SEXES = ("female", "male")
PRIOR_THERAPY = ("yes", "no")
DAYS_PER_YEAR = 365.25


def baseline_section(inputs: ReportInputs, plan: AnalysisPlan, rows: list[dict]) -> dict:
    """Return the report's "baseline" section."""
    patients = inputs.patients
    ages = [age_years(p.birth_date, p.first_administration) for p in patients if p.birth_date]
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
        "scores": [
            _score(code, baselines, plan.small_cell)
            for code, baselines in baseline_scores(inputs, plan, rows).items()
        ],
    }


def age_years(birth_date: date, on: date) -> int:
    """Return the age in completed years on a date (the age bands use the same count)."""
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def describe(values: Iterable[float], small_cell: int) -> dict:
    """Return n, median and IQR [q1, q3]; the median and IQR are null below small_cell."""
    array = np.asarray(list(values), dtype=float)
    if len(array) < small_cell:
        return {"n": len(array), "median": None, "iqr": None}
    q1, median, q3 = np.percentile(array, [25, 50, 75])
    return {"n": len(array), "median": float(median), "iqr": [float(q1), float(q3)]}


def baseline_scores(
    inputs: ReportInputs, plan: AnalysisPlan, rows: list[dict]
) -> dict[str, dict[int, tuple[float, str | None]]]:
    """Return, per outcome instrument of the plan, each patient's one baseline value.

    The rows repeat a patient's baseline at every time point; it must be the same on each.
    """
    outcomes = plan.condition(inputs.condition_code).outcomes
    found: dict[str, dict[int, tuple[float, str | None]]] = {code: {} for code in outcomes}
    for row in rows:
        if row["instrument"] not in found or row["baseline"] is None:
            continue
        value = (float(row["baseline"]), row.get("baseline_category"))
        seen = found[row["instrument"]].setdefault(row["patient_id"], value)
        if seen != value:
            raise ValueError(
                f"Patient {row['patient']} has two baselines for {row['instrument']}: "
                f"{seen[0]:g} and {value[0]:g}."
            )
    return found


def _score(code: str, baselines: dict[int, tuple[float, str | None]], small_cell: int) -> dict:
    categories: dict[str, int] = {}
    for _, category in baselines.values():
        if category:
            categories[category] = categories.get(category, 0) + 1
    return {
        "instrument": code,
        **describe((value for value, _ in baselines.values()), small_cell),
        "categories": [{"category": c, "n": n} for c, n in sorted(categories.items())],
    }


def _counts(name: str, values: list[str | None], choices: tuple[str, ...]) -> dict:
    unknown = sorted({v for v in values if v is not None and v not in choices})
    if unknown:
        raise ValueError(f"Unknown {name} {unknown}: expected one of {choices} or not recorded.")
    counts = {choice: values.count(choice) for choice in choices}
    return {**counts, "not_recorded": values.count(None)}
