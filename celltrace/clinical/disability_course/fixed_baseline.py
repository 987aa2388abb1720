"""The first confirmed event against a fixed baseline, for many patients at once.

With a fixed baseline the scan of scan.py has one reference score per patient, so
whether a visit would be a confirmed improvement or worsening, were the search to
reach it, does not depend on the search: it is decided for every visit of a batch
with numpy. The search only ever jumps, after a confirmed event, over visits at which
that event still holds; with a positive minimum change those visits cannot start an
event of the other kind. So the first worsening (firstCDW), improvement (firstCDI) or
event (first) is the first visit where one is confirmed, as the scan would find it.

Option sets where the search carries more state (roving baselines, several events,
RAW/PIRA typing, relapse re-baselines, skipped extrema, confirmation without the
visits in between, random imputation) go through the scan, as do patients whose
minimum change from baseline is not positive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .settings import Settings

EVENTS = ("firstCDW", "firstCDI", "first")


def applies(settings: Settings) -> bool:
    """Tell whether these settings' results can be found without the scan."""
    s = settings
    return (
        s.baseline == "fixed"
        and s.event in EVENTS
        and not s.rawpira
        and not s.relapse_rebl
        and not s.bl_geq
        and s.skip_local_extrema == "none"
        and s.check_intermediate
        and (s.impute_probability <= 0 or s.impute_probability >= 1)
    )


@dataclass(frozen=True, slots=True)
class FirstEvents:
    """Each patient's first wanted event, as visit indices into the batch (-1: none)."""

    change: np.ndarray  # the visit where the score changed
    baseline: np.ndarray
    sustained_to: np.ndarray  # the last visit at which the change still held
    improvement: np.ndarray  # True: a CDI, False: a CDW
    scan: np.ndarray  # True: the patient needs the scan (minimum change not positive)


def first_events(
    settings: Settings,
    starts: np.ndarray,
    days: np.ndarray,
    values: np.ndarray,
    thresholds: np.ndarray,
    flags: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> FirstEvents:
    """Find the first wanted event of each patient of a batch (visits starts[k]:starts[k+1]).

    flags: (event_allowed, baseline_blocked, confirms, next_confirming), the last counted
    from each patient's first visit, as in Timelines.
    """
    event_allowed, blocked, _, next_confirming = flags
    total, patients = len(days), len(starts) - 1
    counts = np.diff(starts)
    code = np.repeat(np.arange(patients), counts)
    first_visit, stop = starts[:-1], starts[1:]
    # The baseline: the first visit not too close to a relapse, if one is left to change from.
    baseline = _next_where(~blocked)[first_visit]
    has_baseline = baseline <= stop - 2
    baseline = np.minimum(baseline, stop - 1)
    reference, threshold = values[baseline], thresholds[baseline]
    scan = has_baseline & ~(threshold > 0)
    searched = has_baseline & ~scan
    gain = settings.sign * (values - reference[code])
    worse = gain >= threshold[code]
    better = gain <= -threshold[code]
    index = np.arange(total)
    candidates = np.flatnonzero(
        (worse | better) & event_allowed & (index > baseline[code]) & searched[code]
    )
    owner = code[candidates]
    end = stop[owner]
    confirmation = _confirmation(settings, candidates, end, starts[owner], days, next_confirming)
    confirmed = confirmation < end
    after = np.minimum(confirmation + 1, total)  # the first visit past the confirmation
    results = []
    for holds in (better, worse):
        # The first visit from each visit on where the change no longer holds (stop: none).
        failing = np.minimum(_next_where(~holds), stop[code])
        failing = np.append(failing, total)
        held = holds[candidates] & confirmed & (failing[candidates + 1] > confirmation)
        end_of_change = np.where(confirmed, np.minimum(failing[after], end), end)
        results.append((held, end_of_change))
    (cdi, cdi_end), (cdw, cdw_end) = results
    imputed = _imputed(settings, candidates, end, days, starts[owner], worse) & ~cdw
    cdw_end = np.where(imputed, end, cdw_end)
    cdw |= imputed
    need = settings.require_sust_days
    if need:
        changed_on = days[candidates]
        cdi &= (cdi_end == end) | (days[np.minimum(cdi_end, total - 1)] - changed_on >= need)
        cdw &= (cdw_end == end) | (days[np.minimum(cdw_end, total - 1)] - changed_on >= need)
    wanted = {"firstCDW": cdw, "firstCDI": cdi}.get(settings.event, cdw | cdi)
    found = np.flatnonzero(wanted)
    patient, first = np.unique(owner[found], return_index=True)
    found = found[first]
    change = np.full(patients, -1)
    change[patient] = candidates[found]
    improvement = np.zeros(patients, dtype=bool)
    improvement[patient] = cdi[found]
    sustained_to = np.full(patients, -1)
    sustained_to[patient] = np.where(cdi[found], cdi_end[found], cdw_end[found]) - 1
    return FirstEvents(
        change=change,
        baseline=np.where(change >= 0, baseline, -1),
        sustained_to=sustained_to,
        improvement=improvement,
        scan=scan,
    )


def _next_where(flags: np.ndarray) -> np.ndarray:
    """Return, for each position, the first position at or after it where flags is set."""
    index = np.where(flags, np.arange(len(flags)), len(flags))
    return np.minimum.accumulate(index[::-1])[::-1]


def _confirmation(settings, candidates, end, first_visit, days, next_confirming) -> np.ndarray:
    """Return each candidate change's earliest confirmation visit over all periods (end: none)."""
    total = len(days)
    changed_on = days[candidates]
    earliest = end.copy()
    for lo, hi in settings.windows:
        # The first visit at least `lo` days after the change, by the scan's own walk
        # (the same subtraction, so fractional days round alike).
        j = candidates + 1
        walking = np.flatnonzero(j < end)
        while walking.size:
            walking = walking[days[j[walking]] - changed_on[walking] < lo]
            j[walking] += 1
            walking = walking[j[walking] < end[walking]]
        inside = j < end
        k = np.where(inside, first_visit + next_confirming[np.minimum(j, total - 1)], end)
        usable = (k < end) & (days[np.minimum(k, total - 1)] - changed_on <= hi)
        earliest = np.where(usable & (k < earliest), k, earliest)
    return earliest


def _imputed(settings, candidates, end, days, first_visit, worse) -> np.ndarray:
    """Tell which worsenings at a patient's last visit are imputed as confirmed."""
    if settings.impute_probability < 1:
        return np.zeros(len(candidates), dtype=bool)
    last = candidates == end - 1
    follow_up = days[candidates] - days[first_visit]
    return last & worse[candidates] & (follow_up <= settings.impute_max_fu)
