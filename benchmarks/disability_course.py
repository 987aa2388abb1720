"""Benchmark the disability-course engine: patients per second and peak memory.

    .venv/bin/python benchmarks/disability_course.py [--sizes 1000 10000 100000] [--no-oracle]

Synthetic registries have about 16 EDSS visits and one relapse per patient. pymsprog
(the test oracle) is timed on the same registry for sizes up to 10,000 patients when
its projected time stays under two minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

# This checkout's engine, not the one installed in the virtual environment.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from celltrace.clinical.disability_course import Options, assess_arrays  # noqa: E402

ORACLE_BUDGET_SECONDS = 120
OPTION_SETS = {
    "default": Options(),
    "multiple-roving-rawpira": Options(event="multiple", baseline="roving", raw_pira=True),
}


def make_registry(patients: int, seed: int = 7):
    """Return visit and relapse columns for a synthetic EDSS registry."""
    rng = np.random.default_rng(seed)
    counts = np.clip(rng.poisson(16, patients), 1, None)
    codes = np.repeat(np.arange(patients), counts)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    gaps = rng.choice([60, 90, 120, 180, 200], size=len(codes)).astype(float)
    gaps[starts] = rng.integers(0, 365, patients)
    days = _cumsum_within(gaps, starts, counts)
    steps = rng.choice([-1.0, -0.5, 0, 0, 0, 0, 0.5, 0.5, 1.0], size=len(codes))
    steps[starts] = rng.integers(0, 12, patients) / 2
    values = np.clip(_cumsum_within(steps, starts, counts), 0, 10)
    ids = np.array([f"P{k:06d}" for k in range(patients)])[codes]
    rel_codes = rng.integers(0, patients, patients)
    rel_days = days[starts[rel_codes]] + rng.integers(0, 2500, patients)
    return ids, days, values, ids[starts[rel_codes]], rel_days.astype(float)


def _cumsum_within(x: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    total = np.cumsum(x)
    offset = np.repeat(total[starts] - x[starts], counts)
    return total - offset


def time_ours(registry, options: Options) -> tuple[float, float]:
    """Return the wall-clock and CPU seconds of one run (CPU: the machine may be shared)."""
    began, cpu = time.perf_counter(), time.process_time()
    assess_arrays(*registry, outcome="edss", options=options)
    return time.perf_counter() - began, time.process_time() - cpu


def peak_memory_mb(registry, options: Options) -> float:
    tracemalloc.start()
    assess_arrays(*registry, outcome="edss", options=options)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def time_pymsprog(registry, options: Options) -> float:
    import pandas as pd
    from pymsprog import MSprog

    ids, days, values, rel_ids, rel_days = registry
    visits = pd.DataFrame({"id": ids, "day": days, "value": values})
    relapses = pd.DataFrame({"id": rel_ids, "day": rel_days})
    kwargs = {"event": options.event, "baseline": options.baseline, "RAW_PIRA": options.raw_pira}
    began = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        MSprog(visits, "id", "value", "day", "edss", relapse=relapses, date_format="day",
               verbose=0, **kwargs)  # fmt: skip
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--no-oracle", action="store_true", help="do not time pymsprog")
    args = parser.parse_args()
    oracle_rate = None
    print(f"{'patients':>9} {'visits':>9} {'options':<24} {'seconds':>8} {'CPU s':>6} "
          f"{'patients/s':>11} {'peak MiB':>9} {'pymsprog s':>11} {'speed-up':>9}")  # fmt: skip
    for size in sorted(args.sizes):
        registry = make_registry(size)
        for name, options in OPTION_SETS.items():
            seconds, cpu_seconds = time_ours(registry, options)
            peak = peak_memory_mb(registry, options)
            oracle = ""
            projected = None if oracle_rate is None else size / oracle_rate
            wanted = not args.no_oracle and size <= 10000 and name == "default"
            if wanted and (projected is None or projected < ORACLE_BUDGET_SECONDS):
                oracle_seconds = time_pymsprog(registry, options)
                oracle_rate = size / oracle_seconds
                oracle = f"{oracle_seconds:11.2f} {oracle_seconds / seconds:8.0f}x"
            print(f"{size:>9} {len(registry[0]):>9} {name:<24} {seconds:8.3f} {cpu_seconds:6.2f} "
                  f"{size / seconds:11.0f} {peak:9.1f} {oracle}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
