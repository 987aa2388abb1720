"""The report and CSV of seeded cohorts as the per-patient implementation computed them.

The vectorised report (issue 11, "Speed") must give the same JSON and the same CSV bytes
as the per-patient code it replaced. The expected files in reference/registry_report/ were
first written by `python -m celltrace.clinical.tests.registry_golden` at commit 4dfbbaa,
before the change, and the vectorised code matched them.

They have since been regenerated, only for a deliberate change of the report's numbers or
keys (e.g. one exact-binomial wrapper, whose alpha differs from the old one in the last
digit; the worst case counting the dead). Each regeneration's commit message says which
keys changed and that nothing else did (the CSV bytes included); from then on the files pin
the report against unintended change. Never regenerate them to make an unexplained
difference go away.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import random
from datetime import timedelta
from pathlib import Path

from celltrace.clinical.registry.inputs import Relapse, ReportInputs
from celltrace.clinical.registry.report import build_report
from celltrace.clinical.registry.rows import patient_rows, write_rows_csv
from testkit.registry_cohort import latest_plan, registry_cohort

GOLDEN = Path(__file__).resolve().parent / "reference" / "registry_report"
# (name, seed, patients, condition, with relapses): every plan condition, two MS seeds,
# relapses so that the disability-course engine types RAW and moves baselines.
COHORTS = (
    ("ms-11", 11, 80, "ms", False),
    ("ms-23-relapses", 23, 120, "ms", True),
    ("sci-5", 5, 60, "sci", False),
    ("parkinsons-7", 7, 50, "parkinsons", False),
    ("t2d-3", 3, 40, "t2d", False),
    ("ckd-9", 9, 45, "ckd", False),
    ("lyme-2", 2, 25, "lyme", False),
)


def golden_cohort(seed: int, patients: int, condition: str, relapses: bool) -> ReportInputs:
    """The seeded cohort, with seeded relapse onsets when asked."""
    cohort = registry_cohort(seed=seed, patients=patients, condition=condition)
    if not relapses:
        return cohort
    rng = random.Random(seed)
    onsets = tuple(
        Relapse(p.patient_id, p.first_administration + timedelta(days=rng.randint(-120, 700)))
        for p in cohort.patients
        for _ in range(rng.choice((0, 0, 1, 2)))
    )
    return dataclasses.replace(cohort, relapses=onsets)


def report_and_csv(inputs: ReportInputs) -> tuple[str, str]:
    """The report as canonical JSON text and the CSV text."""
    plan = latest_plan()
    out = io.StringIO()
    write_rows_csv(patient_rows(inputs, plan), out)
    return json.dumps(build_report(inputs, plan), indent=1), out.getvalue()


def expected(name: str) -> tuple[str, str]:
    """The stored JSON text and CSV text of one golden cohort."""
    stored = json.loads(gzip.decompress((GOLDEN / f"{name}.json.gz").read_bytes()))
    return stored["report"], stored["csv"]


def write_all() -> None:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, seed, patients, condition, relapses in COHORTS:
        report, csv_text = report_and_csv(golden_cohort(seed, patients, condition, relapses))
        data = json.dumps({"report": report, "csv": csv_text}).encode()
        (GOLDEN / f"{name}.json.gz").write_bytes(gzip.compress(data, mtime=0))


if __name__ == "__main__":
    write_all()
