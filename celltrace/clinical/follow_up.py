"""After discharge: up to 5 weeks of home care, then check-ups at 3, 6 and 12 months."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from celltrace.clinical.numbers import percent

HOME_CARE = "home_care"
CHECKUP = "checkup"
HOME_CARE_WEEKS = 5
CHECKUP_MONTHS = (3, 6, 12)


@dataclass(frozen=True)
class ScheduledItem:
    kind: str
    title: str
    due_date: date


def add_months(start: date, months: int) -> date:
    """Return the same day `months` calendar months later, clamped to that month's end."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def follow_up_schedule(discharge_date: date) -> list[ScheduledItem]:
    """Return the home-care and check-up items due after a discharge, in due order."""
    items = [
        ScheduledItem(
            HOME_CARE,
            f"Home care week {week}: exosome schedule and medication check",
            discharge_date + timedelta(weeks=week),
        )
        for week in range(1, HOME_CARE_WEEKS + 1)
    ]
    items += [
        ScheduledItem(
            CHECKUP,
            f"Check-up {months} months after treatment",
            add_months(discharge_date, months),
        )
        for months in CHECKUP_MONTHS
    ]
    return items


# An adverse event still open at discharge is checked at home within this many days.
OPEN_EVENT_CHECK_DAYS = 3


def open_event_follow_up(discharge_date: date, open_events: list[str]) -> list[ScheduledItem]:
    """Return a home-care check for each adverse event still open at discharge.

    The doctor's reason lets the patient go home; the event is then followed at home until it
    resolves, as an item the coordinator sees and completes, not a sentence on the stay page.
    """
    due = discharge_date + timedelta(days=OPEN_EVENT_CHECK_DAYS)
    return [
        ScheduledItem(
            HOME_CARE, f"Adverse event open at discharge: {label}: follow until resolved", due
        )
        for label in open_events
    ]


def is_overdue(due_date: date, today: date, completed: bool) -> bool:
    """Tell whether an item is late: open after its due day (the due day itself is on time)."""
    return not completed and today > due_date


def days_overdue(due_date: date, today: date) -> int:
    """Return how many days an item is past its due date (0 if not yet due)."""
    return max((today - due_date).days, 0)


@dataclass(frozen=True)
class Completeness:
    """How much of the follow-up due so far was done: the clinic's loss to follow-up, early."""

    due: int  # items due on or before today
    completed: int  # of those, completed
    overdue: int  # of those, still open after their due day

    @property
    def rate(self) -> float | None:
        return self.completed / self.due if self.due else None

    @property
    def percent(self) -> str:
        """The share completed, "80.0%" ("—" before anything is due)."""
        return percent(self.rate)
