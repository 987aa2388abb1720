"""A message is written with its event, sent by the worker, and survives a worker's crash."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from celltrace.outbox import sending
from celltrace.outbox.kinds import Kind
from celltrace.outbox.models import Message
from celltrace.outbox.queue import Recipient, notify
from testkit.journey import make_patient


def _request_received(patient):
    return notify(
        Kind.REQUEST_RECEIVED,
        Recipient.patient_of(patient),
        about=patient,
        context={"reference": "CR-000042"},
    )


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, language="Deutsch", email="anna@example.org")


def test_a_message_is_written_queued_and_sent_only_after_the_action_commits(
    patient, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        message = _request_received(patient)
    assert message.status == Message.Status.QUEUED
    assert mail.outbox == []  # nothing is sent inside the action (nor the request)
    assert len(callbacks) == 1
    callbacks[0]()  # the commit hands it to the queue; the test backend runs it at once
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
    [email] = mail.outbox
    assert email.to == ["anna@example.org"]
    assert email.subject == "Wir haben Ihre Anfrage CR-000042 erhalten"
    assert email.body == message.body
    assert email.extra_headers["Message-ID"].startswith(f"<celltrace.message.{message.pk}@")


def test_a_refused_action_leaves_no_message(patient, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _request_received(patient)
        raise RuntimeError("the action was refused after writing")
    assert not Message.objects.exists()
    assert callbacks == []


def test_the_same_event_writes_the_same_person_once(patient):
    first = _request_received(patient)
    assert _request_received(patient) == first
    assert Message.objects.count() == 1


def test_a_failed_attempt_is_logged_and_kept_for_a_retry(patient, monkeypatch):
    message = _request_received(patient)

    def refuse(self):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(sending.EmailMessage, "send", refuse)
    assert sending.deliver(message.pk) == Message.Status.QUEUED
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.QUEUED, 1)
    assert message.error == "ConnectionRefusedError: mail server down"
    assert mail.outbox == []


def test_a_message_fails_for_good_after_the_last_attempt(patient, monkeypatch):
    message = _request_received(patient)
    monkeypatch.setattr(sending.EmailMessage, "send", lambda self: 1 / 0)
    for _ in range(sending.MAX_ATTEMPTS):
        Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED)
        sending.deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.FAILED, sending.MAX_ATTEMPTS)


def test_a_worker_crash_mid_send_loses_no_message(patient, monkeypatch, time_machine):
    message = _request_received(patient)

    def crash(self):
        raise SystemExit("the worker was killed while talking to the mail server")

    monkeypatch.setattr(sending.EmailMessage, "send", crash)
    with pytest.raises(SystemExit):
        sending.deliver(message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.SENDING  # the claim outlives the worker
    monkeypatch.undo()

    assert sending.resend_unsent() == 0  # another worker may still be sending it
    time_machine.move_to(timezone.now() + sending.CLAIM_EXPIRES + dt.timedelta(seconds=1))
    assert sending.resend_unsent() == 1  # the test queue runs the task at once
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_a_message_whose_task_was_lost_is_sent_by_the_sweep(patient, time_machine):
    message = _request_received(patient)  # its task is never run: no commit in this test
    time_machine.move_to(timezone.now() + sending.QUEUED_GRACE + dt.timedelta(seconds=1))
    assert sending.resend_unsent() == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_sending_twice_sends_once(patient):
    message = _request_received(patient)
    assert sending.deliver(message.pk) == Message.Status.SENT
    assert sending.deliver(message.pk) == "not queued"
    assert len(mail.outbox) == 1


def test_a_reminder_to_a_patient_who_declines_them_is_logged_not_sent(patient):
    patient.declines_reminders = True
    reminder = notify(
        Kind.HOME_CARE_DUE,
        Recipient.patient_of(patient),
        about=patient,
        context={"due_date": "2026-03-09"},
    )
    decision = notify(
        Kind.SCREENING_DECIDED, Recipient.patient_of(patient), about=patient, context={}
    )
    assert reminder.status == Message.Status.WITHHELD
    assert reminder.error == "The patient declines reminders by e-mail."
    assert decision.status == Message.Status.QUEUED  # essential: always sent
    assert sending.deliver(reminder.pk) == "not queued"


def test_a_message_to_nobody_is_logged_as_withheld(catalog, site):
    patient = make_patient(site, email="")
    message = _request_received(patient)
    assert (message.status, message.error) == (
        Message.Status.WITHHELD,
        "No e-mail address on record.",
    )
