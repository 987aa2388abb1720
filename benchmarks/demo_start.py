"""Seconds for `celltrace demo --reset --no-serve` to build the demo clinic, and what it built.

Run: .venv/bin/python benchmarks/demo_start.py [--repeat R]
Runs the command in a fresh data directory: once on a new database (migrations included),
then R times with --reset on the existing one, as a developer restarting the demo does. It
prints each run's wall-clock and CPU seconds and the best --reset run (the machine is shared,
so the best run is the least disturbed), then the size of the clinic.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTS = {
    "consultation requests": "select count(*) from intake_consultationrequest",
    "patients": "select count(*) from patients_patient",
    "screening decisions": "select count(*) from screening_screening where purpose = 'planning'",
    "treatment plans": "select count(*) from plans_treatmentplan",
    "lots": "select count(*) from lab_productlot",
    "stays (discharged)": "select count(*) || ' (' || count(discharged_at) || ')' from stays_stay",
    "administrations": "select count(*) from stays_administration",
    "follow-up items done": "select count(completed_at) from followup_followupitem",
    "measurements": "select count(*) from outcomes_measurement",
    "service bookings": "select count(*) from care_servicebooking",
    "therapy sessions (given)": "select count(*) || ' (' || sum(status = 'given') || ')' "
    "from care_therapysession",
    "daily rounds": "select count(*) from care_dailyround",
}


def run_demo(data_dir: str, *, reset: bool) -> tuple[float, float]:
    """Return wall-clock and CPU seconds of one `celltrace demo --no-serve`."""
    command = [sys.executable, "-m", "celltrace.cli", "demo", "--no-serve"]
    command += ["--reset"] if reset else []
    env = {**os.environ, "CELLTRACE_DATA_DIR": data_dir}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def audit_rows(database: sqlite3.Connection) -> int:
    tables = database.execute(
        "select name from sqlite_master where type = 'table' and name like '%_historical%'"
    ).fetchall()
    return sum(database.execute(f'select count(*) from "{t}"').fetchone()[0] for (t,) in tables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="celltrace-demo-bench-") as data_dir:
        wall, cpu = run_demo(data_dir, reset=False)
        print(f"new database (migrate + build): {wall:6.2f} s wall, {cpu:6.2f} s CPU")
        best = float("inf")
        for n in range(1, args.repeat + 1):
            wall, cpu = run_demo(data_dir, reset=True)
            best = min(best, wall)
            print(f"--reset run {n}:                  {wall:6.2f} s wall, {cpu:6.2f} s CPU")
        print(f"best --reset run:               {best:6.2f} s wall")
        database = sqlite3.connect(Path(data_dir) / "demo.sqlite3")
        for label, query in COUNTS.items():
            print(f"  {label:<24} {database.execute(query).fetchone()[0]}")
        print(f"  {'audit history rows':<24} {audit_rows(database)}")
        database.close()


if __name__ == "__main__":
    main()
