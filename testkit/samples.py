"""Normal screening facts for tests, written straight to the table: the rules find them eligible."""

import datetime as dt

from django.utils import timezone

from celltrace.clinical.eligibility import QUESTIONS
from celltrace.demo.facts import NORMAL_LABS
from celltrace.screening.models import PatientFact


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
