"""Read the disability course's visits and relapses CSVs into columns, checked.

pandas reads dates and scores as categories, so a registry of millions of visits costs
an integer code per cell, and each distinct text (a date, a score) is parsed once by the
same rule the row-by-row reader used, with the same messages. Patient codes are read as
text and numbered by a hash table (pandas keeps one string per distinct code a chunk).
"""

from __future__ import annotations

import csv
import math
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO

import numpy as np
import pandas as pd


class InputError(ValueError):
    """A problem with the input files, reported on stderr with exit code 2."""


@dataclass(frozen=True, slots=True)
class Columns:
    """One CSV's rows: patients as codes into names, days, and scores when read."""

    codes: np.ndarray
    names: np.ndarray
    days: np.ndarray
    values: np.ndarray | None = None


def read_columns(
    handle: TextIO, name: str, date_format: str, value_column: Callable[[list[str]], str] | None
) -> Columns:
    """Read id, date and (when value_column picks one from the header) score columns."""
    if not handle.seekable():
        handle = _spooled(handle)
    header = next(csv.reader([handle.readline()]), [])
    require_columns(name, header, ("id", "date"))
    wanted = ["id", "date"] + ([value_column(header)] if value_column else [])
    # As csv.DictReader does, a name given twice means its last column.
    positions = [len(header) - 1 - header[::-1].index(column) for column in wanted]
    table = _categories(handle, positions)
    cells = [table[p] for p in positions]
    parsers = [lambda text, where: parse_day(text, date_format, where), parse_value][
        : len(wanted) - 1
    ]
    numbers = [
        _parse_categories(cell, parse) for cell, parse in zip(cells[1:], parsers, strict=True)
    ]
    bad = [np.flatnonzero(np.isnan(n[cell.cat.codes.to_numpy()]))[:1]
           for n, cell in zip(numbers, cells[1:], strict=True)]  # fmt: skip
    if any(len(rows) for rows in bad):
        row = min(rows[0] for rows in bad if len(rows))
        _refuse_row(handle, name, row, wanted, parsers)
    codes, names = _patients(cells[0])
    columns = [n[cell.cat.codes.to_numpy()] for n, cell in zip(numbers, cells[1:], strict=True)]
    return Columns(codes, names, *columns)


def _spooled(handle: TextIO) -> TextIO:
    """Copy a pipe to a temporary file, which an unreadable row is looked up in again."""
    copy = tempfile.TemporaryFile("w+", newline="", encoding="utf-8")  # noqa: SIM115
    shutil.copyfileobj(handle, copy, 2**20)
    copy.seek(0)
    return copy


def _categories(handle: TextIO, positions: list[int]) -> pd.DataFrame:
    # Patients are as many as a million: categories would sort their codes (seconds at
    # that size), so the id column is read as text, each code one string per chunk.
    dtype = {p: "category" for p in positions}
    if positions[0] not in positions[1:]:
        dtype[positions[0]] = object
    try:
        return pd.read_csv(
            handle, header=None, usecols=sorted(set(positions)), dtype=dtype,
            keep_default_na=False, na_filter=False, engine="c",
        )  # fmt: skip
    except pd.errors.EmptyDataError:
        return pd.DataFrame({p: pd.Categorical([], categories=[]) for p in positions})


def _parse_categories(cell: pd.Series, parse: Callable[[str, str], float]) -> np.ndarray:
    """Return each category's number, NaN when unreadable."""
    numbers = np.empty(len(cell.cat.categories))
    for k, text in enumerate(cell.cat.categories.tolist()):
        try:
            numbers[k] = parse(text.strip(), "")
        except InputError:
            numbers[k] = math.nan
    return numbers


def _refuse_row(handle: TextIO, name: str, row: int, wanted, parsers) -> None:
    """Raise the row-by-row reader's message for the first unreadable row."""
    # Read the file again as that reader did, for its line number (blank lines and
    # quoted line breaks count) and its 'too few fields' message.
    handle.seek(0)
    reader = csv.DictReader(handle)
    fields = next((r for k, r in enumerate(reader) if k == row), None)
    where = f"{name} row {reader.line_num if fields is not None else row + 2}"
    if fields is None:  # pandas and csv disagreed on where rows end
        raise InputError(f"{where}: cannot read the row")
    texts = [_cell(fields, column, where) for column in wanted]
    for text, parse in zip(texts[1:], parsers, strict=True):
        parse(text, where)
    raise InputError(f"{where}: cannot read the row")


def _cell(row: dict, column: str, where: str) -> str:
    value = row.get(column)
    if value is None:
        raise InputError(f"{where}: too few fields (no '{column}')")
    return value.strip()


def _patients(cell: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's patient code and the names, stripped as the old reader did."""
    codes, texts = pd.factorize(cell.to_numpy(dtype=object))
    stripped = [text.strip() for text in texts.tolist()]
    recode, names = pd.factorize(pd.Index(stripped, dtype=object))
    return recode.astype(np.int32)[codes], np.asarray(names, dtype=object)


def require_columns(name: str, header: list[str], columns) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"{name}: missing column(s) {', '.join(missing)} (found: {header})")


def parse_day(text: str, date_format: str, where: str) -> float:
    """Return the day number of a date cell in the given format."""
    try:
        if date_format == "day":
            day = float(text)
            if not math.isfinite(day):
                raise ValueError(text)
            return day
        if date_format == "iso":
            return float(date.fromisoformat(text).toordinal())
        return float(datetime.strptime(text, date_format).date().toordinal())  # noqa: DTZ007
    except ValueError as error:
        raise InputError(f"{where}: cannot read date {text!r} ({date_format} format)") from error


def parse_value(text: str, where: str) -> float:
    """Return a score cell as a finite number."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InputError(f"{where}: cannot read score {text!r} as a number")
    return value
