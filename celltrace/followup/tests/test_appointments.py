"""A check-up has the analysis plan's window, is booked as an appointment and completed.

The patient of `discharged` was given nothing, so the check-ups count from the discharge
day, 2 March 2026: the 3-month check-up is due on 1 June (day 91), window 1 May (day 60)
to 30 June (day 120).
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from celltrace.accounts.models import Role, User
from celltrace.clinical.follow_up import CHECKUP_TIMEPOINTS
from celltrace.followup.actions import (
    book_appointment,
    complete_follow_up_item,
    record_appointment_outcome,
)
from celltrace.followup.models import Appointment
from celltrace.patients.history import patient_history
from celltrace.refusal import Refused

DAY_ZERO = dt.date(2026, 3, 2)
OPENS, TARGET, CLOSES = dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 6, 30)


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def three_months(discharged):
    return discharged.follow_up.get(kind="checkup", due_date=TARGET)


def book(item, user, day=TARGET, **fields):
    fields = {"time": dt.time(10, 30), "place": "clinic", **fields}
    return book_appointment(item, user, day=day, **fields)


def test_each_check_up_carries_its_time_points_window_from_the_analysis_plan(
    discharged, home_check
):
    checkups = discharged.follow_up.filter(kind="checkup")
    assert [(c.window_opens, c.due_date, c.window_closes) for c in checkups] == [
        (
            DAY_ZERO + dt.timedelta(days=tp.first_day),
            DAY_ZERO + dt.timedelta(days=tp.target_day),
            DAY_ZERO + dt.timedelta(days=tp.last_day),
        )
        for tp in CHECKUP_TIMEPOINTS
    ]
    assert (checkups[0].window_opens, checkups[0].window_closes) == (OPENS, CLOSES)
    assert (home_check.window_opens, home_check.window_closes) == (None, None)


def test_a_check_up_can_be_done_from_the_day_its_window_opens_not_before(
    discharged, coordinator, time_machine
):
    item = three_months(discharged)
    time_machine.move_to(at(OPENS - dt.timedelta(days=1)), tick=False)
    with pytest.raises(Refused, match="window opens on 2026-05-01") as refused:
        complete_follow_up_item(item, coordinator)
    assert refused.value.code == "not_yet_open"
    time_machine.move_to(at(OPENS), tick=False)  # a month before its target day
    assert complete_follow_up_item(item, coordinator).completed_at is not None


def test_a_home_care_item_is_done_on_or_after_its_day(home_check, coordinator, time_machine):
    item = home_check  # due 9 March
    time_machine.move_to(at(dt.date(2026, 3, 8)), tick=False)
    with pytest.raises(Refused, match="due on 2026-03-09"):
        complete_follow_up_item(item, coordinator)
    time_machine.move_to(at(dt.date(2026, 3, 9)), tick=False)
    assert complete_follow_up_item(item, coordinator).completed_at is not None


def test_a_booking_in_the_window_at_the_sites_time_is_not_flagged(
    discharged, coordinator, site, time_machine
):
    site.time_zone = "Europe/Berlin"
    site.save()
    time_machine.move_to(at(dt.date(2026, 4, 20)), tick=False)
    appointment = book(three_months(discharged), coordinator, day=CLOSES)
    # 10:30 in Berlin on 30 June is 08:30 UTC (summer time).
    assert appointment.starts_at == dt.datetime(2026, 6, 30, 8, 30, tzinfo=dt.UTC)
    assert not appointment.outside_window and appointment.status == "booked"
    assert appointment.history.first().history_user == coordinator


def test_a_day_outside_the_window_needs_a_reason_and_is_flagged(
    discharged, coordinator, time_machine
):
    item = three_months(discharged)
    time_machine.move_to(at(dt.date(2026, 4, 20)), tick=False)
    late = CLOSES + dt.timedelta(days=1)
    with pytest.raises(Refused) as refused:
        book(item, coordinator, day=late)
    assert "outside the check-up's window" in refused.value.field_errors["outside_window_reason"]
    assert not Appointment.objects.exists()
    appointment = book(item, coordinator, day=late, outside_window_reason="Flights only in July")
    assert appointment.outside_window
    assert appointment.outside_window_reason == "Flights only in July"


def test_a_remote_check_up_needs_its_link_or_number(discharged, coordinator, time_machine):
    item = three_months(discharged)
    time_machine.move_to(at(dt.date(2026, 4, 20)), tick=False)
    with pytest.raises(Refused) as refused:
        book(item, coordinator, place="video", link="")
    assert "link" in refused.value.field_errors
    with pytest.raises(Refused) as refused:
        book(item, coordinator, place="phone", phone=" ")
    assert "phone" in refused.value.field_errors
    video = book(item, coordinator, place="video", link="https://meet.example.org/ab-12")
    assert (video.place, video.link, video.phone) == ("video", "https://meet.example.org/ab-12", "")


def test_a_past_day_home_care_or_a_second_booking_is_refused(
    discharged, home_check, coordinator, time_machine
):
    item = three_months(discharged)
    time_machine.move_to(at(dt.date(2026, 5, 20)), tick=False)
    with pytest.raises(Refused) as refused:
        book(item, coordinator, day=dt.date(2026, 5, 19))
    assert "day" in refused.value.field_errors
    with pytest.raises(Refused, match="not booked") as refused:
        book(home_check, coordinator)
    assert "Only a check-up" in refused.value.field_errors["item"]
    first = book(item, coordinator)
    with pytest.raises(Refused) as refused:
        book(item, coordinator, day=dt.date(2026, 6, 2))
    assert "already booked" in refused.value.field_errors["item"]
    record_appointment_outcome(first, coordinator, status="cancelled", note="Ill")
    assert book(item, coordinator, day=dt.date(2026, 6, 2)).status == "booked"


def test_recording_the_attended_appointment_completes_its_check_up(
    discharged, coordinator, time_machine
):
    item = three_months(discharged)
    time_machine.move_to(at(dt.date(2026, 5, 20)), tick=False)
    appointment = book(item, coordinator)
    with pytest.raises(Refused, match="has not begun"):
        record_appointment_outcome(appointment, coordinator, status="attended")
    time_machine.move_to(at(TARGET, 11), tick=False)
    record_appointment_outcome(appointment, coordinator, status="attended", note="Seen by Dr A")
    item.refresh_from_db()
    assert item.completed_by == coordinator and item.notes == "Seen by Dr A"
    trail = [entry["what"] for entry in patient_history(discharged.patient)]
    assert trail[:3] == ["follow up item changed", "appointment changed", "appointment created"]
    with pytest.raises(Refused, match="already attended"):
        record_appointment_outcome(appointment, coordinator, status="no_show")


def test_a_no_show_leaves_the_check_up_open_to_book_again(discharged, coordinator, time_machine):
    item = three_months(discharged)
    time_machine.move_to(at(dt.date(2026, 5, 20)), tick=False)
    appointment = book(item, coordinator)
    time_machine.move_to(at(TARGET, 15), tick=False)
    record_appointment_outcome(appointment, coordinator, status="no_show")
    item.refresh_from_db()
    assert item.completed_at is None
    assert book(item, coordinator, day=dt.date(2026, 6, 15)).status == "booked"


@pytest.mark.parametrize("role_user", ["doctor", "nurse", "manager"])
def test_only_a_coordinator_books_even_calling_the_action(
    discharged, role_user, request, time_machine
):
    time_machine.move_to(at(dt.date(2026, 5, 20)), tick=False)
    with pytest.raises(PermissionDenied):
        book(three_months(discharged), request.getfixturevalue(role_user))
    assert not Appointment.objects.exists()


def test_a_coordinator_of_another_site_cannot_book_or_record(
    discharged, coordinator, other_site, time_machine
):
    far = User.objects.create_user("far.coord", role=Role.COORDINATOR, site=other_site)
    time_machine.move_to(at(dt.date(2026, 5, 20)), tick=False)
    with pytest.raises(Refused, match="another site"):
        book(three_months(discharged), far)
    appointment = book(three_months(discharged), coordinator)
    with pytest.raises(Refused, match="another site"):
        record_appointment_outcome(appointment, far, status="cancelled")
