"""Report and page times at 1,000, 10,000 and 100,000 patients (issue 15: data scale).

Run: CELLTRACE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/celltrace_scale \\
     .venv/bin/python benchmarks/data_scale.py [--sizes 1000 10000 100000] [--repeat R]

For each size, a fresh scratch database (PostgreSQL's `test_<name>`, created and dropped
here; a temporary SQLite file without the variable) gets a clinic built with bulk inserts
(testkit/bulk_clinic.py), then prints what benchmarks/report_served.py prints: the report
computed afresh (reading its inputs, computing it), the snapshot computed once, and the
page and JSON download served from it (p50/p95). Never a timed test.
"""

from __future__ import annotations

import argparse
import sys
import time

import report_served as bench  # benchmarks/report_served.py: sets up the scratch settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--compute-repeat", type=int, default=1)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    import django

    django.setup()
    from django.db import connection

    from testkit.bulk_clinic import build_clinic

    for size in args.sizes:
        print(f"=== {size:,} patients")
        drop = bench.scratch_database()
        try:
            start = time.perf_counter()
            clinic = build_clinic(size)
            print(f"{connection.vendor}: built in {time.perf_counter() - start:.1f} s")
            bench.compute_afresh(clinic, args.compute_repeat, profile=False)
            bench.serve(clinic.manager, args.repeat, profile=False)
        finally:
            connection.close()
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
