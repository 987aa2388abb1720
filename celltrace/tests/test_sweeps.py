"""The worker's round: reminders due, and messages a stopped worker left, sent again."""

import datetime as dt

from django.utils import timezone

from celltrace.outbox.kinds import Kind
from celltrace.outbox.models import Message
from celltrace.outbox.queue import Recipient, notify
from celltrace.outbox.sending import QUEUED_GRACE
from celltrace.sweeps import run_sweeps
from testkit.journey import make_patient


def test_a_round_sends_what_no_task_sent_and_a_second_round_sends_nothing_twice(
    catalog, site, time_machine
):
    patient = make_patient(site)
    message = notify(
        Kind.SCREENING_DECIDED, Recipient.patient_of(patient), about=patient, context={}
    )
    time_machine.move_to(timezone.now() + QUEUED_GRACE + dt.timedelta(seconds=1))
    assert run_sweeps()["queued again"] == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert run_sweeps() == {
        "admission reminders": 0,
        "follow-up reminders": 0,
        "questionnaire reminders": 0,
        "home-care reminders": 0,
        "queued again": 0,
    }
