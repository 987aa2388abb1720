"""Whether a change from baseline is a clear improvement, no clear change or a worsening.

The one place the registry report classifies a change: rows.py gives every patient row its
verdict from here, and the change tables, subgroups, CSV and figures read that verdict and
never classify again (docs/clinical/outcome-report.md, "MCID rules").

Each instrument's minimal clinically important difference (MCID) is data in the analysis
plan, of one of four kinds: "absolute" (instrument units), "relative" (a fraction of the
baseline), "disability_course" (the disability-course engine's minimum change, so EDSS
worsening is defined once for every screen) and "none" (changes described, never
classified).

A pair is "not classifiable" when there is no MCID (kind "none") or when the MCID is a
share of the baseline and the baseline is 0 (relative MCIDs, T25FW, 9HPT and SDMT): a
threshold of 0 would call any change, however small, a clear one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from celltrace.clinical.disability_course.measures import minimum_changes
from celltrace.clinical.registry.plan import InstrumentPlan

IMPROVED = "improved"
NO_CLEAR_CHANGE = "no_clear_change"
WORSENED = "worsened"
NOT_CLASSIFIABLE = "not_classifiable"
CLASSES = (IMPROVED, NO_CLEAR_CHANGE, WORSENED)
VERDICTS = (*CLASSES, NOT_CLASSIFIABLE)

# Why a pair is not classifiable (the CSV's verdict_reason).
NO_MCID = "no_mcid"
ZERO_BASELINE = "relative_mcid_at_zero_baseline"
REASONS = ("", NO_MCID, ZERO_BASELINE)

# A verdict code per row: an index into VERDICT_CODES, UNPAIRED without baseline and value.
VERDICT_CODES = (
    (IMPROVED, ""),
    (NO_CLEAR_CHANGE, ""),
    (WORSENED, ""),
    (NOT_CLASSIFIABLE, NO_MCID),
    (NOT_CLASSIFIABLE, ZERO_BASELINE),
)
UNPAIRED = -1
VERDICT_CODE = {pair: number for number, pair in enumerate(VERDICT_CODES)}

# Float noise (0.3 x 60 = 17.999...) must not turn a change of exactly the MCID into less.
_TOLERANCE = 1e-9


def classifies(instrument: InstrumentPlan) -> bool:
    """True when the instrument has an MCID to classify changes (and count responders) by."""
    return instrument.mcid.kind != "none"


@dataclass(frozen=True, slots=True)
class Verdicts:
    """Each pair's verdict code (VERDICT_CODES, UNPAIRED) and the change it needed.

    `improvement` and `worsening` are the sizes of change (instrument units, positive) that
    count from each baseline; NaN where the pair is unpaired or not classifiable.
    """

    code: np.ndarray  # int8
    improvement: np.ndarray  # float64
    worsening: np.ndarray  # float64

    def names(self) -> list[str | None]:
        """The verdict of each pair; None when unpaired."""
        return [None if c < 0 else VERDICT_CODES[c][0] for c in self.code.tolist()]


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
) -> Verdicts:
    """Classify each pair (NaN baseline or value: unpaired); a zero change is never clear."""
    base = np.asarray(baselines, dtype=float)
    value = np.asarray(values, dtype=float)
    paired = ~np.isnan(base) & ~np.isnan(value)
    code = np.full(len(base), UNPAIRED, np.int8)
    nothing = np.full(len(base), np.nan)
    if not classifies(instrument):
        code[paired] = VERDICT_CODE[NOT_CLASSIFIABLE, NO_MCID]
        return Verdicts(code, nothing, nothing.copy())
    gain = value - base
    if instrument.lower_is_better:
        gain = -gain
    better, worse = mcid_thresholds(instrument, np.where(paired, base, 1.0))
    # A threshold that is a share of the baseline is 0 at a baseline of 0: not classifiable.
    zero = paired & ((better <= 0) | (worse <= 0))
    code[paired] = VERDICT_CODE[NO_CLEAR_CHANGE, ""]
    code[paired & (gain > 0) & (gain >= better - _TOLERANCE)] = VERDICT_CODE[IMPROVED, ""]
    code[paired & (gain < 0) & (-gain >= worse - _TOLERANCE)] = VERDICT_CODE[WORSENED, ""]
    code[zero] = VERDICT_CODE[NOT_CLASSIFIABLE, ZERO_BASELINE]
    counted = paired & ~zero
    return Verdicts(code, np.where(counted, better, np.nan), np.where(counted, worse, np.nan))


def classify_change(instrument: InstrumentPlan, baseline: float, value: float) -> str:
    """Classify one patient's change from baseline (one of VERDICTS)."""
    return classify_changes(instrument, [baseline], [value]).names()[0]
