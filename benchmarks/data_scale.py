"""Report and page times at 1,000, 10,000 and 100,000 patients (issue 15 part 5, issue 11 part 7).

Run (PostgreSQL; the scratch database is `test_celltrace_scale`, created and dropped here):
  CELLTRACE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/celltrace_scale \\
  .venv/bin/python benchmarks/data_scale.py [--sizes 1000 10000 100000] [--repeat R]
Without CELLTRACE_DATABASE_URL it runs on a temporary SQLite file.

For each size a fresh scratch database gets a clinic of that many treated MS patients,
written with bulk inserts (testkit/bulk_clinic.py: synthetic, COPY with its history and
hash chain, a benchmark-only path), then the script prints, so that growth is visible:

- the report computed afresh: reading its inputs and build_report, wall clock and CPU;
- the snapshot refresh (what the worker runs after a change: the report, its rows and
  CSV, the figures and the PDF), wall clock and CPU;
- the report page and its JSON download served from the snapshot, p50/p95 over R
  requests through Django's test Client, with their SQL queries per request; the served
  requests are checked not to compute the report (build_report is counted);
- the patient page, the patient list and the overdue check-ups list, the same way.

Each size's lines carry the load average: the machine may be shared, so CPU seconds are
the steadier figure and the wall clock says how busy the machine was. Never a timed test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import report_served as bench  # benchmarks/report_served.py: sets up the scratch settings


def load() -> str:
    """The 1, 5 and 15-minute load averages and the cores, for every figure's context."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def served(client, label: str, url: str, repeat: int) -> dict:
    """Time `repeat` GETs of url; print p50/p95 wall clock, CPU, queries and size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpus, queries = [], [], set()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            response, wall, cpu = bench.timed(lambda: client.get(url))
        assert response.status_code == 200, (url, response.status_code)
        times.append(wall * 1000)
        cpus.append(cpu * 1000)
        queries.add(len(captured))
    figures = {
        "p50": statistics.median(times),
        "p95": bench.percentile(times, 0.95),
        "cpu": statistics.median(cpus),
        "queries": sorted(queries),
        "bytes": len(response.content),
    }
    print(
        f"  {label:<22} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms wall; "
        f"p50 {figures['cpu']:7.1f} ms CPU; {'/'.join(map(str, figures['queries']))} queries; "
        f"{figures['bytes'] / 1e3:,.0f} kB  ({url})"
    )
    return figures


def one_size(size: int, repeat: int, compute_repeat: int) -> None:
    from django.db import connection
    from django.test import Client

    from celltrace.outcomes import reports
    from celltrace.patients.models import Patient
    from testkit.bulk_clinic import build_clinic
    from testkit.signin import sign_in

    print(f"=== {size:,} treated patients ({load()})")
    clinic, wall, cpu = bench.timed(lambda: build_clinic(size))
    print(
        f"{connection.vendor}: built in {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"({sum(clinic.rows.values()):,} rows: "
        + ", ".join(f"{n:,} {label.split('.')[-1]}" for label, n in clinic.rows.items())
        + ")"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give them
    bench.compute_afresh(clinic, compute_repeat, profile=False)

    computed = []
    real = reports.build_report

    def counted(inputs, plan):
        computed.append(1)
        return real(inputs, plan)

    reports.build_report = counted
    try:
        manager = sign_in(Client(HTTP_HOST="localhost"), clinic.manager)
        response, wall, cpu = bench.timed(lambda: manager.get("/outcomes/ms/"))
        assert response.status_code == 200 and computed == [1], (response.status_code, computed)
        print(
            f"snapshot refresh (report, rows, CSV, figures, PDF): {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU ({load()})"
        )
        print(f"served, {repeat} requests each ({load()}):")
        served(manager, "report page", "/outcomes/ms/", repeat)
        served(manager, "report JSON", "/outcomes/ms/report.json", repeat)
        assert manager.get("/outcomes/ms/report.json")["X-Report-Status"] == "current"
        assert computed == [1], "a served request computed the report"
    finally:
        reports.build_report = real
    doctor = sign_in(Client(HTTP_HOST="localhost"), clinic.doctor)
    patient = Patient.objects.filter(site=clinic.site).order_by("pk")[size // 2]
    served(doctor, "patient page", f"/patients/{patient.pk}/", repeat)
    served(doctor, "patient list", "/patients/", repeat)
    served(doctor, "overdue check-ups", "/followup/overdue/", repeat)


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

    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {load()}")
    for size in args.sizes:
        drop = bench.scratch_database()
        try:
            one_size(size, args.repeat, args.compute_repeat)
        finally:
            connection.close()
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
