"""Change from baseline and responders, per outcome instrument and time point.

Never pooled into a "latest" value: each time point stands alone. Computed from the
report's rows (rows.py), the same rows the CSV is written from, and the verdicts they
carry (mcid.py): nothing is classified here. Below the small-cell threshold a cell shows
counts only. Responders reached the instrument's MCID improvement, under three
denominators (docs/clinical/outcome-report.md, "Responders"): completers (paired patients
whose change could be classified), worst case and best case (every treated patient whose
time point has come: due, or dead before it). In the worst case everyone without a pair
or with a change that is not classifiable is a non-responder, the dead included; in the
best case the withdrawn, the missing and the not classifiable are responders and the dead
are not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from celltrace.clinical.registry import stats
from celltrace.clinical.registry.mcid import (
    CLASSES,
    IMPROVED,
    NOT_CLASSIFIABLE,
    UNPAIRED,
    VERDICT_CODES,
    VERDICTS,
    classifies,
    classify_changes,
)
from celltrace.clinical.registry.plan import AnalysisPlan, ConditionPlan, InstrumentPlan
from celltrace.clinical.registry.rows import PatientRows, as_rows
from celltrace.clinical.registry.windows import (
    DIED,
    DUE,
    MISSED,
    NOT_YET_DUE,
    STATUSES,
    WITHDRAWN,
)


def outcome_section(
    rows: PatientRows | Iterable[dict],
    plan: AnalysisPlan,
    condition: ConditionPlan,
    ordinal_grades: dict[str, tuple[str, ...]] | None = None,
) -> list[dict]:
    """Return one cell per outcome instrument of the condition and time point, in plan order.

    `ordinal_grades` names the measures on an ordinal scale (ReportInputs.ordinal_grades).
    """
    table = as_rows(rows, plan)
    cells = table.cells()
    grades = ordinal_grades or {}
    return [
        outcome_cell(
            plan.instruments[code],
            tp.name,
            cell_of(table, cells, code, tp.name),
            plan,
            grades=grades.get(code, ()),
        )
        for code in condition.outcomes
        for tp in plan.timepoints
    ]


def cell_of(table: PatientRows, cells: dict, code: str, timepoint: str) -> Cell:
    """One cell's statuses, baselines and values, in row order."""
    if code not in table.instruments or timepoint not in table.timepoints:
        rows = np.zeros(0, np.int64)
    else:
        key = (table.instruments.index(code), table.timepoints.index(timepoint))
        rows = cells.get(key, np.zeros(0, np.int64))
    return Cell(
        table.status[rows],
        table.baseline[rows],
        table.value[rows],
        table.verdict[rows],
        table.category[rows],
        table.baseline_category[rows],
    )


@dataclass(frozen=True, slots=True)
class Cell:
    """The rows of one instrument at one time point, in columns."""

    status: np.ndarray  # index into STATUSES
    baseline: np.ndarray  # NaN when none
    value: np.ndarray  # NaN when missing
    verdict: np.ndarray  # code of mcid.VERDICT_CODES, or mcid.UNPAIRED
    category: np.ndarray | None = None  # object: the grade at the time point, or None
    baseline_category: np.ndarray | None = None  # object: the baseline grade, or None

    @classmethod
    def of_dicts(cls, rows: Iterable[dict], instrument: InstrumentPlan) -> Cell:
        """The cell of rows given as the section contract's dicts, classified by mcid.py."""
        rows = list(rows)
        numbers = [[row[k] for row in rows] for k in ("baseline", "value")]
        baseline, value = (np.array(c, dtype=float).reshape(-1) for c in numbers)
        grades = [np.array([r.get(k) for r in rows], dtype=object) for k in CATEGORIES]
        status = np.array([STATUSES.index(r["status"]) for r in rows], np.int8)
        verdict = classify_changes(instrument, baseline, value).code
        return cls(status, baseline, value, verdict, *grades)


CATEGORIES = ("category", "baseline_category")
ORDINAL = "ordinal grade: shown as transitions"


def outcome_cell(
    instrument: InstrumentPlan,
    timepoint: str,
    cell: Cell | Iterable[dict],
    plan: AnalysisPlan,
    *,
    grades: tuple[str, ...] = (),
) -> dict:
    """Summarize one instrument at one time point; estimates only from small_cell pairs up.

    A measure with `grades` is ordinal (the AIS grade): the distance between two grades is
    no number of points, so no mean, CI, median or IQR of "changes" is computed; its
    transitions (baseline grade x grade at the time point) are the result instead.
    """
    if not isinstance(cell, Cell):
        cell = Cell.of_dicts(cell, instrument)
    due = int(np.isin(cell.status, [STATUSES.index(s) for s in DUE]).sum())
    measured = ~np.isnan(cell.value)
    paired = measured & ~np.isnan(cell.baseline)
    assessed = int(measured.sum())
    baselines, values = cell.baseline[paired], cell.value[paired]
    changes = values - baselines
    shown = len(changes) >= plan.small_cell and not grades
    mean, ci95 = stats.mean_with_ci95(changes) if shown else (None, None)
    withheld = no_spread(len(changes)) if shown and ci95 is None else None
    withheld = ORDINAL if grades else withheld
    median, iqr, spread = stats.median_iqr_range(changes) if shown else (None, None, None)
    counts = change_classes(cell.verdict[paired], instrument)
    mcid = instrument.mcid
    return {
        "instrument": instrument.code,
        "label": instrument.label,
        "unit": instrument.unit,
        "lower_is_better": instrument.lower_is_better,
        "timepoint": timepoint,
        "due": due,
        "assessed": assessed,
        "no_baseline": assessed - len(changes),
        "n": len(changes),
        "mean_change": mean,
        "ci95": ci95,
        "median_change": median,
        "iqr": iqr,
        "range": spread,
        "withheld_reason": withheld,
        "transitions": transitions(cell, grades, lower_is_better=instrument.lower_is_better)
        if grades
        else None,
        **counts,
        "mcid": {
            "kind": mcid.kind,
            "improvement": mcid.improvement,
            "worsening": mcid.worsening,
            "text": mcid.text,
            "source": mcid.source,
        },
        "responders": responders(counts, Unpaired.of(cell), plan),
    }


NO_DATA, DIED_COLUMN, NO_BASELINE = "no data", "died", "no baseline"


def transitions(cell: Cell, grades: tuple[str, ...], *, lower_is_better: bool) -> dict:
    """Count baseline grade x grade at the time point over everyone whose time point came.

    Rows: each baseline grade present, in the scale's order (then "no baseline"). Columns:
    each grade, then "no data" (due, no grade in the window) and "died" (before it), so
    nobody is left out. better / same / worse count those graded at both.
    """
    columns = [*grades, NO_DATA, DIED_COLUMN]
    counted = cell.status != STATUSES.index(NOT_YET_DUE)
    starts, ends = [], []
    for k in np.flatnonzero(counted).tolist():
        start = _grade(cell.baseline_category, cell.baseline, k, grades)
        end = _grade(cell.category, cell.value, k, grades)
        starts.append(start or NO_BASELINE)
        died = cell.status[k] == STATUSES.index(DIED)
        ends.append(DIED_COLUMN if died else end or NO_DATA)
    rows = [g for g in (*grades, NO_BASELINE) if g in starts]
    counts = {start: [0] * len(columns) for start in rows}
    better = same = worse = 0
    for start, end in zip(starts, ends, strict=True):
        counts[start][columns.index(end)] += 1
        if start in grades and end in grades:
            step = grades.index(end) - grades.index(start)
            step = -step if lower_is_better else step
            better, same, worse = better + (step > 0), same + (step == 0), worse + (step < 0)
    return {
        "grades": list(grades),
        "columns": columns,
        "rows": [{"baseline": start, "counts": counts[start]} for start in rows],
        "better": better,
        "same": same,
        "worse": worse,
    }


def _grade(categories, values, k: int, grades: tuple[str, ...]) -> str | None:
    """Row k's grade: its category, else its value read as the grade's position."""
    category = categories[k] if categories is not None else None
    if category in grades:
        return category
    value = values[k]
    if not np.isnan(value) and float(value).is_integer() and 0 <= value < len(grades):
        return grades[int(value)]
    return None


def no_spread(n: int) -> str:
    """Why a cell of identical changes has a mean but no interval."""
    return f"no spread: all {n} changes equal"


def change_classes(verdicts: np.ndarray, instrument: InstrumentPlan) -> dict:
    """Count the pairs improved / no clear change / worsened / not classifiable, from their
    verdicts; all null when the instrument has no MCID."""
    if not classifies(instrument):
        return dict.fromkeys(VERDICTS)
    found = np.bincount(verdicts[verdicts != UNPAIRED], minlength=len(VERDICT_CODES))
    counts = dict.fromkeys(VERDICTS, 0)
    for (verdict, _), n in zip(VERDICT_CODES, found.tolist(), strict=True):
        counts[verdict] += n
    return counts


@dataclass(frozen=True, slots=True)
class Unpaired:
    """Why the patients whose time point has come have no pair there."""

    died: int  # died before the window's end, without a value
    withdrawn: int  # withdrew before the window's end, without a value
    missed: int  # no value in the window (or none of this instrument at the visit)
    no_baseline: int  # a value, but no baseline to pair it with

    @classmethod
    def of(cls, cell: Cell) -> Unpaired:
        def count(status: str) -> int:
            return int((cell.status == STATUSES.index(status)).sum())

        no_baseline = int((~np.isnan(cell.value) & np.isnan(cell.baseline)).sum())
        return cls(count(DIED), count(WITHDRAWN), count(MISSED), no_baseline)

    @property
    def missing(self) -> dict:
        """The patients whose value is missing data (not an outcome), by reason."""
        return {"withdrawn": self.withdrawn, "missed": self.missed, "no_baseline": self.no_baseline}


def responders(counts: dict, unpaired: Unpaired, plan: AnalysisPlan) -> dict | None:
    """Return responders among completers, and the worst and best case over all whose
    time point has come.

    Completers are the paired patients whose change could be classified. Worst and best
    case share one denominator: every patient paired, missing (missed, withdrawn, no
    baseline) or dead before the time point; only those not yet due are left out. Worst
    case: all without a pair, and all whose change is not classifiable, are non-responders.
    Best case: the missing and the not classifiable are responders; the dead never are.
    Each says how many it counted which way.
    """
    if counts[IMPROVED] is None:
        return None
    k = counts[IMPROVED]
    classified = sum(counts[verdict] for verdict in CLASSES)
    not_classifiable = counts[NOT_CLASSIFIABLE]
    not_improved = classified - k
    missing = sum(unpaired.missing.values())
    n = classified + not_classifiable + missing + unpaired.died
    return {
        "completers": proportion(k, classified, plan),
        "worst_case": proportion(k, n, plan)
        | {
            "non_responders": {
                "died": unpaired.died,
                **unpaired.missing,
                "not_classifiable": not_classifiable,
                "not_improved": not_improved,
            }
        },
        "best_case": proportion(k + missing + not_classifiable, n, plan)
        | {
            "imputed_responders": unpaired.missing | {"not_classifiable": not_classifiable},
            "non_responders": {"died": unpaired.died, "not_improved": not_improved},
        },
    }


def proportion(k: int, n: int, plan: AnalysisPlan) -> dict:
    """A proportion as k and n, with its Wilson 95 % interval from small_cell up."""
    return {"k": k, "n": n, "ci95": stats.wilson_ci95(k, n) if n >= plan.small_cell else None}
