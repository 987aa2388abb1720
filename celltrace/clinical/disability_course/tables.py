"""pymsprog's results and summary tables, built from assessed courses."""

from __future__ import annotations

from collections.abc import Iterable

from .records import Event, SubjectCourse

RESULT_COLUMNS = (
    "id", "nevent", "event_type", "CDW_type", "total_fu", "time2event", "bl2event",
    "sust_days", "sust_last",
)  # fmt: skip
SUMMARY_COLUMNS = ("id", "event_sequence", "CDI", "CDW", "RAW", "PIRA")


def results_table(courses: Iterable[SubjectCourse], *, include_stable: bool = True) -> list[dict]:
    """Return one row per event, and one per patient without events when include_stable."""
    rows: list[dict] = []
    for course in courses:
        if not course.events:
            if include_stable:
                rows.append(_stable_row(course))
            continue
        rows.extend(
            {
                "id": e.id,
                "nevent": e.nevent,
                "event_type": e.event_type,
                "CDW_type": e.cdw_type,
                "total_fu": e.total_fu,
                "time2event": e.time2event,
                "bl2event": e.bl2event,
                "sust_days": e.sust_days,
                "sust_last": e.sust_last,
            }  # fmt: skip
            for e in course.events
        )
    return rows


def summary_table(courses: Iterable[SubjectCourse]) -> list[dict]:
    """Return each patient's event sequence and counts of CDI, CDW, RAW and PIRA."""
    rows = []
    for course in courses:
        kinds = [_kind(e) for e in course.events]
        rows.append(
            {
                "id": course.id,
                "event_sequence": course.event_sequence,
                "CDI": kinds.count("CDI"),
                "CDW": len(kinds) - kinds.count("CDI"),
                "RAW": kinds.count("RAW"),
                "PIRA": kinds.count("PIRA"),
            }  # fmt: skip
        )
    return rows


def _stable_row(course: SubjectCourse) -> dict:
    return {
        "id": course.id, "nevent": 0, "event_type": "", "CDW_type": "",
        "total_fu": course.total_fu, "time2event": course.total_fu, "bl2event": None,
        "sust_days": None, "sust_last": None,
    }  # fmt: skip


def _kind(event: Event) -> str:
    return event.cdw_type if event.cdw_type in ("RAW", "PIRA") else event.event_type
