"""Seconds to compute an outcome report's snapshot once, then milliseconds to serve it.

Run: .venv/bin/python benchmarks/report_served.py [--patients N] [--repeat R]
Builds a clinic of N treated MS patients (testkit's builders for each patient's journey,
then their EDSS readings at baseline, 3, 6 and 12 months in one bulk_create) in a temporary
SQLite database, computes the report's snapshot once (the task the worker runs: report,
CSV, figures, PDF) and prints its seconds, then asks for the page and the JSON download R
times each through Django's test Client and prints p50/p95 milliseconds. Serving reads the
snapshot: its cost should not grow with N. The computation's own speed is build_report's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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


def build_clinic(patients: int):
    from django.core.management import call_command

    from celltrace.accounts.models import Role, Site, User
    from celltrace.deployment.starting import load_starting_policy
    from celltrace.outcomes.models import Measurement
    from celltrace.outcomes.tests.reporting import treat

    call_command("migrate", verbosity=0)
    load_starting_policy()
    site = Site.objects.create(
        code="lisbon", name="Lisbon clinic", country="Portugal", isbt_fin="X9991"
    )

    def user(name, role):
        return User.objects.create_user(username=name, password="x", role=role, site=site)

    doctor, nurse, tech = (
        user("d", Role.DOCTOR),
        user("n", Role.NURSE),
        user("t", Role.LAB_TECHNICIAN),
    )
    manager = user("m", Role.MANAGER)
    first = dt.datetime(2025, 1, 10, 9, tzinfo=dt.UTC)
    readings = []
    for number in range(patients):
        given = first + dt.timedelta(days=number % 60)
        patient = treat(site, doctor, nurse, tech, given_at=given)
        for day, value in ((-10, 4.0), (90, 4.0), (180, 4.5), (365, 4.0 + number % 3 * 0.5)):
            readings.append(
                Measurement(
                    patient=patient, instrument="edss", value=value, timepoint="follow_up",
                    measured_on=given.date() + dt.timedelta(days=day), details={},
                    recorded_by=doctor,
                )
            )  # fmt: skip
    Measurement.objects.bulk_create(readings)
    return manager


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    import django

    django.setup()
    from django.test import Client

    from testkit.signin import sign_in

    start = time.perf_counter()
    manager = build_clinic(args.patients)
    print(f"built {args.patients} treated patients in {time.perf_counter() - start:.1f} s")
    client = Client(HTTP_HOST="localhost")
    sign_in(client, manager)
    start = time.perf_counter()
    assert client.get("/outcomes/ms/").status_code == 200  # no snapshot: computed at once here
    print(
        f"snapshot computed once (report, CSV, figures, PDF): {time.perf_counter() - start:.2f} s"
    )
    for label, url in (("page", "/outcomes/ms/"), ("JSON download", "/outcomes/ms/report.json")):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        print(
            f"{label}: p50 {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms over {args.repeat}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
