"""After discharge the patient is reminded of each home-care week and check-up, once each."""

import datetime as dt

from celltrace.followup.actions import complete_follow_up_item
from celltrace.followup.models import FollowUpEnd
from celltrace.followup.notices import remind_follow_up
from celltrace.outbox.models import Message
from celltrace.sweeps import run_sweeps

WEEK_ONE = dt.datetime(2026, 3, 8, 12, 0, tzinfo=dt.UTC)  # home-care week 1 is due on 9 March


def test_home_care_is_reminded_the_day_before_it_is_due(discharged, time_machine):
    time_machine.move_to(WEEK_ONE - dt.timedelta(days=1), tick=False)
    assert remind_follow_up() == 0
    time_machine.move_to(WEEK_ONE, tick=False)
    assert remind_follow_up() == 1
    assert remind_follow_up() == 1  # run again: still one message
    message = Message.objects.get(kind="home_care_due")
    assert message.patient == discharged.patient
    assert message.subject == "Your home care is due on 2026-03-09"


def test_a_completed_item_is_not_reminded(discharged, coordinator, time_machine):
    item = discharged.follow_up.get(due_date=dt.date(2026, 3, 9))
    complete_follow_up_item(item, coordinator)
    time_machine.move_to(WEEK_ONE, tick=False)
    assert remind_follow_up() == 0


def test_a_check_up_is_reminded_two_weeks_ahead_in_the_patients_language(discharged, time_machine):
    patient = discharged.patient
    patient.preferred_language = "de"  # coded, as the account page or intake sets it
    patient.save()
    checkup = discharged.follow_up.filter(kind="checkup").first()
    time_machine.move_to(
        dt.datetime.combine(checkup.due_date - dt.timedelta(days=14), dt.time(12), dt.UTC),
        tick=False,
    )
    run_sweeps()
    message = Message.objects.get(kind="checkup_due")
    assert (message.language, message.about_id) == ("de", checkup.pk)
    assert message.subject.startswith("Ihre kostenlose Nachuntersuchung ist am")


def test_a_patient_whose_follow_up_ended_gets_no_reminders(discharged, doctor, time_machine):
    # Built directly: this patient was never given a product, which the action would require.
    FollowUpEnd.objects.create(
        patient=discharged.patient, on=dt.date(2026, 3, 3), reason="withdrawn", recorded_by=doctor
    )
    time_machine.move_to(WEEK_ONE, tick=False)
    assert remind_follow_up() == 0
