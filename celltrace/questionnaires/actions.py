"""The patient answers a questionnaire in the portal: scored by the instrument, as staff's are.

`answer_questionnaire` adds what only the portal needs (the questionnaire must be due today)
and hands the answers to `outcomes.actions.record_instrument` with the patient as the actor
and the source "patient", so a self-report is scored and stored by the same code as a sheet
staff transcribe, and feeds the outcome report the same way.
"""

from __future__ import annotations

from django.db import transaction

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.clinical.questionnaires import BASELINE, open_window
from celltrace.outcomes import actions as outcome_actions
from celltrace.outcomes import instruments
from celltrace.outcomes.models import Measurement, Source
from celltrace.patients.models import Patient
from celltrace.questionnaires import access
from celltrace.questionnaires.queries import questionnaires_for
from celltrace.refusal import Refused


@transaction.atomic
def answer_questionnaire(patient: Patient, user, code: str, answers: dict) -> list[Measurement]:
    """Store the patient's answers to a questionnaire due today, dated the site's today."""
    check_actor(user, access.ANSWER, "answer a questionnaire", site_id=patient.site_id)
    today = site_time.today(patient.site)
    due = open_window(questionnaires_for(patient, today=today), code)
    if due is None:
        label = _label(code)
        raise Refused(
            f"The {label} is not open for you today: answer it when it is due "
            "(the list of your questionnaires shows the dates).",
            code="questionnaire_not_due",
            params={"instrument": code, "day": today.isoformat()},
        )
    timepoint = "baseline" if due.timepoint == BASELINE else "follow_up"
    return outcome_actions.record_instrument(
        patient, user, code, answers, today, timepoint=timepoint, source=Source.PATIENT
    )


def _label(code: str) -> str:
    try:
        return instruments.instrument(code).label
    except KeyError:
        return "questionnaire"
