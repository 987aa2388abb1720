"""Synthetic screening facts for the demo: normal results the starting rules find eligible.

They are recorded through the same action a doctor's form calls (`record_fact`), so every
synthetic fact passed the checks a real one would.
"""

from celltrace.clinical.eligibility import QUESTIONS
from celltrace.screening.actions import record_fact

NORMAL_LABS = {
    "haemoglobin": (13.5, "g/dL"),
    "platelets": (250, "x10^9/L"),
    "white_cells": (6.5, "x10^9/L"),
    "inr": (1.0, "INR"),
    "egfr": (95, "mL/min/1.73m2"),
    "alt": (25, "U/L"),
    "ast": (25, "U/L"),
    "crp": (2, "mg/L"),
}


def record_normal_labs(patient, user, *, on, provenance: str, skip=()) -> None:
    """Record a normal result for every analyte the rules read (but those in `skip`)."""
    for analyte, (value, unit) in NORMAL_LABS.items():
        if analyte not in skip:
            record_fact(
                patient, user, kind="lab", on=on, provenance=provenance,
                analyte=analyte, value=value, unit=unit,
            )  # fmt: skip


def record_normal_facts(patient, user, *, on, provenance: str, skip=(), yes=()) -> None:
    """Record normal labs, a 'no' to every question (but `yes`) and a full history review."""
    record_normal_labs(patient, user, on=on, provenance=provenance, skip=skip)
    for question in QUESTIONS:
        if question not in skip:
            record_fact(
                patient, user, kind="answer", on=on, provenance=provenance,
                question=question, yes=question in yes,
            )  # fmt: skip
    record_fact(patient, user, kind="history_review", on=on, provenance=provenance)
