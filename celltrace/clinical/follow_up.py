"""After discharge: check-ups at 3, 6, 12 and 24 months, and home checks of open events.

Home care (up to five weeks of doses at home) is what the plan holds, dated from the
discharge day by clinical/home_care.py: nothing is scheduled here that the plan does not
hold. The check-ups count
from the first administration, day 0 of the outcome registry: the report's time points and
their windows (celltrace/outcomes/analysis_plans/, e.g. 3 months = day 60-120) count from
it, and the discharge comes 5-9 days after it, so a check-up counted from the discharge would
sit off the window's target, and a 24-month one near its edge. Each check-up is due on its
time point's target day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from celltrace.clinical.numbers import percent

HOME_CARE = "home_care"
CHECKUP = "checkup"
# (months, target day after the first administration): the analysis plan's time points
# (celltrace/outcomes/analysis_plans/v1.json; a test keeps the two the same).
CHECKUPS = ((3, 91), (6, 182), (12, 365), (24, 730))


@dataclass(frozen=True)
class ScheduledItem:
    kind: str
    title: str
    due_date: date


def follow_up_schedule(discharge_date: date, first_administration: date) -> list[ScheduledItem]:
    """Return the check-ups due after a discharge, in due order.

    Each check-up on its time point's target day after the first administration. A check-up
    due by the discharge day (a stay long after the first administration) is not scheduled:
    that time point has passed.
    """
    checkups = [
        ScheduledItem(
            CHECKUP,
            f"Check-up {months} months after the first administration",
            first_administration + timedelta(days=target_day),
        )
        for months, target_day in CHECKUPS
    ]
    return [item for item in checkups if item.due_date > discharge_date]


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
