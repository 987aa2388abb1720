"""The demo's outbox shows what each step of the journey wrote, in each patient's language."""

from django.db.models import Q

from celltrace.accounts.models import User
from celltrace.intake.models import Consultation, ConsultationRequest
from celltrace.outbox.kinds import language_of
from celltrace.outbox.models import Message
from celltrace.plans.models import TreatmentPlan
from celltrace.screening.models import Screening
from celltrace.stays.models import AdverseEvent
from testkit.signin import sign_in


def test_each_step_of_the_journey_wrote_its_message(demo):
    assert Message.objects.filter(kind="request_received").count() == (
        ConsultationRequest.objects.count()
    )
    decided = Screening.objects.filter(purpose="planning", finalized_at__isnull=False)
    assert Message.objects.filter(kind="screening_decided").count() == decided.count()
    assert Message.objects.filter(kind="quote_ready").count() == TreatmentPlan.objects.count()
    serious = AdverseEvent.objects.filter(serious=True).count()
    assert Message.objects.filter(kind="serious_adverse_event").count() >= serious


def test_every_message_to_a_patient_is_in_the_patients_language(demo):
    to_patients = Message.objects.filter(patient__isnull=False).select_related("patient")
    assert to_patients.exists()
    assert {m.language for m in to_patients} >= {"en", "de"}
    assert all(m.language == m.patient.preferred_language for m in to_patients)
    # The demo's requests come without a page language: coded from the language they named.
    assert all(m.patient.preferred_language == language_of(m.patient.language) for m in to_patients)


def test_the_demo_manager_reads_the_outbox(demo, client):
    manager = User.objects.get(username="demo-manager")
    page = sign_in(client, manager).get("/outbox/?kind=quote_ready").content.decode()
    assert "Ihr Behandlungsplan und Ihr Kostenvoranschlag liegen vor" in page or (
        "Your treatment plan and quote are ready" in page
    )


def test_the_advisors_consultations_were_booked_held_and_answered_by_e_mail(demo):
    booked = Consultation.objects.all()
    held = booked.filter(status=Consultation.Status.HELD, recorded_at__isnull=False)
    assert held.count() >= 50
    assert Message.objects.filter(kind="consultation_booked").count() == booked.count()
    assert Message.objects.filter(kind="consultation_summary").count() == held.count()
    assert held.filter(could_help="no").exists()
    assert held.filter(estimate_low__gt=0, currency="EUR").exists()
    assert booked.filter(mode="phone").exists() and booked.filter(mode="video").exists()
    summary = Message.objects.filter(kind="consultation_summary", language="de").first()
    assert summary is not None and "SCHÄTZUNG, kein Angebot" in summary.body


def test_the_german_patients_journey_wrote_each_step_in_german(demo):
    """Issue 13: the outbox shows what each step of demo-patient-de's journey sent, in German."""
    patient = User.objects.get(username="demo-patient-de").patient_record
    # Before the patient's record, the request's messages went to the address they gave.
    messages = Message.objects.filter(Q(patient=patient) | Q(recipient=patient.email))
    kinds = set(messages.values_list("kind", flat=True))
    assert {"request_received", "consultation_booked", "screening_decided"} <= kinds
    assert {"quote_ready", "home_care_due", "questionnaire_due"} <= kinds
    assert set(messages.values_list("language", flat=True)) == {"de"}
