"""One row per treated patient, outcome instrument and time point: what the CSV holds.

The rows are the report's single source for change from baseline: the outcome tables are
computed from them and the CSV is written from them, so a reader can recompute every
number from the download. Patients appear under pseudonyms (P001... in order of first
administration, then patient id), never under their names or record numbers.

At registry scale (100,000 patients: 3.2 million rows) the rows are kept in columns
(PatientRows); iterating them gives each row as the dict of the section contract.

Each row carries its instrument's direction (`lower_is_better`) and the verdict of its
change against the MCID (mcid.py, the one place it is decided): the change tables, the
subgroups, the CSV and the figures read it from here and never classify again.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

import numpy as np

from celltrace.clinical.registry.inputs import ReportInputs
from celltrace.clinical.registry.mcid import (
    UNPAIRED,
    VERDICT_CODE,
    VERDICT_CODES,
    classify_changes,
)
from celltrace.clinical.registry.plan import AnalysisPlan
from celltrace.clinical.registry.windows import (
    ASSESSED,
    MISSED,
    NONE,
    STATUSES,
    Placement,
    place_readings,
)

CSV_COLUMNS = (
    "patient", "instrument", "timepoint", "baseline", "value", "status", "day",
    "lower_is_better", "verdict", "verdict_reason", "improvement_needed", "worsening_needed",
)  # fmt: skip


@dataclass(frozen=True, slots=True, eq=False)
class PatientRows:
    """The rows in columns; missing numbers are NaN, missing grades None.

    `patient`, `instrument`, `timepoint` and `status` index the small tuples beside them.
    """

    names: tuple[str, ...]  # pseudonym of each patient index
    patient_ids: np.ndarray  # patient id of each patient index
    instruments: tuple[str, ...]
    timepoints: tuple[str, ...]
    patient: np.ndarray  # per row
    instrument: np.ndarray
    timepoint: np.ndarray
    status: np.ndarray  # index into STATUSES
    baseline: np.ndarray  # float64, NaN when none
    value: np.ndarray  # float64, NaN when missing
    whole: np.ndarray  # (rows, 2) bool: baseline, value given as ints (written as ints)
    day: np.ndarray  # float64 (whole days), NaN when missing
    category: np.ndarray  # object
    baseline_category: np.ndarray  # object
    # The verdict of each row's change (mcid.py): a code of mcid.VERDICT_CODES, or
    # mcid.UNPAIRED; the change that counts (NaN when none); the instrument's direction.
    verdict: np.ndarray  # int8
    improvement_needed: np.ndarray  # float64
    worsening_needed: np.ndarray  # float64
    lower_is_better: np.ndarray  # bool
    # (patients, instruments, timepoints) when the rows are every patient's, in order
    grid: tuple[int, int, int] | None = None

    @classmethod
    def from_dicts(cls, rows: Iterable[dict]) -> PatientRows:
        """Lay rows given as dicts (the section contract's form) out in columns."""
        rows = list(rows)
        patients: dict[int, str] = {}
        instruments: dict[str, int] = {}
        timepoints: dict[str, int] = {}
        for row in rows:
            patients.setdefault(row["patient_id"], row["patient"])
            instruments.setdefault(row["instrument"], len(instruments))
            timepoints.setdefault(row["timepoint"], len(timepoints))
        number = {pid: k for k, pid in enumerate(patients)}

        def column(key, dtype=np.float64):
            if dtype is object:
                return np.array([row.get(key) for row in rows] or [], dtype=object)
            return np.array([np.nan if row.get(key) is None else row[key] for row in rows], dtype)

        return cls(
            names=tuple(patients.values()),
            patient_ids=np.array(list(patients), np.int64),
            instruments=tuple(instruments),
            timepoints=tuple(timepoints),
            patient=np.array([number[row["patient_id"]] for row in rows], np.int64),
            instrument=np.array([instruments[row["instrument"]] for row in rows], np.int64),
            timepoint=np.array([timepoints[row["timepoint"]] for row in rows], np.int64),
            status=np.array([STATUSES.index(row["status"]) for row in rows], np.int8),
            baseline=column("baseline"),
            value=column("value"),
            whole=np.array(
                [[type(row.get(k)) is int for k in ("baseline", "value")] for row in rows], bool
            ).reshape(-1, 2),
            day=column("day"),
            category=column("category", object),
            baseline_category=column("baseline_category", object),
            verdict=np.array(
                [VERDICT_CODE.get((r.get("verdict"), r.get("verdict_reason") or ""), UNPAIRED)
                 for r in rows], np.int8),
            improvement_needed=column("improvement_needed"),
            worsening_needed=column("worsening_needed"),
            lower_is_better=np.array([bool(r.get("lower_is_better")) for r in rows], bool),
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.patient)

    def __iter__(self) -> Iterator[dict]:
        return iter(self.as_dicts())

    def __getitem__(self, number: int | slice) -> dict | list[dict]:
        if isinstance(number, slice):
            return self.as_dicts(np.arange(len(self))[number])
        (row,) = self.as_dicts(np.arange(len(self))[[number]])
        return row

    def as_dicts(self, rows: np.ndarray | None = None) -> list[dict]:
        """The rows (all, or those numbered) as the section contract's dicts."""
        rows = np.arange(len(self)) if rows is None else rows
        patient = self.patient[rows].tolist()
        columns = zip(
            patient, self.instrument[rows].tolist(), self.timepoint[rows].tolist(),
            _numbers(self.baseline[rows], self.whole[rows, 0]),
            _numbers(self.value[rows], self.whole[rows, 1]),
            self.status[rows].tolist(), _days(self.day[rows]),
            self.category[rows].tolist(), self.baseline_category[rows].tolist(),
            self.verdict[rows].tolist(), _numbers(self.improvement_needed[rows]),
            _numbers(self.worsening_needed[rows]), self.lower_is_better[rows].tolist(),
            strict=True,
        )  # fmt: skip
        ids = self.patient_ids.tolist()
        return [
            {
                "patient": self.names[p],
                "patient_id": ids[p],
                "instrument": self.instruments[i],
                "timepoint": self.timepoints[t],
                "baseline": baseline,
                "value": value,
                "status": STATUSES[status],
                "day": day,
                "category": category,
                "baseline_category": baseline_category,
                "lower_is_better": lower,
                "verdict": None if verdict < 0 else VERDICT_CODES[verdict][0],
                "verdict_reason": None if verdict < 0 else VERDICT_CODES[verdict][1] or None,
                "improvement_needed": improvement,
                "worsening_needed": worsening,
            }
            for (
                p, i, t, baseline, value, status, day, category, baseline_category,
                verdict, improvement, worsening, lower,
            ) in columns
        ]  # fmt: skip

    def csv_records(self) -> Iterator[tuple]:
        """The CSV_COLUMNS of each row, "" for a missing value (straight from the columns)."""

        def blank(values: list) -> list:
            return ["" if v is None else v for v in values]

        names = [self.names[p] for p in self.patient.tolist()]
        instruments = [self.instruments[i] for i in self.instrument.tolist()]
        timepoints = [self.timepoints[t] for t in self.timepoint.tolist()]
        statuses = [STATUSES[s] for s in self.status.tolist()]
        words = [*VERDICT_CODES, ("", "")]  # words[UNPAIRED] is the last
        verdicts = [words[c] for c in self.verdict.tolist()]
        return zip(
            names, instruments, timepoints,
            blank(_numbers(self.baseline, self.whole[:, 0])),
            blank(_numbers(self.value, self.whole[:, 1])),
            statuses, blank(_days(self.day)),
            ["true" if lower else "false" for lower in self.lower_is_better.tolist()],
            [v for v, _ in verdicts], [r for _, r in verdicts],
            blank(_numbers(self.improvement_needed)), blank(_numbers(self.worsening_needed)),
            strict=True,
        )  # fmt: skip

    def at(self, instrument: str, timepoint: str | None = None) -> np.ndarray:
        """Which rows are of the instrument (and time point): a mask."""
        if instrument not in self.instruments or (
            timepoint is not None and timepoint not in self.timepoints
        ):
            return np.zeros(len(self), bool)
        mask = self.instrument == self.instruments.index(instrument)
        if timepoint is not None:
            mask &= self.timepoint == self.timepoints.index(timepoint)
        return mask

    def cells(self) -> dict[tuple[int, int], np.ndarray | slice]:
        """The rows of each (instrument, time point) index pair, in row order."""
        if self.grid is not None:
            _, instruments, timepoints = self.grid
            step = instruments * timepoints
            return {
                (i, t): slice(i * timepoints + t, None, step)
                for i in range(instruments)
                for t in range(timepoints)
            }
        key = self.instrument.astype(np.int64) * (len(self.timepoints) + 1) + self.timepoint
        order = np.argsort(key, kind="stable")
        keys, starts = np.unique(key[order], return_index=True)
        parts = np.split(order, starts[1:]) if len(order) else []
        width = len(self.timepoints) + 1
        return {(int(k) // width, int(k) % width): p for k, p in zip(keys, parts, strict=True)}

    def has(self, status: str) -> np.ndarray:
        """Which rows have the status: a mask."""
        return self.status == STATUSES.index(status)


def as_rows(rows: PatientRows | Iterable[dict], plan: AnalysisPlan | None = None) -> PatientRows:
    """The rows in columns, whether given so or as dicts.

    Rows given as dicts are classified afresh by the plan when one is given (mcid.py);
    rows given in columns already carry their verdicts.
    """
    if isinstance(rows, PatientRows):
        return rows
    table = PatientRows.from_dicts(rows)
    return table if plan is None else with_verdicts(table, plan)


def with_verdicts(table: PatientRows, plan: AnalysisPlan) -> PatientRows:
    """The rows with each instrument's direction and each change's verdict, from the plan.

    Rows of an instrument the plan does not name stay unclassified (UNPAIRED).
    """
    verdict = np.full(len(table), UNPAIRED, np.int8)
    improvement = np.full(len(table), np.nan)
    worsening = np.full(len(table), np.nan)
    lower = np.zeros(len(table), bool)
    for number, code in enumerate(table.instruments):
        instrument = plan.instruments.get(code)
        if instrument is None:  # not the plan's: never reported, so never classified
            continue
        mine = _rows_of_instrument(table, number)
        found = classify_changes(instrument, table.baseline[mine], table.value[mine])
        verdict[mine] = found.code
        improvement[mine] = found.improvement
        worsening[mine] = found.worsening
        lower[mine] = instrument.lower_is_better
    return dataclasses.replace(
        table,
        verdict=verdict,
        improvement_needed=improvement,
        worsening_needed=worsening,
        lower_is_better=lower,
    )


def _rows_of_instrument(table: PatientRows, number: int) -> np.ndarray | slice:
    """The rows of one instrument: of a full grid (patient, instrument, time point), a
    view's index per patient (no mask over millions of rows); else a mask."""
    if table.grid is None or len(table) != np.prod(table.grid):
        return table.instrument == number
    _, instruments, timepoints = table.grid
    starts = np.arange(number * timepoints, len(table), instruments * timepoints)
    return (starts[:, None] + np.arange(timepoints)).reshape(-1)


def _numbers(column: np.ndarray, whole: np.ndarray | None = None) -> list[float | int | None]:
    numbers = [None if x != x else x for x in column.tolist()]  # NaN is the only x != x
    if whole is None:
        return numbers
    for k in np.flatnonzero(whole).tolist():
        numbers[k] = int(numbers[k])
    return numbers


def _days(column: np.ndarray) -> list[int | None]:
    return [None if x != x else int(x) for x in column.tolist()]


def pseudonyms(inputs: ReportInputs) -> dict[int, str]:
    """Name each treated patient P001, P002... by first administration, then patient id."""
    ids = inputs.columns.patient_id[inputs.columns.pseudonym_order].tolist()
    return dict(zip(ids, pseudonym_names(len(ids)), strict=True))


def pseudonym_names(count: int) -> list[str]:
    """P001, P002... (at least three digits)."""
    return [f"P{number:03d}" for number in range(1, count + 1)]


def patient_rows(inputs: ReportInputs, plan: AnalysisPlan) -> PatientRows:
    """Return the rows of every treated patient, in pseudonym order."""
    return rows_of_placement(place_readings(inputs, plan), inputs, plan)


def rows_of_placement(placed: Placement, inputs: ReportInputs, plan: AnalysisPlan) -> PatientRows:
    """Flatten the placed readings into rows: patient, then instrument, then time point.

    A visit is assessed when any instrument has a value; an instrument without a value at
    an assessed visit was missed at that visit. Each change gets its verdict (mcid.py).
    """
    table = inputs.readings
    patients, instruments, timepoints = placed.value.shape
    value = placed.value.reshape(-1)
    baseline = np.repeat(placed.baseline.reshape(-1), timepoints)
    visit = np.broadcast_to(placed.status[:, None, :], placed.value.shape).reshape(-1)
    status = np.where(
        (value == NONE) & (visit == STATUSES.index(ASSESSED)), STATUSES.index(MISSED), visit
    )
    patient = np.repeat(np.arange(patients), instruments * timepoints)
    day = _pick(table.day, value, np.int64) - placed.first_day[patient]
    unclassified = np.full(len(value), np.nan)
    table = PatientRows(
        names=tuple(pseudonym_names(patients)),
        patient_ids=np.array([p.patient_id for p in placed.patients], np.int64),
        instruments=placed.instruments,
        timepoints=tuple(tp.name for tp in placed.timepoints),
        patient=patient,
        instrument=np.tile(np.repeat(np.arange(instruments), timepoints), patients),
        timepoint=np.tile(np.arange(timepoints), patients * instruments),
        status=status.astype(np.int8),
        baseline=_pick(table.value, baseline, np.float64),
        value=_pick(table.value, value, np.float64),
        whole=np.stack([_pick(table.whole, baseline, bool), _pick(table.whole, value, bool)], 1),
        day=np.where(value == NONE, np.nan, day),
        category=_pick(table.category, value, object),
        baseline_category=_pick(table.category, baseline, object),
        verdict=np.full(len(value), UNPAIRED, np.int8),
        improvement_needed=unclassified,
        worsening_needed=unclassified,
        lower_is_better=np.zeros(len(value), bool),
        grid=(patients, instruments, timepoints),
    )
    return with_verdicts(table, plan)


def _pick(column: np.ndarray, index: np.ndarray, dtype) -> np.ndarray:
    """column[index], with NaN (None for objects, 0 for whole numbers) where index is NONE."""
    missing = {object: None, np.int64: 0, bool: False}.get(dtype, np.nan)
    out = np.full(len(index), missing, dtype=dtype)
    if dtype is object and not column.any():
        return out  # no grades at all (every instrument but the AIS)
    found = index != NONE
    out[found] = column[index[found]]
    return out


def write_rows_csv(rows: PatientRows | Iterable[dict], out: TextIO) -> None:
    """Write the rows as CSV (empty cells for missing values), floats in full precision."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(as_rows(rows).csv_records())
