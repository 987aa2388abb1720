"""Normal screening facts for tests and the demo: a full set the starting rules find eligible."""

import datetime as dt

from django.utils import timezone

from celltrace.clinical.eligibility import QUESTIONS
from celltrace.screening.models import PatientFact

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


def record_normal_facts(patient, user, *, on=None, skip=(), yes=(), provenance="Test report"):
    """Record normal labs, a 'no' to every question (but `yes`) and a history review."""
    on = on or timezone.localdate() - dt.timedelta(days=2)
    common = {"patient": patient, "on": on, "recorded_by": user, "provenance": provenance}
    for analyte, (value, unit) in NORMAL_LABS.items():
        if analyte not in skip:
            PatientFact.objects.create(
                kind="lab", analyte=analyte, value=value, unit=unit, **common
            )
    for question in QUESTIONS:
        if question not in skip:
            PatientFact.objects.create(
                kind="answer", question=question, yes=question in yes, **common
            )
    PatientFact.objects.create(kind="history_review", **common)
