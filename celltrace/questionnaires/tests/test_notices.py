"""The questionnaire reminder: once per questionnaire and time point, never once per sweep."""

import datetime as dt

from django.utils import timezone

from celltrace.followup.models import FollowUpEnd
from celltrace.outbox.kinds import Kind
from celltrace.outbox.models import Message
from celltrace.questionnaires.actions import answer_questionnaire
from celltrace.questionnaires.notices import remind_questionnaires


def reminders(patient):
    return Message.objects.filter(patient=patient, kind=Kind.QUESTIONNAIRE_DUE)


def test_each_due_questionnaire_is_reminded_once_however_often_the_sweep_runs(patient):
    assert remind_questionnaires() == 3  # MS: MSIS-29, EQ-5D-5L and pain at 3 months
    assert remind_questionnaires() == 0
    assert reminders(patient).count() == 3
    message = reminders(patient).get(about_id=patient.due_questionnaires.get(instrument="pain").pk)
    closes = patient.due_questionnaires.get(instrument="pain").closes_on
    assert "(Pain)" in message.body
    assert closes.strftime("%Y") in message.subject


def test_the_next_time_point_is_reminded_again_when_its_window_opens(patient, time_machine):
    answer_questionnaire(patient, patient.portal_user, "pain", {"pain": 3})
    assert remind_questionnaires() == 2  # pain was answered before the sweep ran
    time_machine.move_to(timezone.now() + dt.timedelta(days=60))  # day 150: 6 months opens
    assert remind_questionnaires() == 3
    assert set(patient.due_questionnaires.values_list("timepoint", flat=True)) == {
        "3 months",
        "6 months",
    }


def test_no_reminder_after_follow_up_ended(patient, doctor):
    FollowUpEnd.objects.create(
        patient=patient, on=timezone.localdate() - dt.timedelta(days=1), reason="withdrawn",
        recorded_by=doctor,
    )  # fmt: skip
    assert remind_questionnaires() == 0


def test_the_reminder_is_written_in_the_patients_language(patient):
    patient.preferred_language = "de"
    patient.save()
    remind_questionnaires()
    assert all(m.language == "de" for m in reminders(patient))
