"""The conversation between a patient and the care team of their site."""

import pytest
from django.test import Client
from django.urls import reverse

from celltrace.outbox.kinds import Kind
from celltrace.outbox.models import Message
from celltrace.portal.actions import answer_patient, write_to_care_team
from celltrace.portal.models import CareTeamMessage
from celltrace.refusal import NotAllowed
from testkit.signin import sign_in


def test_the_patient_writes_and_a_nurse_of_the_site_answers(mine, client_for, nurse):
    mine.patient.email = "olga@example.org"
    mine.patient.save()
    patient_client = client_for(mine.user)
    patient_client.post(reverse("portal:messages"), {"body": "Is swimming allowed?"})
    (question,) = CareTeamMessage.objects.filter(patient=mine.patient)
    assert question.from_patient and question.author == mine.user

    staff = sign_in(Client(), nurse)  # a second browser
    inbox = staff.get(reverse("portal:inbox")).content.decode()
    assert "Is swimming allowed?" in inbox
    url = reverse("portal:conversation", args=[mine.patient.pk])
    mine.patient.preferred_language = "de"  # her e-mails in German, from now on
    mine.patient.save()
    staff.post(url, {"body": "Yes, from next week. Private detail."})
    question.refresh_from_db()
    assert question.read_by == nurse
    assert "Is swimming allowed?" not in staff.get(reverse("portal:inbox")).content.decode()

    page = patient_client.get(reverse("portal:messages")).content.decode()
    assert "Yes, from next week." in page
    answer = CareTeamMessage.objects.get(from_patient=False)
    assert answer.read_by == mine.user
    assert answer.history.count() == 2  # written, then read: audited

    (mail,) = Message.objects.filter(kind=Kind.CARE_TEAM_MESSAGE)
    assert mail.recipient == "olga@example.org" and mail.language == "de"
    assert "Behandlungsteam" in mail.subject
    assert "Private detail" not in mail.body and "swimming" not in mail.body


def test_another_sites_staff_cannot_read_or_answer(mine, client_for, other_site_doctor):
    write_to_care_team(mine.patient, mine.user, body="Hello")
    url = reverse("portal:conversation", args=[mine.patient.pk])
    client = client_for(other_site_doctor)
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "Hi"}).status_code == 404
    assert "Hello" not in client.get(reverse("portal:inbox")).content.decode()
    with pytest.raises(NotAllowed):
        answer_patient(mine.patient, other_site_doctor, body="Hi")
    assert CareTeamMessage.objects.filter(from_patient=False).count() == 0


def test_a_lab_technician_is_not_in_the_conversation(mine, client_for, lab_technician):
    url = reverse("portal:conversation", args=[mine.patient.pk])
    assert client_for(lab_technician).get(url).status_code == 403


def test_a_patient_writes_only_on_their_own_record(mine, stranger):
    with pytest.raises(NotAllowed):
        write_to_care_team(mine.patient, stranger.user, body="Not mine")
    assert not CareTeamMessage.objects.exists()


def test_a_patient_never_sees_another_patients_messages(mine, stranger, client_for, nurse):
    answer_patient(mine.patient, nurse, body="Your results are fine.")
    page = client_for(stranger.user).get(reverse("portal:messages")).content.decode()
    assert "Your results are fine." not in page


def test_an_empty_message_is_refused(mine, client_for):
    response = client_for(mine.user).post(reverse("portal:messages"), {"body": "   "})
    assert response.status_code == 200
    assert not CareTeamMessage.objects.exists()
