import datetime as dt
import json
from pathlib import Path

import celltrace
from celltrace.clinical.follow_up import (
    CHECKUPS,
    Completeness,
    checkup_schedule,
    completion_problem,
    days_overdue,
    follow_up_schedule,
    is_overdue,
)

PLANS = Path(celltrace.__file__).parent / "outcomes" / "analysis_plans"


def test_check_ups_count_from_the_first_administration_and_no_home_care_is_made_up():
    """Home care is what the plan holds (clinical/home_care.py): none is scheduled here."""
    items = follow_up_schedule(dt.date(2026, 3, 8), dt.date(2026, 3, 2))
    assert [(i.kind, i.due_date) for i in items] == [
        ("checkup", dt.date(2026, 6, 1)),  # day 91
        ("checkup", dt.date(2026, 8, 31)),  # day 182
        ("checkup", dt.date(2027, 3, 2)),  # day 365
        ("checkup", dt.date(2028, 3, 1)),  # day 730 (2028 is a leap year)
    ]
    assert items[0].title == "Check-up 3 months after the first administration"
    assert items[3].title == "Check-up 24 months after the first administration"


def test_each_check_up_is_due_on_the_target_day_of_the_latest_analysis_plans_time_point():
    latest = max(PLANS.glob("v*.json"), key=lambda path: int(path.stem[1:]))
    plan = json.loads(latest.read_text())
    targets = [(tp["name"], tp["target_day"]) for tp in plan["timepoints"]]
    assert [(f"{months} months", day) for months, day in CHECKUPS] == targets
    for _name, target in targets:
        window = next(tp["window_days"] for tp in plan["timepoints"] if tp["target_day"] == target)
        assert window[0] <= target <= window[1]


def test_each_check_up_carries_the_window_of_the_latest_plans_time_point():
    latest = max(PLANS.glob("v*.json"), key=lambda path: int(path.stem[1:]))
    plan = json.loads(latest.read_text())
    first = dt.date(2026, 3, 2)
    days = [
        (
            (item.window_opens - first).days,
            (item.due_date - first).days,
            (item.window_closes - first).days,
        )
        for item in checkup_schedule(first)
    ]
    assert days == [
        (tp["window_days"][0], tp["target_day"], tp["window_days"][1]) for tp in plan["timepoints"]
    ]
    assert days[0] == (60, 91, 120)  # REPORT.md: 3 months = day 60-120


def test_a_check_up_is_done_from_its_window_opening_and_home_care_from_its_day():
    opens, target = dt.date(2026, 5, 1), dt.date(2026, 6, 1)
    early = completion_problem(
        "checkup", due_date=target, window_opens=opens, today=opens - dt.timedelta(days=1)
    )
    assert "window opens on 2026-05-01" in early
    assert completion_problem("checkup", due_date=target, window_opens=opens, today=opens) == ""
    assert (
        completion_problem(
            "checkup", due_date=target, window_opens=opens, today=dt.date(2027, 1, 1)
        )
        == ""
    )
    day = dt.date(2026, 3, 9)
    assert "due on 2026-03-09" in completion_problem(
        "home_care", due_date=day, window_opens=None, today=dt.date(2026, 3, 8)
    )
    assert completion_problem("home_care", due_date=day, window_opens=None, today=day) == ""


def test_a_check_up_already_passed_by_the_discharge_is_not_scheduled():
    """A second stay a year after the first administration: 3, 6 and 12 months have passed."""
    first = dt.date(2026, 1, 10)
    items = follow_up_schedule(first + dt.timedelta(days=365), first)
    assert [i.due_date for i in items if i.kind == "checkup"] == [first + dt.timedelta(days=730)]


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
    assert Completeness(due=8, completed=6, overdue=2).percent == "75.0%"
    assert Completeness(due=0, completed=0, overdue=0).rate is None
    assert Completeness(due=0, completed=0, overdue=0).percent == "—"
