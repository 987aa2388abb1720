"""In the demo, patients answered their questionnaires in the portal; the shown one has one due."""

from celltrace.clinical.questionnaires import due_now
from celltrace.demo.questionnaires import DUE_LOGIN
from celltrace.outcomes.models import Measurement, Source
from celltrace.patients.models import Patient
from celltrace.questionnaires.queries import questionnaires_for


def test_some_patients_answered_their_questionnaires_themselves_scored_by_the_product(demo):
    answers = Measurement.objects.filter(source=Source.PATIENT).select_related("patient")
    assert answers.values("patient").distinct().count() >= 3
    for answer in answers:
        assert answer.recorded_by_id == answer.patient.portal_user_id
        assert answer.details["instrument"] in {"pain", "eq5d5l", "msis29", "scim_sr"}


def test_the_demo_has_a_patient_login_with_a_questionnaire_due(demo):
    shown = Patient.objects.get(portal_user__username=DUE_LOGIN)
    assert due_now(questionnaires_for(shown))
