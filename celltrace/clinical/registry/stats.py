"""The few statistics the report's core needs, each a thin wrapper over scipy or statsmodels.

REPORT.md asks for the field's libraries rather than hand-written formulas, so these only
choose the method and shape the answer: a paired mean change with its Student's t 95 %
interval (scipy.stats.t), median, quartiles and range (numpy, linear interpolation between
order statistics), and a proportion's Wilson score or exact Clopper-Pearson 95 % interval
(statsmodels.stats.proportion.proportion_confint). Every section takes its exact interval
from here (one alpha, so the same k/n gives the same floats to the last digit everywhere).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats as scipy_stats
from statsmodels.stats.proportion import proportion_confint

CONFIDENCE = 0.95


def mean_with_ci95(values: Sequence[float]) -> tuple[float, list[float] | None]:
    """Return the mean and its 95 % t interval (values are paired changes: a paired t).

    Identical values have no spread and no interval (None): a t interval of zero width
    would claim a certainty that a sample cannot give (scipy returns NaN there).
    """
    data = np.asarray(values, dtype=float)
    if data.size < 2:
        raise ValueError("a t interval needs at least two values")
    mean = float(data.mean())
    spread = float(scipy_stats.sem(data))
    if spread == 0:
        return mean, None
    low, high = scipy_stats.t.interval(CONFIDENCE, data.size - 1, loc=mean, scale=spread)
    return mean, [float(low), float(high)]


def median_iqr_range(values: Sequence[float]) -> tuple[float, list[float], list[float]]:
    """Return the median, [first quartile, third quartile] and [minimum, maximum]."""
    data = np.asarray(values, dtype=float)
    q1, median, q3 = np.percentile(data, [25, 50, 75])
    return float(median), [float(q1), float(q3)], [float(data.min()), float(data.max())]


def wilson_ci95(k: int, n: int) -> list[float]:
    """Return the Wilson score 95 % interval of k/n (stays inside 0-1, sound at k = 0)."""
    low, high = proportion_confint(k, n, alpha=1 - CONFIDENCE, method="wilson")
    return [float(low), float(high)]


def exact_ci95(k: int, n: int, *, confidence: float = CONFIDENCE) -> list[float]:
    """Return the exact (Clopper-Pearson) two-sided interval of k/n, 95 % unless told."""
    low, high = proportion_confint(k, n, alpha=1 - confidence, method="beta")
    return [float(low), float(high)]


def exact_upper95(k: int, n: int) -> float:
    """Return the exact one-sided 95 % upper bound of k/n: the top of the central 90 %.

    At k = 0 it is 1 - 0.05^(1/n), the exact form of the 'rule of three' (about 3/n;
    Hanley and Lippman-Hand 1983).
    """
    return exact_ci95(k, n, confidence=1 - 2 * (1 - CONFIDENCE))[1]
