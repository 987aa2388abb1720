"""Assess the disability course of many patients at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

import numpy as np

from celltrace.clinical.batching import without_cycle_collection

from . import fixed_baseline
from .options import Options, check_outcome
from .records import Day, Event, Relapse, SubjectCourse, Visit
from .scan import PatientScan
from .settings import Settings, resolve
from .timeline import Timelines, lay_out

# Patients whose visits are Python objects at once: about 60 MB at 16 visits each.
PATIENTS_PER_BATCH = 20_000


def assess_arrays(
    ids,
    days,
    values,
    relapse_ids=(),
    relapse_days=(),
    *,
    outcome: str,
    options: Options | None = None,
    valid_confirmation=None,
    delta_values=None,
    id_names=None,
) -> list[SubjectCourse]:
    """Assess every patient's course from columns of visits and relapse onsets (in days)."""
    batches = assess_in_batches(
        ids, days, values, relapse_ids, relapse_days, outcome=outcome, options=options,
        valid_confirmation=valid_confirmation, delta_values=delta_values, id_names=id_names,
    )  # fmt: skip
    return [course for batch in batches for course in batch]


def assess_in_batches(
    ids,
    days,
    values,
    relapse_ids=(),
    relapse_days=(),
    *,
    outcome: str,
    options: Options | None = None,
    valid_confirmation=None,
    delta_values=None,
    id_names=None,
    patients_per_batch: int = PATIENTS_PER_BATCH,
) -> Iterator[list[SubjectCourse]]:
    """Check and lay out every visit now, then assess the patients a batch at a time.

    Bad input raises here, before the first batch, so a caller writing batches as they
    come never writes part of a table. With id_names, ids and relapse_ids are integer
    codes into it (a relapse's -1: no such patient).
    """
    options = options or Options()
    outcome = check_outcome(outcome)
    timelines = lay_out(
        np.asarray(ids), np.asarray(days, dtype=float), np.asarray(values, dtype=float),
        np.asarray(relapse_ids), np.asarray(relapse_days, dtype=float),
        outcome=outcome, options=options, valid_confirmation=valid_confirmation,
        delta_values=delta_values, id_names=id_names,
    )  # fmt: skip
    # One Settings for every batch: its random generator (impute_seed) runs on across them.
    settings = resolve(
        options, outcome,
        any_relapse=len(relapse_days) > 0, delta_follows_value=delta_values is None,
    )  # fmt: skip
    return _batches(timelines, settings, patients_per_batch)


def _batches(timelines: Timelines, settings: Settings, size: int):
    total = len(timelines.subject_ids)
    assess = _assess_without_scan if fixed_baseline.applies(settings) else _assess_by_scan
    for first in range(0, total, size):
        with without_cycle_collection():
            yield assess(timelines, settings, first, min(first + size, total))


def _assess_by_scan(timelines: Timelines, settings: Settings, first: int, stop: int):
    batch = timelines.patients(first, stop)
    return [_assess_patient(batch, settings, k) for k in range(len(batch.subject_ids))]


def _assess_without_scan(timelines: Timelines, settings: Settings, first: int, stop: int):
    """Assess a batch by fixed_baseline.first_events(), the scan only where it must."""
    t = timelines
    lo, hi = t.starts[first], t.starts[stop]
    starts = t.starts[first : stop + 1] - lo
    days = t.days[lo:hi]
    found = fixed_baseline.first_events(
        settings, starts, days, t.values[lo:hi], t.thresholds[lo:hi],
        (t.event_allowed[lo:hi], t.baseline_blocked[lo:hi], t.confirms[lo:hi],
         t.next_confirming[lo:hi]),
    )  # fmt: skip
    ids = t.subject_ids[first:stop].tolist()
    first_day = days[starts[:-1]]
    total_fu = (days[starts[1:] - 1] - first_day).tolist()
    courses = [
        SubjectCourse(id=i, total_fu=fu, events=()) for i, fu in zip(ids, total_fu, strict=True)
    ]
    for k in np.flatnonzero(found.scan).tolist():
        courses[k] = _assess_patient(t.patients(first + k, first + k + 1), settings, 0)
    with_event = np.flatnonzero(found.change >= 0)
    change, b = found.change[with_event], found.baseline[with_event]
    sust = found.sustained_to[with_event]
    columns = zip(
        with_event.tolist(), found.improvement[with_event].tolist(),
        (days[change] - first_day[with_event]).tolist(), (days[change] - days[b]).tolist(),
        (days[sust] - days[change]).tolist(), (sust == starts[with_event + 1] - 1).tolist(),
        days[change].tolist(), t.values[lo:hi][change].tolist(), days[b].tolist(),
        t.values[lo:hi][b].tolist(), strict=True,
    )  # fmt: skip
    for k, improvement, to_event, from_bl, sust_days, last, day, value, bl_day, bl_value in columns:
        event = Event(
            id=ids[k], nevent=1, event_type="CDI" if improvement else "CDW",
            cdw_type="" if improvement else "undefined", total_fu=total_fu[k],
            time2event=to_event, bl2event=from_bl, sust_days=sust_days, sust_last=last,
            date=day, value=value, baseline_date=bl_day, baseline_value=bl_value,
        )  # fmt: skip
        courses[k] = SubjectCourse(id=ids[k], total_fu=total_fu[k], events=(event,))
    return courses


def assess_course(
    visits: Iterable[Visit],
    relapses: Iterable[Relapse] = (),
    outcome: str = "edss",
    options: Options | None = None,
) -> list[SubjectCourse]:
    """Assess every patient's course from typed visits and relapse onsets."""
    visits, relapses = list(visits), list(relapses)
    as_dates = _uses_calendar_dates([v.date for v in visits] + [r.date for r in relapses])
    deltas = [v.delta_value for v in visits]
    courses = assess_arrays(
        [v.id for v in visits], [_to_day(v.date) for v in visits], [v.value for v in visits],
        [r.id for r in relapses], [_to_day(r.date) for r in relapses],
        outcome=outcome, options=options,
        valid_confirmation=[v.valid_confirmation for v in visits],
        delta_values=None if all(d is None for d in deltas) else
        [v.value if d is None else d for v, d in zip(visits, deltas, strict=True)],
    )  # fmt: skip
    return [_with_dates(course) for course in courses] if as_dates else courses


def detect_events(
    visits: Iterable[Visit],
    relapses: Iterable[Relapse] = (),
    outcome: str = "edss",
    options: Options | None = None,
) -> list[Event]:
    """Return the confirmed disability events of every patient, in order."""
    courses = assess_course(visits, relapses, outcome, options)
    return [event for course in courses for event in course.events]


def _assess_patient(t: Timelines, settings: Settings, k: int) -> SubjectCourse:
    lo, hi = t.starts[k], t.starts[k + 1]
    days = t.days[lo:hi]
    flags = (
        t.event_allowed[lo:hi], t.confirms[lo:hi], t.next_confirming[lo:hi],
        t.relapse_associated[lo:hi], t.baseline_blocked[lo:hi],
    )  # fmt: skip
    rel = t.relapse_days[t.relapse_starts[k] : t.relapse_starts[k + 1]]
    scan = PatientScan(
        settings, days, t.values[lo:hi], t.delta_values[lo:hi], t.thresholds[lo:hi], flags, rel
    )
    found = _select(scan.run(), settings)
    sid, total_fu = t.subject_ids[k], days[-1] - days[0]
    events = tuple(
        Event(
            id=sid,
            nevent=i + 1,
            event_type="CDI" if kind == "CDI" else "CDW",
            cdw_type=_cdw_type(kind, settings),
            total_fu=total_fu,
            time2event=days[change] - days[0],
            bl2event=days[change] - days[b],
            sust_days=days[sust] - days[change],
            sust_last=sust == len(days) - 1,
            date=days[change],
            value=value,
            baseline_date=days[b],
            baseline_value=bl_value,
        )  # fmt: skip
        for i, (change, kind, b, sust, value, bl_value) in enumerate(found)
    )
    return SubjectCourse(id=sid, total_fu=total_fu, events=events)


def _select(found: list, settings: Settings) -> list:
    """Keep the last detection of each change visit, in date order, then the wanted ones."""
    by_change = {f[0]: f for f in found}
    ordered = [by_change[c] for c in sorted(by_change)]
    event = settings.event
    if event == "multiple":
        return ordered
    if event == "first":
        return ordered[:1]
    wanted = {"firstCDW": ("CDW", "RAW", "PIRA"), "firstCDI": ("CDI",)}.get(event, (event[5:],))
    return [f for f in ordered if f[1] in wanted][:1]


def _cdw_type(kind: str, settings: Settings) -> str:
    if kind == "CDI":
        return ""
    return kind if kind in ("RAW", "PIRA") else "undefined"


def _uses_calendar_dates(days: list[Day]) -> bool:
    kinds = {isinstance(d, date) for d in days}
    if len(kinds) > 1:
        raise ValueError("dates must be all calendar dates or all day numbers")
    return kinds == {True}


def _to_day(day: Day) -> float:
    return float(day.toordinal()) if isinstance(day, date) else float(day)


def _with_dates(course: SubjectCourse) -> SubjectCourse:
    events = tuple(
        Event(
            **{
                **{f: getattr(e, f) for f in Event.__dataclass_fields__},
                "date": date.fromordinal(int(e.date)),
                "baseline_date": date.fromordinal(int(e.baseline_date)),
            }
        )
        for e in course.events
    )
    return SubjectCourse(id=course.id, total_fu=course.total_fu, events=events)
