"""Typed records that enter and leave the disability-course engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# A date is a calendar date or, as in a trial's "days from randomisation", a number of days.
Day = date | float | int


@dataclass(frozen=True, slots=True)
class Visit:
    """One assessment of the outcome measure."""

    id: str
    date: Day
    value: float
    # pymsprog's `validconf_col`: False marks a visit that may not confirm a change.
    valid_confirmation: bool = True
    # pymsprog's `valuedelta_col`: the score the meaningful change is computed from.
    delta_value: float | None = None


@dataclass(frozen=True, slots=True)
class Relapse:
    """The onset of one relapse."""

    id: str
    date: Day


@dataclass(frozen=True, slots=True)
class Event:
    """One confirmed disability event (CDW or CDI) of one patient."""

    id: str
    nevent: int
    event_type: str  # "CDW" or "CDI"
    cdw_type: str  # "RAW", "PIRA", "undefined" for an untyped CDW, "" for a CDI
    total_fu: float
    time2event: float
    bl2event: float
    sust_days: float
    sust_last: bool
    date: Day
    value: float
    baseline_date: Day
    baseline_value: float


@dataclass(frozen=True, slots=True)
class SubjectCourse:
    """The events found for one patient over their whole follow-up."""

    id: str
    total_fu: float
    events: tuple[Event, ...]

    @property
    def event_sequence(self) -> str:
        """Return the event kinds in order, as pymsprog's summary writes them."""
        return ", ".join(_kind(event) for event in self.events)


def _kind(event: Event) -> str:
    return event.cdw_type if event.cdw_type in ("RAW", "PIRA") else event.event_type
