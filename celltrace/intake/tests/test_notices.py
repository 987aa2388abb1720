"""The person who sends a request gets one confirmation, in their language, sent later."""

import pytest
from django.core import mail

from celltrace.outbox.models import Message
from celltrace.refusal import Refused


def test_a_request_writes_one_confirmation_in_the_senders_language(make_request):
    consultation = make_request(language="Russian", email="ivan@example.org")
    message = Message.objects.get()
    assert (message.kind, message.language, message.recipient) == (
        "request_received",
        "ru",
        "ivan@example.org",
    )
    assert message.patient is None and message.site == consultation.site
    assert (message.about_type, message.about_id) == ("intake.consultationrequest", consultation.pk)
    assert consultation.reference in message.subject
    assert message.body.startswith("Здравствуйте, Maria Santos!")
    assert message.status == Message.Status.QUEUED
    assert mail.outbox == []  # the worker sends it after the commit, never the request


def test_a_language_the_clinic_does_not_write_in_gets_english(make_request):
    make_request()  # Portuguese
    message = Message.objects.get()
    assert message.language == "en"
    assert message.body.startswith("Dear Maria Santos,")


def test_the_public_form_queues_the_confirmation_and_sends_it_after_the_response(
    client, fields, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/intake/request/", {**fields, "language": "Deutsch"})
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["maria@example.org"] and email.subject.startswith("Wir haben")
    assert Message.objects.get().status == Message.Status.SENT


def test_a_refused_request_writes_no_message(make_request):
    with pytest.raises(Refused):
        make_request(email="not an address")
    assert not Message.objects.exists()
