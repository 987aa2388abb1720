"""Benchmark the ISNCSCI engine: classify() alone and the JSON-lines batch path.

Usage: .venv/bin/python benchmarks/isncsci_batch.py [--exams 100000] [--seed 2019]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time

from celltrace.batch.isncsci import classify_lines
from celltrace.clinical.isncsci import classify, parse_exam
from celltrace.clinical.isncsci.segments import DERMATOMES, KEY_MUSCLES

MOTOR = ["0", "1", "2", "3", "4", "5"]
SENSORY = ["0", "1", "2"]
# Rare findings, as on real worksheets: untested points and impairment not due to the SCI.
RARE_MOTOR = ["NT", "NT*", "NT**", "0*", "1*", "2*", "3*", "4*", "0**", "1**", "2**", "3**", "4**"]
RARE_SENSORY = ["NT", "NT*", "NT**", "0*", "1*", "0**", "1**"]
ANAL = ["Yes", "No", "NT"]


def random_exam(rng: random.Random) -> dict:
    """Return a plausible exam: normal above a random injury segment, mixed below."""

    def grade(normal: str, usual: list[str], rare: list[str], above: bool) -> str:
        if rng.random() < 0.03:
            return rng.choice(rare)
        return normal if above else rng.choice(usual)

    def side() -> dict:
        cut = rng.randrange(len(DERMATOMES) + 1)
        position = {name: i for i, name in enumerate(DERMATOMES)}
        return {
            "motor": {m: grade("5", MOTOR, RARE_MOTOR, position[m] < cut) for m in KEY_MUSCLES},
            "lightTouch": {
                d: grade("2", SENSORY, RARE_SENSORY, i < cut) for i, d in enumerate(DERMATOMES)
            },
            "pinPrick": {
                d: grade("2", SENSORY, RARE_SENSORY, i < cut) for i, d in enumerate(DERMATOMES)
            },
        }

    return {
        "right": side(),
        "left": side(),
        "voluntaryAnalContraction": rng.choices(ANAL, weights=[45, 45, 10])[0],
        "deepAnalPressure": rng.choices(ANAL, weights=[45, 45, 10])[0],
    }


def main() -> None:
    """Generate the exams, then time both paths."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--exams", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    raw = [random_exam(rng) for _ in range(args.exams)]
    exams = [parse_exam(e) for e in raw]
    text = "".join(json.dumps({"id": i, "exam": e}) + "\n" for i, e in enumerate(raw, 1))

    start, cpu = time.perf_counter(), time.process_time()
    for exam in exams:
        classify(exam)
    classify_times = time.perf_counter() - start, time.process_time() - cpu

    # The command holds one block of lines at a time, not every exam parsed: free them first.
    del raw, exams
    out = io.StringIO()
    start, cpu = time.perf_counter(), time.process_time()
    code = classify_lines(io.StringIO(text), out)
    batch_times = time.perf_counter() - start, time.process_time() - cpu
    assert code == 0, "every generated exam must be valid"

    # CPU-time rates too: on a shared machine the wall clock also counts other processes.
    n = args.exams
    print(f"{n} exams (seed {args.seed})            wall clock      CPU time")
    for name, (wall, cpu_s) in (
        ("classify():", classify_times),
        ("JSON lines batch:", batch_times),
    ):
        print(f"{name:<18} {n / wall:>10,.0f} exams/s {n / cpu_s:>10,.0f} exams/s")


if __name__ == "__main__":
    main()
