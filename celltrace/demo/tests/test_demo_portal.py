"""The demo patient's portal: they land there, with a conversation and a report sent from home."""

from django.test import Client
from django.urls import reverse

from celltrace.accounts import site_time
from celltrace.accounts.models import User
from celltrace.clinical.questionnaires import due_now
from celltrace.demo.setup import DEMO_PASSWORD
from celltrace.homecare.models import HomeCareDose
from celltrace.homecare.queries import missed_doses
from celltrace.outbox.models import Message
from celltrace.portal.models import CareTeamMessage, PatientReport
from celltrace.questionnaires.queries import questionnaires_for
from testkit.signin import sign_in


def test_the_demo_patient_signs_in_to_the_portal_and_reads_the_teams_answers(demo):
    client = Client()
    response = client.post(
        "/login/", {"username": "demo-patient", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/portal/"
    page = client.get("/portal/messages/").content.decode()
    assert "more tired in the afternoons" in page and "values are within the normal" in page


def test_the_team_answered_after_the_patient_went_home_and_one_question_waits(demo):
    user = User.objects.get(username="demo-patient")
    patient = user.patient_record
    home = patient.stays.filter(discharged_at__isnull=False).latest("discharged_at").discharged_at
    thread = list(CareTeamMessage.objects.filter(patient=patient))
    assert [m.from_patient for m in thread] == [True, False, False, True]
    assert all(home < m.sent_at for m in thread)
    assert all(m.author.site_id == patient.site_id for m in thread if not m.from_patient)
    (report,) = PatientReport.objects.filter(patient=patient)
    assert report.file.read().startswith(b"%PDF") and report.uploaded_at < thread[2].sent_at
    notices = Message.objects.filter(patient=patient, kind="care_team_message")
    assert notices.count() == 2 and "tired" not in notices.first().body
    coordinator = thread[1].author
    inbox = sign_in(Client(), coordinator).get("/portal/inbox/").content.decode()
    assert "May I start swimming again?" in inbox


def test_the_german_patient_can_walk_the_whole_journey_today(demo):
    """Issue 13: log in, a dose due today, a questionnaire due, the letter, all in German."""
    patient = User.objects.get(username="demo-patient-de").patient_record
    assert patient.preferred_language == "de"
    today = site_time.today(patient.site)
    doses = patient.home_care_doses.order_by("day")
    assert doses.count() == 10 and doses[0].planned.longer_reason
    assert {d.status for d in doses if d.day < today} == {HomeCareDose.Status.TAKEN}
    assert doses.get(day=today).status == HomeCareDose.Status.PLANNED
    assert due_now(questionnaires_for(patient))
    client = Client()
    response = client.post(
        "/login/", {"username": "demo-patient-de", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/portal/"
    assert "Ich habe diese Dosis eingenommen" in client.get("/home-care/").content.decode()
    stay = patient.stays.get(discharged_at__isnull=False)
    assert client.get(reverse("care:discharge_letter", args=[stay.pk])).content.startswith(b"%PDF")


def test_home_care_doses_are_confirmed_due_and_missed_across_the_clinic(demo):
    doses = HomeCareDose.objects.filter(planned__longer_reason="")
    taken = doses.filter(status=HomeCareDose.Status.TAKEN)
    assert taken.exists() and all(d.answered_by == d.patient.portal_user for d in taken)
    coordinator = User.objects.get(username="demo-coordinator")
    assert missed_doses(coordinator).exists()
    assert (
        "Missed doses" in sign_in(Client(), coordinator).get("/home-care/missed/").content.decode()
    )
