import datetime as dt

from celltrace.clinical.appointments import Booking, booking_problems, in_window

OPENS, CLOSES = dt.date(2026, 5, 1), dt.date(2026, 6, 30)
TODAY = dt.date(2026, 4, 20)


def problems(day, place="clinic", **fields):
    return booking_problems(Booking(day, place, **fields), opens=OPENS, closes=CLOSES, today=TODAY)


def test_both_ends_of_the_window_are_inside_it():
    assert in_window(OPENS, opens=OPENS, closes=CLOSES)
    assert in_window(CLOSES, opens=OPENS, closes=CLOSES)
    assert not in_window(CLOSES + dt.timedelta(days=1), opens=OPENS, closes=CLOSES)
    assert not in_window(OPENS - dt.timedelta(days=1), opens=OPENS, closes=CLOSES)
    assert in_window(OPENS, opens=None, closes=None)


def test_a_clinic_visit_in_the_window_may_be_booked():
    assert problems(OPENS) == {} and problems(CLOSES) == {}


def test_a_day_outside_the_window_needs_a_reason():
    assert set(problems(OPENS - dt.timedelta(days=1))) == {"outside_window_reason"}
    assert problems(CLOSES + dt.timedelta(days=1), outside_window_reason="Travels in July") == {}
    assert set(problems(CLOSES + dt.timedelta(days=1), outside_window_reason="  ")) == {
        "outside_window_reason"
    }


def test_a_past_day_is_refused():
    assert "day" in problems(TODAY - dt.timedelta(days=1), outside_window_reason="x")


def test_remote_visits_need_a_link_or_a_number_and_places_are_known():
    assert set(problems(OPENS, "video")) == {"link"}
    assert set(problems(OPENS, "video", link="meet.example.org/1")) == {"link"}
    assert problems(OPENS, "video", link="https://meet.example.org/1") == {}
    assert set(problems(OPENS, "phone")) == {"phone"}
    assert problems(OPENS, "phone", phone="+49 30 123") == {}
    assert set(problems(OPENS, "home")) == {"place"}
