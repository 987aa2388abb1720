"""Seconds to compute an outcome report afresh, then milliseconds to serve its snapshot.

Run: .venv/bin/python benchmarks/report_served.py [--patients N] [--repeat R]
     [--compute-repeat C] [--profile]

Builds a clinic of N treated MS patients with bulk inserts (testkit/bulk_clinic.py: about
26 s CPU per 10,000 patients) in a scratch database: a temporary SQLite file, or, when
CELLTRACE_DATABASE_URL names a PostgreSQL server, a `test_<name>` database created for the
run and dropped after it (the database the URL names is never written; with
CELLTRACE_SCRATCH_TEMPLATE=<a migrated database> it is copied from that one, not migrated
anew, which takes minutes on a busy machine). Then it prints:

- the report computed afresh (issue 11: under 2 s at 100,000 patients): reading its
  inputs (report_inputs), computing it (build_report), and both, wall clock and CPU, the
  best of C runs (the machine may be shared: CPU time is the steadier figure);
- the snapshot computed once (what the worker runs: the report, its rows and CSV, the
  figures and the PDF), wall clock and CPU;
- the report served from the snapshot (issue 11: under 200 ms): p50/p95 milliseconds of
  the page and of the JSON download over R requests each, through Django's test Client.

--profile prints where reading the inputs and computing the snapshot spend their time
(cProfile, top 25 by cumulative time). Never a timed test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["CELLTRACE_TESTING"] = "true"
os.environ["CELLTRACE_DATA_DIR"] = tempfile.mkdtemp(prefix="celltrace-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "celltrace.test_settings"


def scratch_database() -> callable:
    """Migrate a scratch database; return what drops (PostgreSQL) or empties (SQLite) it."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":  # a file in this run's temporary directory
        call_command("migrate", verbosity=0)
        return lambda: call_command("flush", interactive=False, verbosity=0)
    # Django's test database: `test_<name>`, created here and dropped by the returned call.
    original = connection.settings_dict["NAME"]
    template = os.environ.get("CELLTRACE_SCRATCH_TEMPLATE")
    if template:  # a copy of an already migrated database: minutes of migrations saved
        name = connection.creation._get_test_db_name()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        connection.close()
        connection.settings_dict["NAME"] = name
        call_command("migrate", verbosity=0)  # whatever the template lacks
    else:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return lambda: connection.creation.destroy_test_db(original, verbosity=0)


def timed(work):
    """(result, wall seconds, CPU seconds) of one run of work()."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def profiled(work, title: str):
    profiler = cProfile.Profile()
    result = profiler.runcall(work)
    print(f"--- profile: {title}")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    return result


def compute_afresh(clinic, repeat: int, *, profile: bool) -> None:
    """Print the best of `repeat` runs of reading the inputs and computing the report."""
    from celltrace.clinical.registry.report import build_report
    from celltrace.outcomes.locked_plan import current_plan
    from celltrace.outcomes.report_inputs import report_inputs

    plan = current_plan()

    def read():
        return report_inputs(clinic.condition, None, cutoff=clinic.cutoff)

    if profile:
        profiled(read, "report_inputs")
    runs = []
    for _ in range(repeat):
        inputs, read_wall, read_cpu = timed(read)
        report, build_wall, build_cpu = timed(lambda inputs=inputs: build_report(inputs, plan))
        runs.append((read_wall + build_wall, read_cpu + build_cpu, read_wall, read_cpu,
                     build_wall, build_cpu))  # fmt: skip
    total_wall, total_cpu, read_wall, read_cpu, build_wall, build_cpu = min(
        runs, key=lambda run: run[1]
    )
    assert report["flow"]["treated"] == clinic.treated, report["flow"]
    print(
        f"computed afresh (best of {repeat} by CPU): report_inputs {read_wall:.2f} s wall "
        f"{read_cpu:.2f} s CPU; build_report {build_wall:.2f} s wall {build_cpu:.2f} s CPU; "
        f"total {total_wall:.2f} s wall {total_cpu:.2f} s CPU "
        f"({len(inputs.readings):,} readings)"
    )


def serve(manager, repeat: int, *, profile: bool) -> None:
    """Compute the snapshot once (the first page view), then time the page and the JSON."""
    from django.test import Client

    from testkit.signin import sign_in

    client = Client(HTTP_HOST="localhost")
    sign_in(client, manager)  # password, then the staff's second factor

    def first_view():  # no snapshot yet: the tests' task backend computes it at once
        response = client.get("/outcomes/ms/")
        assert response.status_code == 200, response.status_code
        return response

    if profile:
        _, wall, cpu = timed(lambda: profiled(first_view, "snapshot (first page view)"))
    else:
        _, wall, cpu = timed(first_view)
    print(
        f"snapshot computed once (report, rows, CSV, figures, PDF): {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU"
    )
    for label, url in (("page", "/outcomes/ms/"), ("JSON download", "/outcomes/ms/report.json")):
        times, cpus, size = [], [], 0
        for _ in range(repeat):
            response, wall, cpu = timed(lambda url=url: client.get(url))
            assert response.status_code == 200, response.status_code
            assert response.get("X-Report-Status", "current") == "current"
            times.append(wall * 1000)
            cpus.append(cpu * 1000)
            size = len(response.content)
        print(
            f"served {label}: p50 {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms wall; p50 {statistics.median(cpus):.1f} ms "
            f"CPU over {repeat} requests ({size / 1e6:.2f} MB)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--compute-repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # each figure as soon as it is measured
    import django

    django.setup()
    from django.db import connection

    from testkit.bulk_clinic import build_clinic

    drop = scratch_database()
    try:
        clinic, wall, cpu = timed(lambda: build_clinic(args.patients))
        print(
            f"{connection.vendor}: built {clinic.treated:,} treated patients in {wall:.1f} s "
            f"wall, {cpu:.1f} s CPU ({sum(clinic.rows.values()):,} rows: "
            + ", ".join(f"{n:,} {label.split('.')[-1]}" for label, n in clinic.rows.items())
            + ")"
        )
        compute_afresh(clinic, args.compute_repeat, profile=args.profile)
        serve(clinic.manager, args.repeat, profile=args.profile)
    finally:
        connection.close()
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
