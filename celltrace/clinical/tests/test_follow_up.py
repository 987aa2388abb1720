import datetime as dt

from celltrace.clinical.follow_up import (
    add_months,
    days_overdue,
    follow_up_schedule,
    is_overdue,
)


def test_the_schedule_has_five_weekly_home_care_items_then_three_check_ups():
    items = follow_up_schedule(dt.date(2026, 3, 2))
    assert [(i.kind, i.due_date) for i in items] == [
        ("home_care", dt.date(2026, 3, 9)),
        ("home_care", dt.date(2026, 3, 16)),
        ("home_care", dt.date(2026, 3, 23)),
        ("home_care", dt.date(2026, 3, 30)),
        ("home_care", dt.date(2026, 4, 6)),
        ("checkup", dt.date(2026, 6, 2)),
        ("checkup", dt.date(2026, 9, 2)),
        ("checkup", dt.date(2027, 3, 2)),
    ]
    assert items[0].title == "Home care week 1: exosome schedule and medication check"
    assert items[4].title == "Home care week 5: exosome schedule and medication check"
    assert items[5].title == "Check-up 3 months after treatment"


def test_check_ups_clamp_to_the_end_of_a_shorter_month():
    items = follow_up_schedule(dt.date(2025, 11, 30))
    assert [i.due_date for i in items if i.kind == "checkup"] == [
        dt.date(2026, 2, 28),
        dt.date(2026, 5, 30),
        dt.date(2026, 11, 30),
    ]


def test_month_end_clamping_respects_leap_years():
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 5, 31), 6) == dt.date(2026, 11, 30)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 12) == dt.date(2027, 12, 15)


def test_an_item_is_not_overdue_on_its_due_date():
    due = dt.date(2026, 4, 1)
    assert not is_overdue(due, dt.date(2026, 4, 1), completed=False)
    assert not is_overdue(due, dt.date(2026, 3, 31), completed=False)


def test_an_open_item_is_overdue_the_day_after_its_due_date():
    assert is_overdue(dt.date(2026, 4, 1), dt.date(2026, 4, 2), completed=False)
    assert days_overdue(dt.date(2026, 4, 1), dt.date(2026, 4, 2)) == 1


def test_a_completed_item_is_never_overdue():
    assert not is_overdue(dt.date(2026, 4, 1), dt.date(2027, 4, 2), completed=True)


def test_an_item_not_yet_due_has_zero_days_overdue():
    assert days_overdue(dt.date(2026, 4, 1), dt.date(2026, 3, 1)) == 0


def test_completeness_is_the_share_of_items_due_so_far_that_were_completed():
    from celltrace.clinical.follow_up import Completeness

    assert Completeness(due=8, completed=6, overdue=2).percent == "75.0%"
    assert Completeness(due=0, completed=0, overdue=0).rate is None
    assert Completeness(due=0, completed=0, overdue=0).percent == "—"
