"""Lay out every patient's visits and relapses once, in columns, for the event scan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .measures import check_scores, minimum_changes
from .options import Options


@dataclass(frozen=True, slots=True)
class Timelines:
    """All patients' visits, sorted by patient then date, with per-visit relapse facts.

    lay_out() fills the fields with arrays; patients() hands the scan a slice as Python
    lists, which it indexes many times per visit, a batch at a time so that a registry
    of millions of visits never holds a Python object per visit all at once.
    """

    subject_ids: Sequence[str]
    starts: Sequence[int]  # visits of patient k are starts[k]:starts[k + 1]
    days: Sequence[float]
    values: Sequence[float]
    delta_values: Sequence[float]
    thresholds: Sequence[float]  # minimum meaningful change from each visit's score
    baseline_blocked: Sequence[bool]  # too close to a relapse to serve as baseline
    event_allowed: Sequence[bool]  # far enough from relapses for a change to count
    confirms: Sequence[bool]  # may confirm a change (relapse distance and validconf)
    relapse_associated: Sequence[bool]  # close enough to a relapse for a RAW
    next_confirming: Sequence[int]  # the patient's first visit at or after this one that
    # may confirm, counted from the patient's first visit (the visit count when there is none)
    relapse_starts: Sequence[int]  # relapses of patient k are relapse_starts[k]:[k + 1]
    relapse_days: Sequence[float]

    def patients(self, first: int, stop: int) -> Timelines:
        """Return patients first to stop - 1 as lists, their visits counted from zero."""
        lo, hi = self.starts[first], self.starts[stop]
        r_lo, r_hi = self.relapse_starts[first], self.relapse_starts[stop]
        visit_fields = (
            "days", "values", "delta_values", "thresholds", "baseline_blocked",
            "event_allowed", "confirms", "relapse_associated", "next_confirming",
        )  # fmt: skip
        return Timelines(
            subject_ids=self.subject_ids[first:stop].tolist(),
            starts=(self.starts[first : stop + 1] - lo).tolist(),
            relapse_starts=(self.relapse_starts[first : stop + 1] - r_lo).tolist(),
            relapse_days=self.relapse_days[r_lo:r_hi].tolist(),
            **{f: getattr(self, f)[lo:hi].tolist() for f in visit_fields},
        )


def lay_out(
    ids: np.ndarray,
    days: np.ndarray,
    values: np.ndarray,
    relapse_ids: np.ndarray,
    relapse_days: np.ndarray,
    *,
    outcome: str,
    options: Options,
    valid_confirmation: np.ndarray | None = None,
    delta_values: np.ndarray | None = None,
    id_names: np.ndarray | None = None,
) -> Timelines:
    """Group visits by patient, keep the last visit of a day, and measure relapse distances.

    With id_names, ids and relapse_ids are integer codes into it (a relapse's -1: no such
    patient), which spares a string per visit.
    """
    ids, days, values, valid, deltas = _complete_visits(
        ids, days, values, valid_confirmation, delta_values, coded=id_names is not None
    )
    check_scores(outcome, values)
    check_scores(outcome, deltas)
    keys, codes = _codes_in_order_of_appearance(ids)
    subject_ids = keys if id_names is None else np.asarray(id_names, dtype=object)[keys]
    if not _in_order_one_visit_a_day(codes, days):
        rows = _last_visit_of_each_day(codes, days)
        codes, days, values, valid, deltas = (a[rows] for a in (codes, days, values, valid, deltas))
    starts = np.searchsorted(codes, np.arange(len(subject_ids) + 1))
    rel_codes, rel_days = _relapses_in_follow_up(
        _subjects_of(keys, relapse_ids, id_names),
        days[starts[:-1]], relapse_days, options,
    )  # fmt: skip
    before, after = _relapse_distances(starts, codes, days, rel_codes, rel_days)
    return _columns(
        subject_ids, codes, starts, days, values, deltas, valid, before, after, rel_codes, rel_days,
        outcome=outcome, options=options,
    )  # fmt: skip


def _columns(
    subject_ids, codes, starts, days, values, deltas, valid, before, after, rel_codes, rel_days,
    *, outcome, options,
) -> Timelines:  # fmt: skip
    to_bl = options.relapse_distance("relapse_to_bl")
    to_event = options.relapse_distance("relapse_to_event")
    to_conf = options.relapse_distance("relapse_to_conf")
    assoc = options.relapse_distance("relapse_assoc")
    confirms = (before >= to_conf[0]) & (after >= to_conf[1]) & valid
    return Timelines(
        subject_ids=subject_ids,
        starts=starts,
        days=days,
        values=values,
        delta_values=deltas,
        thresholds=minimum_changes(outcome, deltas, options.delta_fun),
        baseline_blocked=((before < to_bl[0]) | (after < to_bl[1])),
        event_allowed=((before >= to_event[0]) & (after >= to_event[1])),
        confirms=confirms,
        relapse_associated=((before <= assoc[0]) | (after <= assoc[1])),
        next_confirming=_next_confirming(confirms, starts, codes),
        relapse_starts=np.searchsorted(rel_codes, np.arange(len(subject_ids) + 1)),
        relapse_days=rel_days,
    )


def _complete_visits(ids, days, values, valid_confirmation, delta_values, *, coded):
    ids = np.asarray(ids) if coded else np.asarray(ids).astype(str)
    if coded and ids.dtype.kind not in "iu":
        ids = ids.astype(np.int64)  # an empty list of codes reads as floats
    days = np.asarray(days, dtype=float)
    values = np.asarray(values, dtype=float)
    valid = np.ones(len(ids), bool) if valid_confirmation is None else valid_confirmation
    valid = np.asarray(valid, dtype=bool)
    deltas = values if delta_values is None else np.asarray(delta_values, dtype=float)
    # pymsprog drops visits with a missing field before anything else.
    keep = ~(np.isnan(days) | np.isnan(values) | np.isnan(deltas))
    if keep.all():
        return ids, days, values, valid, deltas
    return tuple(a[keep] for a in (ids, days, values, valid, deltas))


def _codes_in_order_of_appearance(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if ids.dtype.kind in "iu" and len(ids):
        return _integers_in_order_of_appearance(ids)
    unique, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(unique), dtype=np.int64)
    rank[order] = np.arange(len(unique))
    return unique[order], rank[inverse]


def _integers_in_order_of_appearance(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # A patient first appears where the id changes, so only those rows need sorting.
    changes = np.flatnonzero(np.concatenate([[True], ids[1:] != ids[:-1]]))
    keys, first = np.unique(ids[changes], return_index=True)
    keys = keys[np.argsort(changes[first], kind="stable")]
    number = np.empty(int(ids.max()) + 1, dtype=np.int64)
    number[keys] = np.arange(len(keys))
    return keys, number[ids]


def _in_order_one_visit_a_day(codes: np.ndarray, days: np.ndarray) -> bool:
    """Tell whether visits are by patient, then date, one a day, as registries export them."""
    same = codes[1:] == codes[:-1]
    return bool(np.all(codes[1:] >= codes[:-1]) and np.all(~same | (days[1:] > days[:-1])))


def _last_visit_of_each_day(codes: np.ndarray, days: np.ndarray) -> np.ndarray:
    # A stable sort keeps same-day visits in input order; pymsprog keeps the last one.
    order = np.lexsort((days, codes))
    c, d = codes[order], days[order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    return order[last]


def _subjects_of(keys: np.ndarray, relapse_ids, id_names) -> np.ndarray:
    """Return the patient number (order of appearance) of each relapse, -1 for none."""
    if id_names is not None:
        number = np.full(len(id_names) + 1, -1, dtype=np.int64)
        number[keys] = np.arange(len(keys))
        return number[np.asarray(relapse_ids, dtype=np.int64)]  # code -1 reads number[-1]
    lookup = {sid: k for k, sid in enumerate(keys.tolist())}
    return np.array(
        [lookup.get(r, -1) for r in np.asarray(relapse_ids).astype(str).tolist()],
        dtype=np.int64,
    )


def _relapses_in_follow_up(codes, first_days, relapse_days, options):
    relapse_days = np.asarray(relapse_days, dtype=float)
    known = (codes >= 0) & ~np.isnan(relapse_days)
    codes, relapse_days = codes[known], relapse_days[known]
    # pymsprog ignores relapses earlier than the first visit minus relapse_to_bl.
    earliest = first_days[codes] - options.relapse_distance("relapse_to_bl")[0]
    kept = relapse_days >= earliest
    codes, relapse_days = codes[kept], relapse_days[kept]
    order = np.lexsort((relapse_days, codes))
    return codes[order], relapse_days[order]


def _relapse_distances(starts, codes, days, rel_codes, rel_days) -> tuple[np.ndarray, np.ndarray]:
    """Return days since the last relapse and until the next one (same day counts as 0).

    Visits are by patient then date and relapses too, so each relapse is placed among
    its patient's visits by a binary search, and each visit's last and next relapse
    follow by running maximum and minimum over the visits: the relapses are searched,
    not the (many more) visits.
    """
    before = np.full(len(days), np.inf)
    after = np.full(len(days), np.inf)
    if len(rel_days) == 0 or len(days) == 0:
        return before, after
    number = np.arange(len(rel_days))
    # Visits from `on_or_after` on are on or after the relapse's day, those before
    # `past` on or before it (both within the relapse's patient).
    on_or_after = _place(starts, days, rel_codes, rel_days, side="left")
    past = _place(starts, days, rel_codes, rel_days, side="right")
    # The last relapse on or before each visit: the highest-numbered one placed at or
    # before it (relapses of a later patient are placed later; an earlier one's is
    # recognised by its patient).
    marks = np.full(len(days) + 1, -1)
    highest = np.append(on_or_after[1:] != on_or_after[:-1], True)  # places never decrease
    marks[on_or_after[highest]] = number[highest]
    last = np.maximum.accumulate(marks[:-1])
    ok = (last >= 0) & (rel_codes[np.maximum(last, 0)] == codes)
    before[ok] = days[ok] - rel_days[last[ok]]
    # The next relapse on or after each visit: the lowest-numbered one placed after it.
    marks = np.full(len(days) + 1, len(rel_days))
    lowest = np.insert(past[1:] != past[:-1], 0, True)
    marks[past[lowest]] = number[lowest]
    nxt = np.minimum.accumulate(marks[1:][::-1])[::-1]
    ok = (nxt < len(rel_days)) & (rel_codes[np.minimum(nxt, len(rel_days) - 1)] == codes)
    after[ok] = rel_days[nxt[ok]] - days[ok]
    return before, after


def _place(starts, days, rel_codes, rel_days, *, side: str) -> np.ndarray:
    """Return, for each relapse, where its day falls among its own patient's visit days."""
    lo, hi = starts[rel_codes].astype(np.int64), starts[rel_codes + 1].astype(np.int64)
    # A binary search over every relapse at once, each within its patient's visits.
    searching = np.flatnonzero(lo < hi)
    while searching.size:
        mid = (lo[searching] + hi[searching]) // 2
        day = days[mid]
        target = rel_days[searching]
        right = day <= target if side == "right" else day < target
        lo[searching[right]] = mid[right] + 1
        hi[searching[~right]] = mid[~right]
        searching = searching[lo[searching] < hi[searching]]
    return lo


def _next_confirming(confirms: np.ndarray, starts: np.ndarray, codes: np.ndarray) -> np.ndarray:
    following = np.minimum(_next_true(confirms), starts[codes + 1])
    following -= starts[codes]
    return following.astype(np.int32)  # a patient's visit count: int32 halves the column


def _next_true(flags: np.ndarray) -> np.ndarray:
    index = np.where(flags, np.arange(len(flags)), len(flags))
    return np.minimum.accumulate(index[::-1])[::-1] if len(flags) else index
