"""Cases per second of `celltrace edss` over 100,000 random scoring sheets.

Run: .venv/bin/python benchmarks/edss_batch.py [--cases N] [--seed S] [--repeat R]
Prints the whole batch path (JSON line in -> JSON line out) and the engine alone, each the
best of --repeat runs (the machine is shared, so the best run is the least disturbed).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import time

from celltrace.batch import edss as batch
from celltrace.clinical.edss import FunctionalSystems, score_edss

HIGHEST = {
    "visual": 6,
    "brainstem": 5,
    "pyramidal": 6,
    "cerebellar": 5,
    "sensory": 6,
    "bowel_bladder": 6,
    "cerebral": 5,
    "ambulation": 16,
}


def random_sheets(count: int, seed: int) -> list[dict]:
    """Make `count` valid scoring sheets, uniform over every scale."""
    rng = random.Random(seed)
    return [
        {"id": f"p{n}", **{name: rng.randint(0, top) for name, top in HIGHEST.items()}}
        for n in range(count)
    ]


def time_batch(sheets: list[dict]) -> float:
    """Return seconds for the batch command over the sheets as JSON lines."""
    text = "".join(json.dumps(sheet) + "\n" for sheet in sheets)
    args = argparse.Namespace(file="-")
    stdout = io.StringIO()
    start = time.perf_counter()
    code = batch.run(args, io.StringIO(text), stdout)
    elapsed = time.perf_counter() - start
    assert code == 0, "every random sheet is valid, so the batch must exit 0"
    assert stdout.getvalue().count("\n") == len(sheets)
    return elapsed


def time_engine(sheets: list[dict]) -> float:
    """Return seconds to build and score every sheet without JSON."""
    grades = [{name: sheet[name] for name in HIGHEST} for sheet in sheets]
    start = time.perf_counter()
    for sheet in grades:
        score_edss(FunctionalSystems(**sheet))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20_240_601)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sheets = random_sheets(args.cases, args.seed)
    batch_seconds = min(time_batch(sheets) for _ in range(args.repeat))
    engine_seconds = min(time_engine(sheets) for _ in range(args.repeat))
    print(f"edss batch : {args.cases / batch_seconds:12,.0f} cases/s ({batch_seconds:.2f} s)")
    print(f"edss engine: {args.cases / engine_seconds:12,.0f} cases/s ({engine_seconds:.2f} s)")


if __name__ == "__main__":
    main()
