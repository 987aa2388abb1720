"""SHA-256 fingerprints of the report's inputs, JSON and CSV: run before and after a change.

Run: .venv/bin/python benchmarks/report_fingerprint.py [--code ROOT] [--patients N ...]
     [--cohorts N ...]

A speed-up of reading or computing the report must not change one byte of it. This prints,
for the code under ROOT (default: this worktree; give a checkout of the commit before the
change to get the "before" lines):

- per bulk-built clinic of N patients (testkit/bulk_clinic.py, on the database the settings
  name: a scratch SQLite file, or `test_<name>` when CELLTRACE_DATABASE_URL names
  PostgreSQL), the hashes of report_inputs (every record, every reading), of build_report's
  JSON and of the CSV, for the deployment and for the clinic's manager;
- per seeded cohort of N patients of each plan condition (testkit/registry_cohort.py), the
  hashes of build_report's JSON and of the CSV.

Identical lines before and after mean identical output. Not a test: the golden files in
celltrace/clinical/tests/reference pin small cohorts; this checks the large ones.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def inputs_text(inputs) -> str:
    """Every field of the inputs, the readings as records, in a stable text."""
    parts = []
    for f in dataclasses.fields(inputs):
        if f.name in ("columns", "readings"):
            continue
        parts.append(f"{f.name}={getattr(inputs, f.name)!r}")
    parts.extend(repr(reading) for reading in inputs.readings)
    return "\n".join(parts)


def report_texts(inputs, plan) -> tuple[str, str]:
    from celltrace.clinical.registry.report import build_report
    from celltrace.clinical.registry.rows import patient_rows, write_rows_csv

    out = io.StringIO()
    write_rows_csv(patient_rows(inputs, plan), out)
    return json.dumps(build_report(inputs, plan), indent=1), out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--patients", type=int, nargs="*", default=[300])
    parser.add_argument("--cohorts", type=int, nargs="*", default=[2000])
    args = parser.parse_args()
    sys.path.insert(0, args.code)
    sys.path.insert(0, str(Path(args.code) / "benchmarks"))
    os.environ.setdefault("CELLTRACE_TESTING", "true")
    os.environ.setdefault("CELLTRACE_DATA_DIR", tempfile.mkdtemp(prefix="celltrace-fp-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "celltrace.test_settings")
    import django

    django.setup()
    import report_served as bench
    from django.db import connection

    from celltrace.outcomes.locked_plan import current_plan
    from celltrace.outcomes.report_inputs import report_inputs
    from testkit.bulk_clinic import build_clinic
    from testkit.registry_cohort import latest_plan, registry_cohort

    for size in args.patients:
        drop = bench.scratch_database()
        try:
            import datetime as dt

            clinic = build_clinic(size, cutoff=dt.date(2026, 11, 1))
            plan = current_plan()
            for who, user in (("deployment", None), ("manager", clinic.manager)):
                inputs = report_inputs(clinic.condition, user, cutoff=clinic.cutoff)
                report, csv_text = report_texts(inputs, plan)
                print(
                    f"clinic {size} {connection.vendor} {who}: inputs {digest(inputs_text(inputs))}"
                    f" report {digest(report)} csv {digest(csv_text)}"
                )
            for product in ("MSC-UC", None):
                for route in ("it", None):
                    inputs = report_inputs(
                        clinic.condition, None, cutoff=clinic.cutoff - dt.timedelta(days=200),
                        product=product, route=route,
                    )  # fmt: skip
                    print(
                        f"clinic {size} {connection.vendor} earlier cut-off {product} {route}: "
                        f"inputs {digest(inputs_text(inputs))}"
                    )
        finally:
            connection.close()
            drop()
    plan = latest_plan()
    for size in args.cohorts:
        for condition in ("ms", "sci", "parkinsons", "t2d", "ckd", "lyme"):
            inputs = registry_cohort(seed=size, patients=size, condition=condition)
            report, csv_text = report_texts(inputs, plan)
            print(f"cohort {size} {condition}: report {digest(report)} csv {digest(csv_text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
