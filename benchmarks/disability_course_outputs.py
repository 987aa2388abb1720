"""Record the outputs of `celltrace disability-course`, or compare them with a record.

    .venv/bin/python benchmarks/disability_course_outputs.py record DIR [--large]
    .venv/bin/python benchmarks/disability_course_outputs.py compare DIR [--large]

A change meant to make the command faster must not change a byte of what it writes.
`record` (run before the change) writes the command's output for several registries
and option sets into DIR; `compare` (run after it) runs the same again and prints each
case that differs, exiting 1 if any does. The registries: the benchmark's synthetic
one (10,000 patients, three seeds, ISO dates, one relapse each), the oracle tests'
random ones (same-day visits, shuffled rows, relapses before the first visit) on EDSS,
SDMT, NHPT and T25FW, and with --large the benchmark's 100,000 patients.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.disability_course import make_registry  # noqa: E402
from celltrace.batch import disability_course  # noqa: E402

FIRST_DAY = date(2000, 1, 1).toordinal()

# Option sets (command-line flags), each run on every registry.
FLAGS = {
    "default": [],
    "raw-pira": ["--raw-pira"],
    "first": ["--event", "first"],
    "first-cdi": ["--event", "firstCDI"],
    "first-pira": ["--event", "firstPIRA"],
    "first-raw": ["--event", "firstRAW"],
    "multiple": ["--event", "multiple"],
    "multiple-roving-raw-pira": ["--event", "multiple", "--baseline", "roving", "--raw-pira"],
    "roving-impr": ["--baseline", "roving_impr"],
    "roving-wors-sub": ["--baseline", "roving_wors", "--sub-threshold-rebl", "event"],
    "from-event": ["--proceed-from", "event", "--event", "multiple"],
    "summary": ["--summary"],
    "no-stable": ["--no-include-stable"],
    "sustained": ["--require-sust-days", "168"],
    "sustained-first": ["--require-sust-days", "168", "--event", "first"],
    "no-intermediate": ["--no-check-intermediate"],
    "two-periods": ["--conf-days", "84", "168", "--conf-tol-days", "7", "30"],
    "negative-window": ["--conf-days", "30", "--conf-tol-days", "60", "90"],
    "relapse-rebl": ["--relapse-rebl", "--bl-geq"],
    "relapse-windows": [
        "--relapse-to-bl",
        "30",
        "10",
        "--relapse-to-event",
        "20",
        "5",
        "--relapse-to-conf",
        "30",
        "15",
    ],  # fmt: skip
    "skip-extrema": ["--skip-local-extrema", "all"],
    "impute": ["--impute-last-visit", "1"],
    "impute-random": ["--impute-last-visit", "0.5", "--impute-seed", "3"],
    "impute-limit": ["--impute-last-visit", "1500", "--event", "first"],
    "delta-zero": ["--delta", "0"],
    "delta-zero-first-cdi": ["--delta", "0", "--event", "firstCDI"],
    "delta-half": ["--delta", "0.5", "--event", "firstCDI"],
    "delta-percent": ["--delta-percent", "20", "--event", "first"],
}
OUTCOMES = ("edss", "sdmt", "nhpt", "t25fw")


def registries(folder: Path, *, large: bool) -> list[tuple[str, str, list[Path]]]:
    """Write the registries' CSVs into folder; return (name, outcome, [visits, relapses])."""
    found = []
    for seed in (7, 1, 2):
        found.append((f"synthetic-{seed}", "edss", _synthetic(folder, 10_000, seed)))
    for outcome in OUTCOMES:
        found.append((f"oracle-{outcome}", outcome, _oracle_like(folder, outcome)))
    if large:
        found.append(("synthetic-100000", "edss", _synthetic(folder, 100_000, 7)))
    return found


def _synthetic(folder: Path, patients: int, seed: int) -> list[Path]:
    ids, days, values, rel_ids, rel_days = make_registry(patients, seed)
    visits, relapses = folder / f"s{patients}-{seed}.csv", folder / f"s{patients}-{seed}-r.csv"
    pd.DataFrame({"id": ids, "date": _iso(days), "edss": values}).to_csv(visits, index=False)
    pd.DataFrame({"id": rel_ids, "date": _iso(rel_days)}).to_csv(relapses, index=False)
    return [visits, relapses]


def _oracle_like(folder: Path, outcome: str) -> list[Path]:
    from celltrace.clinical.tests.test_disability_course_oracle import make_registry as random

    visits, relapses = [], []
    for seed in range(40):
        v, r = random(seed, outcome, patients=60, max_visits=25)
        visits.append(v.assign(id=v["id"] + f"-{seed}"))
        relapses.append(r.assign(id=r["id"] + f"-{seed}"))
    v, r = pd.concat(visits), pd.concat(relapses)
    v_path, r_path = folder / f"o-{outcome}.csv", folder / f"o-{outcome}-r.csv"
    v.rename(columns={"day": "date", "value": outcome}).to_csv(v_path, index=False)
    r.rename(columns={"day": "date"}).to_csv(r_path, index=False)
    return [v_path, r_path]


def _iso(days: np.ndarray) -> list[str]:
    unique, codes = np.unique(days, return_inverse=True)
    names = np.array([date.fromordinal(FIRST_DAY + int(d)).isoformat() for d in unique])
    return names[codes].tolist()


def run(outcome: str, paths: list[Path], flags: list[str]) -> str:
    parser = argparse.ArgumentParser()
    disability_course.add_arguments(parser)
    argv = [str(paths[0]), "--relapses", str(paths[1]), "--outcome", outcome, *flags]
    if paths[0].name.startswith("o-"):
        argv += ["--date-format", "day"]
    out = io.StringIO()
    code = disability_course.run(parser.parse_args(argv), io.StringIO(), out)
    return f"exit {code}\n{out.getvalue()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("record", "compare"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--large", action="store_true", help="add 100,000 patients")
    parser.add_argument("--only", nargs="+", choices=FLAGS, help="these option sets only")
    args = parser.parse_args()
    data = args.folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    differ = 0
    for name, outcome, paths in registries(data, large=args.large):
        for option_name, flags in FLAGS.items():
            if args.only and option_name not in args.only:
                continue
            if name == "synthetic-100000" and option_name not in ("default", "raw-pira"):
                continue
            output = run(outcome, paths, flags)
            record = args.folder / f"{name}--{option_name}.out"
            if args.action == "record":
                record.write_text(output)
                continue
            same = record.read_text() == output
            differ += not same
            print(f"{'same   ' if same else 'DIFFERS'} {name} {option_name}", flush=True)
    if args.action == "compare":
        print(f"{differ} case(s) differ")
        sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
