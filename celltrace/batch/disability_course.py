"""`celltrace disability-course`: confirmed MS disability events from a visits CSV.

Reads visits (columns `id,date,<value>`; the value column is the one named after
the outcome, e.g. `edss`, or else the third column) and optional relapse onsets
(`id,date`), and writes pymsprog's results table as CSV on standard output.
"""

from __future__ import annotations

import argparse
import csv
from typing import TextIO

import numpy as np
import pandas as pd

from celltrace.batch.visit_columns import Columns, InputError, read_columns, require_columns
from celltrace.clinical.disability_course import (
    Options,
    RelapseFreeWindows,
    assess_in_batches,
    results_table,
    summary_table,
)
from celltrace.clinical.disability_course.options import (
    BASELINES,
    EVENTS,
    LOCAL_EXTREMA,
    PREC_TYPES,
    PROCEED_FROM,
    SUB_THRESHOLD_REBASELINES,
)
from celltrace.clinical.disability_course.tables import RESULT_COLUMNS, SUMMARY_COLUMNS

OUTCOMES = ("edss", "nhpt", "t25fw", "sdmt", "custom")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments: every MSprog() option as a kebab-case flag."""
    parser.add_argument("visits", nargs="?", default="-", help="visits CSV (- or absent: stdin)")
    parser.add_argument("--relapses", help="relapse onsets CSV with columns id,date")
    parser.add_argument("--outcome", required=True, choices=OUTCOMES)
    parser.add_argument("--value-column", help="the score column (default: see module doc)")
    parser.add_argument(
        "--date-format",
        default="iso",
        help="'iso' (YYYY-MM-DD), 'day' (days as numbers) or a strptime format",
    )
    parser.add_argument("--summary", action="store_true", help="write the per-patient summary")
    _add_event_arguments(parser)
    _add_relapse_arguments(parser)
    _add_measure_arguments(parser)
    # fmt: skip


def _add_event_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--event", default="firstCDW", choices=EVENTS)
    parser.add_argument("--raw-pira", action="store_true")
    parser.add_argument("--baseline", default="fixed", choices=BASELINES)
    parser.add_argument("--proceed-from", default="firstconf", choices=PROCEED_FROM)
    parser.add_argument("--sub-threshold-rebl", default="none", choices=SUB_THRESHOLD_REBASELINES)
    parser.add_argument("--bl-geq", action="store_true")
    parser.add_argument("--relapse-rebl", action="store_true")
    parser.add_argument("--skip-local-extrema", default="none", choices=LOCAL_EXTREMA)
    parser.add_argument("--conf-days", type=float, nargs="+", default=[84])
    parser.add_argument("--conf-tol-days", type=float, nargs="+", default=[7, 730.5])
    parser.add_argument("--require-sust-days", type=float, default=0)
    parser.add_argument("--check-intermediate", action=argparse.BooleanOptionalAction,
                        default=True)  # fmt: skip
    parser.add_argument("--impute-last-visit", type=float, default=0)
    parser.add_argument("--impute-seed", type=int)
    parser.add_argument("--include-stable", action=argparse.BooleanOptionalAction, default=True)


def _add_relapse_arguments(parser: argparse.ArgumentParser) -> None:
    for name, default in (("bl", 30), ("event", 0), ("conf", 30)):
        parser.add_argument(f"--relapse-to-{name}", type=float, nargs="+", default=[default])
    parser.add_argument("--relapse-assoc", type=float, nargs="+", default=[90])
    for name, default in (("prec", ["0", "0"]), ("event", ["90", "30"]), ("conf", ["90", "30"])):
        parser.add_argument(
            f"--relapse-indep-{name}",
            nargs=2,
            default=default,
            metavar=("BEFORE", "AFTER"),
            help="days; 'none' merges intervals",
        )
    parser.add_argument("--relapse-indep-prec-type", default="baseline", choices=PREC_TYPES)


def _add_measure_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--worsening",
        choices=("increase", "decrease"),
        help="direction of worsening of a custom outcome",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--delta", type=float, help="custom outcome: minimum meaningful change")
    group.add_argument(
        "--delta-percent",
        type=float,
        help="custom outcome: minimum meaningful change, percent of reference",
    )


def run(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Read the CSVs, assess every patient and write the table; exit 2 on bad input."""
    import sys

    try:
        options = options_from(args)
        visits = _read_visits(args, stdin)
        relapses = _read_relapses(args, visits.names)
        # Every check runs before the first batch, so bad input never leaves part of a table.
        batches = assess_in_batches(
            visits.codes, visits.days, visits.values, relapses[0], relapses[1],
            outcome=args.outcome, options=options, id_names=visits.names,
        )  # fmt: skip
    except (InputError, ValueError, OSError) as error:
        print(f"celltrace disability-course: {error}", file=sys.stderr)
        return 2
    del visits, relapses  # laid out by now: free the columns read
    columns = SUMMARY_COLUMNS if args.summary else RESULT_COLUMNS
    write_table(stdout, columns, [])
    for courses in batches:
        if args.summary:
            rows = summary_table(courses)
        else:
            rows = results_table(courses, include_stable=args.include_stable)
        write_table(stdout, columns, rows, header=False)
    return 0


def options_from(args: argparse.Namespace) -> Options:
    """Build the engine's Options from the parsed flags."""
    return Options(
        event=args.event, raw_pira=args.raw_pira, baseline=args.baseline,
        proceed_from=args.proceed_from, sub_threshold_rebl=args.sub_threshold_rebl,
        bl_geq=args.bl_geq, relapse_rebl=args.relapse_rebl,
        skip_local_extrema=args.skip_local_extrema, conf_days=tuple(args.conf_days),
        conf_tol_days=tuple(args.conf_tol_days), require_sust_days=args.require_sust_days,
        check_intermediate=args.check_intermediate,
        relapse_to_bl=tuple(args.relapse_to_bl), relapse_to_event=tuple(args.relapse_to_event),
        relapse_to_conf=tuple(args.relapse_to_conf), relapse_assoc=tuple(args.relapse_assoc),
        relapse_indep=RelapseFreeWindows(
            prec=_window(args.relapse_indep_prec), event=_window(args.relapse_indep_event),
            conf=_window(args.relapse_indep_conf), prec_type=args.relapse_indep_prec_type,
        ),
        impute_last_visit=args.impute_last_visit, impute_seed=args.impute_seed,
        delta_fun=_custom_delta(args), worsening=args.worsening,
        include_stable=args.include_stable,
    )  # fmt: skip


def _window(pair: list[str]) -> tuple[float | None, float | None]:
    try:
        return tuple(None if p.lower() == "none" else float(p) for p in pair)  # type: ignore
    except ValueError as error:
        raise InputError(f"a relapse-free window end must be a number or 'none': {pair}") from error


def _custom_delta(args: argparse.Namespace):
    if args.delta is not None:
        return lambda reference: args.delta
    if args.delta_percent is not None:
        return lambda reference: reference * args.delta_percent / 100
    if args.outcome == "custom":
        raise InputError("--outcome custom needs --delta or --delta-percent and --worsening")
    return None


def _read_visits(args: argparse.Namespace, stdin: TextIO) -> Columns:
    def value_column(header: list[str]) -> str:
        return _value_column(name, header, args)

    name = "standard input" if args.visits == "-" else args.visits
    if args.visits == "-":
        return read_columns(stdin, name, args.date_format, value_column)
    with open(args.visits, newline="", encoding="utf-8") as handle:
        return read_columns(handle, name, args.date_format, value_column)


def _value_column(name: str, header: list[str], args: argparse.Namespace) -> str:
    if args.value_column:
        require_columns(name, header, (args.value_column,))
        return args.value_column
    for column in header:
        if column.strip().lower() == args.outcome:
            return column
    if len(header) < 3:
        raise InputError(f"{name}: no '{args.outcome}' column and no third column for the value")
    return header[2]


def _read_relapses(args: argparse.Namespace, names: np.ndarray):
    """Return each relapse's patient as a code into the visits' names (-1: none) and day."""
    if not args.relapses:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    with open(args.relapses, newline="", encoding="utf-8") as handle:
        relapses = read_columns(handle, args.relapses, args.date_format, None)
    codes = pd.Index(names).get_indexer(relapses.names)[relapses.codes]
    return codes, relapses.days


def write_table(stdout: TextIO, columns, rows: list[dict], *, header: bool = True) -> None:
    """Write rows as CSV: integral numbers without '.0', None as an empty cell."""
    writer = csv.writer(stdout, lineterminator="\n")
    if header:
        writer.writerow(columns)
    writer.writerows([_format(row[c]) for c in columns] for row in rows)


def _format(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
