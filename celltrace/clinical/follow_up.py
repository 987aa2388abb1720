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

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from celltrace.clinical.numbers import percent
from celltrace.clinical.registry.plan import TimePoint, load_plan

HOME_CARE = "home_care"
CHECKUP = "checkup"
# The outcome report's analysis plans, one file a version (v1.json, v2.json, ...). The
# latest is the plan in force: the check-ups are its time points, with its windows, so a
# check-up and the report can never disagree on when a visit counts.
ANALYSIS_PLANS = Path(__file__).resolve().parent.parent / "outcomes" / "analysis_plans"


def _latest_plan_timepoints() -> tuple[TimePoint, ...]:
    latest = max(ANALYSIS_PLANS.glob("v*.json"), key=lambda path: int(path.stem[1:]))
    return load_plan(json.loads(latest.read_text(encoding="utf-8"))).timepoints


CHECKUP_TIMEPOINTS = _latest_plan_timepoints()
# (months, target day after the first administration), read from the plan's time points.
CHECKUPS = tuple((int(tp.name.split()[0]), tp.target_day) for tp in CHECKUP_TIMEPOINTS)


@dataclass(frozen=True)
class ScheduledItem:
    kind: str
    title: str
    due_date: date
    # A check-up's window: the first and last day a visit counts for its time point.
    window_opens: date | None = None
    window_closes: date | None = None


def follow_up_schedule(discharge_date: date, first_administration: date) -> list[ScheduledItem]:
    """Return the check-ups due after a discharge, in due order.

    Each check-up on its time point's target day after the first administration. A check-up
    due by the discharge day (a stay long after the first administration) is not scheduled:
    that time point has passed.
    """
    return [
        item for item in checkup_schedule(first_administration) if item.due_date > discharge_date
    ]


def checkup_schedule(first_administration: date) -> list[ScheduledItem]:
    """Return one check-up per time point of the plan, on its target day, with its window."""
    return [
        ScheduledItem(
            CHECKUP,
            f"Check-up {tp.name} after the first administration",
            first_administration + timedelta(days=tp.target_day),
            window_opens=first_administration + timedelta(days=tp.first_day),
            window_closes=first_administration + timedelta(days=tp.last_day),
        )
        for tp in CHECKUP_TIMEPOINTS
    ]


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


def completion_problem(kind: str, *, due_date: date, window_opens: date | None, today: date) -> str:
    """Say why an open item may not be marked done today ("" when it may).

    A check-up counts for its time point only inside its window, so it is done from the day
    the window opens (before its target day is fine). A home-care item (a dose, a call) is
    done on or after its day, not ahead of it.
    """
    if kind == CHECKUP and window_opens is not None and today < window_opens:
        return (
            f"This check-up's window opens on {window_opens:%Y-%m-%d}: a visit before then "
            "counts for no time point, so it cannot be marked done yet."
        )
    if kind != CHECKUP and today < due_date:
        return f"This item is due on {due_date:%Y-%m-%d}: it can be marked done from that day."
    return ""


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
