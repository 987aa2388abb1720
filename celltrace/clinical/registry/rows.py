"""One row per treated patient, outcome instrument and time point: what the CSV holds.

The rows are the report's single source for change from baseline: the outcome tables are
computed from them and the CSV is written from them, so a reader can recompute every
number from the download. Patients appear under pseudonyms (P001... in order of first
administration, then patient id), never under their names or record numbers.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from celltrace.clinical.registry.inputs import ReportInputs
from celltrace.clinical.registry.plan import AnalysisPlan
from celltrace.clinical.registry.windows import (
    ASSESSED,
    MISSED,
    PatientCourse,
    day_of,
    patient_courses,
)

CSV_COLUMNS = ("patient", "instrument", "timepoint", "baseline", "value", "status", "day")


def pseudonyms(inputs: ReportInputs) -> dict[int, str]:
    """Name each treated patient P001, P002... by first administration, then patient id."""
    order = sorted(inputs.patients, key=lambda p: (p.first_administration, p.patient_id))
    return {patient.patient_id: f"P{number:03d}" for number, patient in enumerate(order, 1)}


def patient_rows(inputs: ReportInputs, plan: AnalysisPlan) -> list[dict]:
    """Return the rows of every treated patient, in pseudonym order."""
    instruments = plan.condition(inputs.condition_code).outcomes
    return rows_of_courses(patient_courses(inputs, plan), pseudonyms(inputs), instruments)


def rows_of_courses(
    courses: Iterable[PatientCourse], names: dict[int, str], instruments: Iterable[str]
) -> list[dict]:
    """Flatten patient courses into rows: patient, then instrument, then time point.

    A visit is assessed when any instrument has a value; an instrument without a value at
    an assessed visit was missed at that visit.
    """
    instruments = tuple(instruments)
    ordered = sorted(courses, key=lambda c: (c.patient.first_administration, c.patient.patient_id))
    rows = []
    for course in ordered:
        patient = course.patient
        name = names[patient.patient_id]
        for code in instruments:
            base = course.baselines.get(code)
            for visit in course.visits:
                reading = visit.readings.get(code)
                status = MISSED if reading is None and visit.status == ASSESSED else visit.status
                rows.append(
                    {
                        "patient": name,
                        "patient_id": patient.patient_id,
                        "instrument": code,
                        "timepoint": visit.timepoint.name,
                        "baseline": None if base is None else base.value,
                        "value": None if reading is None else reading.value,
                        "status": status,
                        "day": None if reading is None else day_of(patient, reading),
                        "category": None if reading is None else reading.category,
                        "baseline_category": None if base is None else base.category,
                    }
                )
    return rows


def write_rows_csv(rows: Iterable[dict], out: TextIO) -> None:
    """Write the rows as CSV (empty cells for missing values), floats in full precision."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(["" if row[column] is None else row[column] for column in CSV_COLUMNS])
