"""The demo patient's portal: they land there, with a conversation and a report sent from home."""

from django.test import Client

from celltrace.accounts.models import User
from celltrace.demo.setup import DEMO_PASSWORD
from celltrace.outbox.models import Message
from celltrace.portal.models import CareTeamMessage, PatientReport
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
