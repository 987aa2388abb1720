"""One MS patient's EDSS course: the visits, relapses and the confirmed events to mark.

The events come from celltrace.clinical.disability_course with pymsprog's default options
(fixed baseline, 12-week confirmation) except that every event is kept (event="multiple"),
so a chart shows all of them, and worsening is typed RAW or PIRA against the relapses given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .disability_course import Options, Relapse, Visit, detect_events

COURSE_OPTIONS = Options(event="multiple", raw_pira=True)
_PATIENT = "patient"


@dataclass(frozen=True, slots=True)
class EdssPoint:
    """One EDSS reading."""

    measured_on: date
    edss: float


@dataclass(frozen=True, slots=True)
class CourseEvent:
    """One confirmed event: worsening (CDW, typed RAW/PIRA/undefined) or improvement (CDI)."""

    kind: str  # "CDW" or "CDI"
    cdw_type: str  # "RAW", "PIRA", "undefined", or "" for a CDI
    on: date
    edss: float
    baseline_on: date
    baseline_edss: float
    confirmed_for_days: float

    @property
    def label(self) -> str:
        """Name the event as a clinician reads it, e.g. 'PIRA' or 'CDI'."""
        return self.cdw_type if self.cdw_type in ("RAW", "PIRA") else self.kind


@dataclass(frozen=True, slots=True)
class EdssCourse:
    """The readings in date order, the relapse onsets and the confirmed events."""

    points: tuple[EdssPoint, ...]
    relapses: tuple[date, ...]
    events: tuple[CourseEvent, ...]


def edss_course(points: Iterable[EdssPoint], relapse_onsets: Iterable[date] = ()) -> EdssCourse:
    """Find the confirmed worsening and improvement events in one patient's EDSS readings."""
    points = tuple(sorted(points, key=lambda p: p.measured_on))
    relapses = tuple(sorted(relapse_onsets))
    if not points:
        return EdssCourse(points, relapses, ())
    found = detect_events(
        [Visit(_PATIENT, p.measured_on, p.edss) for p in points],
        [Relapse(_PATIENT, onset) for onset in relapses],
        "edss",
        COURSE_OPTIONS,
    )
    events = tuple(
        CourseEvent(
            kind=e.event_type,
            cdw_type=e.cdw_type,
            on=e.date,
            edss=e.value,
            baseline_on=e.baseline_date,
            baseline_edss=e.baseline_value,
            confirmed_for_days=e.sust_days,
        )
        for e in found
    )
    return EdssCourse(points, relapses, events)
