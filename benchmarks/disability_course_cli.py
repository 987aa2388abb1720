"""Benchmark `celltrace disability-course` end to end: CSV in, CSV out, in a subprocess.

    .venv/bin/python benchmarks/disability_course_cli.py [--sizes 10000 100000 1000000]
        [--keep DIR]

Writes the synthetic registry of benchmarks/disability_course.py (about 16.5 EDSS visits
and one relapse per patient) as CSVs with ISO dates, runs the command on them and prints
wall seconds, CPU seconds (the machine may be shared) and peak memory (max RSS) of the
command, as /usr/bin/time measures them. The smallest size's output is checked against
the engine's own results table.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.disability_course import make_registry  # noqa: E402
from celltrace.batch.disability_course import write_table  # noqa: E402
from celltrace.clinical.disability_course import assess_arrays, results_table  # noqa: E402
from celltrace.clinical.disability_course.tables import RESULT_COLUMNS  # noqa: E402

FIRST_DAY = date(2000, 1, 1).toordinal()


def write_registry(folder: Path, registry) -> tuple[Path, Path]:
    """Write visits (id,date,edss) and relapses (id,date) with ISO dates."""
    ids, days, values, rel_ids, rel_days = registry
    visits, relapses = folder / "visits.csv", folder / "relapses.csv"
    pd.DataFrame({"id": ids, "date": _iso(days), "edss": values}).to_csv(visits, index=False)
    pd.DataFrame({"id": rel_ids, "date": _iso(rel_days)}).to_csv(relapses, index=False)
    return visits, relapses


def _iso(days: np.ndarray) -> pd.Categorical:
    unique, codes = np.unique(days, return_inverse=True)
    names = [date.fromordinal(FIRST_DAY + int(d)).isoformat() for d in unique]
    return pd.Categorical.from_codes(codes, names)


def run_command(visits: Path, relapses: Path, output: Path) -> tuple[float, float, float]:
    """Return the wall seconds, CPU seconds and peak RSS (MiB) of one run of the command."""
    # /usr/bin/time reports the command's own peak: a child forked from this process
    # would count the registry held here in its ru_maxrss.
    stats = output.with_suffix(".time")
    command = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(stats), sys.executable, "-m",
               "celltrace.cli", "disability-course", str(visits), "--relapses", str(relapses),
               "--outcome", "edss"]  # fmt: skip
    with output.open("w") as handle:
        # From the checkout, so that `-m celltrace` is this tree's, not an installed one.
        subprocess.run(command, stdout=handle, check=True, cwd=ROOT)
    wall, user, system, peak_kib = stats.read_text().split()[-4:]
    return float(wall), float(user) + float(system), int(peak_kib) / 1024


def engine_table(registry) -> str:
    """Return the results table the engine makes directly, as the command writes it."""
    ids, days, values, rel_ids, rel_days = registry
    courses = assess_arrays(
        ids, days + FIRST_DAY, values, rel_ids, rel_days + FIRST_DAY, outcome="edss"
    )
    out = io.StringIO()
    write_table(out, RESULT_COLUMNS, results_table(courses))
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000, 1000000])
    parser.add_argument("--keep", type=Path, help="write the CSVs here and keep them")
    args = parser.parse_args()
    print(f"{'patients':>9} {'visits':>10} {'rows out':>9} {'seconds':>8} {'CPU s':>7} "
          f"{'peak MiB':>9}  check")  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        for position, size in enumerate(sorted(args.sizes)):
            folder = (args.keep or Path(scratch)) / str(size)
            folder.mkdir(parents=True, exist_ok=True)
            registry = make_registry(size)
            visits, relapses = write_registry(folder, registry)
            output = folder / "results.csv"
            wall, cpu, peak = run_command(visits, relapses, output)
            check = ""
            if position == 0:
                same = output.read_text() == engine_table(registry)
                check = "identical to the engine" if same else "DIFFERS from the engine"
            with output.open() as handle:
                rows = sum(1 for _ in csv.reader(handle)) - 1
            print(f"{size:>9} {len(registry[0]):>10} {rows:>9} {wall:8.1f} {cpu:7.1f} "
                  f"{peak:9.0f}  {check}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
