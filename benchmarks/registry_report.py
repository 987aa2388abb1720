"""Seconds and memory of the cumulative statistical report at registry scale (issue 11).

Run: .venv/bin/python benchmarks/registry_report.py [--patients N] [--condition C]
     [--seed S] [--repeat R] [--profile]

Builds the seeded test cohort (testkit/registry_cohort.py: MS by default, 8 outcome
instruments, 4 time points) outside the timing, then prints:

- build_report computed afresh (the best of --repeat runs: the machine is shared, so the
  best run is the least disturbed) and its peak memory (tracemalloc, one separate run);
- patient_rows and writing their CSV, timed apart;
- nothing served: the report is served from a snapshot in the database, which needs a
  clinic in one; benchmarks/data_scale.py and benchmarks/report_served.py time that.

--profile prints where build_report spends its time (cProfile, top 25 by cumulative time).
Never a timed test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import tracemalloc
from pathlib import Path

# Import this worktree's code (and testkit), not whichever copy the venv points at.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from celltrace.clinical.registry.inputs import ReportInputs  # noqa: E402
from celltrace.clinical.registry.plan import AnalysisPlan  # noqa: E402
from celltrace.clinical.registry.report import build_report  # noqa: E402
from celltrace.clinical.registry.rows import patient_rows, write_rows_csv  # noqa: E402
from testkit.registry_cohort import latest_plan, registry_cohort  # noqa: E402


def best_of(repeat: int, work) -> float:
    """The shortest of `repeat` runs of work(), in seconds."""
    return min(timed(work)[0] for _ in range(repeat))


def timed(work) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of work(); on a shared machine the CPU time
    is the steadier figure (the wall clock counts the time other processes held the cores)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def peak_memory_mb(work) -> float:
    """Peak memory allocated by one run of work() (tracemalloc), in MB."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def time_rows_and_csv(inputs: ReportInputs, plan: AnalysisPlan, repeat: int) -> tuple[float, float]:
    """Seconds to build the CSV's rows, and to write them as CSV text, each best of `repeat`."""
    rows = patient_rows(inputs, plan)
    rows_seconds = best_of(repeat, lambda: patient_rows(inputs, plan))
    csv_seconds = best_of(repeat, lambda: write_rows_csv(rows, io.StringIO()))
    return rows_seconds, csv_seconds


def profile_report(inputs: ReportInputs, plan: AnalysisPlan) -> None:
    """Print where build_report spends its time."""
    profiler = cProfile.Profile()
    profiler.runcall(build_report, inputs, plan)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--condition", default="ms")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    plan = latest_plan()
    one, five, fifteen = os.getloadavg()
    print(f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores")
    start = time.perf_counter()
    inputs = registry_cohort(seed=args.seed, patients=args.patients, condition=args.condition)
    built = time.perf_counter() - start
    rows = len(plan.condition(args.condition).outcomes) * len(plan.timepoints) * args.patients
    print(
        f"cohort: {args.patients:,} {args.condition} patients, {len(inputs.readings):,} "
        f"readings, {rows:,} CSV rows (built in {built:.1f} s, not timed)"
    )
    if args.profile:
        profile_report(inputs, plan)
    runs = [timed(lambda: build_report(inputs, plan)) for _ in range(args.repeat)]
    wall, cpu = min(runs)
    print(
        f"build_report, computed afresh: {wall:.2f} s wall clock, {cpu:.2f} s CPU "
        f"(best of {args.repeat})"
    )
    print(f"build_report, peak memory: {peak_memory_mb(lambda: build_report(inputs, plan)):.0f} MB")
    print("served from its snapshot: see benchmarks/data_scale.py (a clinic in a database)")
    rows_seconds, csv_seconds = time_rows_and_csv(inputs, plan, args.repeat)
    print(f"patient_rows: {rows_seconds:.2f} s; CSV writing: {csv_seconds:.2f} s")


if __name__ == "__main__":
    main()
