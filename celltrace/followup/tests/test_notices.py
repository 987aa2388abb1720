"""After discharge the patient is reminded of each check-up, once (home-care doses: homecare)."""

import datetime as dt

from celltrace.followup.actions import complete_follow_up_item
from celltrace.followup.models import FollowUpEnd
from celltrace.followup.notices import remind_follow_up
from celltrace.outbox.models import Message
from celltrace.sweeps import run_sweeps


def test_a_completed_check_up_is_not_reminded(discharged, coordinator, time_machine):
    checkup = discharged.follow_up.filter(kind="checkup").first()
    complete_follow_up_item(checkup, coordinator)
    time_machine.move_to(dt.datetime.combine(checkup.due_date, dt.time(12), dt.UTC), tick=False)
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
    checkup = discharged.follow_up.filter(kind="checkup").first()
    time_machine.move_to(dt.datetime.combine(checkup.due_date, dt.time(12), dt.UTC), tick=False)
    assert remind_follow_up() == 0
