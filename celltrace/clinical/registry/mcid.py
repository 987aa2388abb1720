"""Whether a change from baseline is a clear improvement, no clear change or a worsening.

Each instrument's minimal clinically important difference (MCID) is data in the analysis
plan, of one of four kinds: "absolute" (instrument units), "relative" (a fraction of the
baseline), "disability_course" (the disability-course engine's minimum change, so EDSS
worsening is defined once for every screen) and "none" (changes described, never
classified).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from celltrace.clinical.disability_course.measures import minimum_changes
from celltrace.clinical.registry.plan import InstrumentPlan

IMPROVED = "improved"
NO_CLEAR_CHANGE = "no_clear_change"
WORSENED = "worsened"
CLASSES = (IMPROVED, NO_CLEAR_CHANGE, WORSENED)

# Float noise (0.3 x 60 = 17.999...) must not turn a change of exactly the MCID into less.
_TOLERANCE = 1e-9


def classifies(instrument: InstrumentPlan) -> bool:
    """True when the instrument has an MCID to classify changes (and count responders) by."""
    return instrument.mcid.kind != "none"


def mcid_thresholds(
    instrument: InstrumentPlan, baselines: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return the improvement and worsening sizes that count, from each baseline value."""
    mcid = instrument.mcid
    if mcid.kind == "absolute":
        ones = np.ones_like(baselines)
        return ones * float(mcid.improvement), ones * float(mcid.worsening)
    if mcid.kind == "relative":
        size = np.abs(baselines)
        return size * float(mcid.improvement), size * float(mcid.worsening)
    if mcid.kind == "disability_course":
        step = minimum_changes(instrument.code, baselines, None)  # minimum_change, vectorised
        return step, step
    raise ValueError(f"{instrument.code}: an MCID of kind {mcid.kind!r} classifies nothing")


def classify_changes(
    instrument: InstrumentPlan, baselines: Sequence[float], values: Sequence[float]
) -> list[str]:
    """Classify each patient's change from baseline; a zero change is never a clear one."""
    base = np.asarray(baselines, dtype=float)
    gain = np.asarray(values, dtype=float) - base
    if instrument.lower_is_better:
        gain = -gain
    better, worse = mcid_thresholds(instrument, base)
    improved = (gain > 0) & (gain >= better - _TOLERANCE)
    worsened = (gain < 0) & (-gain >= worse - _TOLERANCE)
    verdicts = np.where(improved, IMPROVED, np.where(worsened, WORSENED, NO_CLEAR_CHANGE))
    return verdicts.tolist()


def classify_change(instrument: InstrumentPlan, baseline: float, value: float) -> str:
    """Classify one patient's change from baseline."""
    return classify_changes(instrument, [baseline], [value])[0]
