"""Per-patient rows of the report and their CSV (docs/clinical/outcome-report.md, "The CSV").

stand-in: replaced by the core helper's module at merge. Pseudonyms follow the contract
(P001... by first administration, then patient id); every row is "not_yet_due" here.
"""

from __future__ import annotations

import csv
from typing import TextIO

from celltrace.clinical.registry.inputs import ReportInputs
from celltrace.clinical.registry.plan import AnalysisPlan

CSV_COLUMNS = ("patient", "instrument", "timepoint", "baseline", "value", "status", "day")


def pseudonyms(inputs: ReportInputs) -> dict[int, str]:
    """P001, P002, ... in order of first administration, then patient id."""
    ordered = sorted(inputs.patients, key=lambda p: (p.first_administration, p.patient_id))
    return {p.patient_id: f"P{i:03d}" for i, p in enumerate(ordered, start=1)}


def patient_rows(inputs: ReportInputs, plan: AnalysisPlan) -> list[dict]:
    """One row per treated patient, outcome instrument and time point."""
    names = pseudonyms(inputs)
    outcomes = plan.condition(inputs.condition_code).outcomes
    return [
        {
            "patient": names[p.patient_id],
            "patient_id": p.patient_id,
            "instrument": code,
            "timepoint": tp.name,
            "baseline": None,
            "value": None,
            "status": "not_yet_due",
            "day": None,
            "category": None,
            "baseline_category": None,
        }
        for p in sorted(inputs.patients, key=lambda p: names[p.patient_id])
        for code in outcomes
        for tp in plan.timepoints
    ]


def write_csv(rows: list[dict], out: TextIO) -> None:
    """Write the rows as the contract's CSV: empty cells for missing values."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in CSV_COLUMNS})
