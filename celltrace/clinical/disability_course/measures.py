"""The outcome measures: direction of worsening and minimum meaningful change."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

OUTCOMES = ("edss", "nhpt", "t25fw", "sdmt", "custom")

# Higher EDSS, NHPT and T25FW are worse; a lower SDMT is worse.
_WORSENING = {"edss": "increase", "nhpt": "increase", "t25fw": "increase", "sdmt": "decrease"}

# The plausible range of each scale, as pymsprog checks it before it scores.
_UPPER_LIMIT = {"edss": 10.0, "sdmt": 110.0}


def worsening_direction(outcome: str, custom: str | None) -> str:
    """Return 'increase' or 'decrease', the direction in which the measure worsens."""
    if outcome in _WORSENING:
        return _WORSENING[outcome]
    if custom not in ("increase", "decrease"):
        raise ValueError("a custom outcome needs worsening='increase' or 'decrease'")
    return custom


def check_scores(outcome: str, scores: np.ndarray) -> None:
    """Refuse scores outside the scale's range."""
    if outcome == "custom" or scores.size == 0:
        return
    if (scores < 0).any():
        raise ValueError(f"negative {outcome.upper()} scores")
    limit = _UPPER_LIMIT.get(outcome)
    if limit is not None and (scores > limit).any():
        raise ValueError(f"{outcome.upper()} scores above {limit:g}")


def minimum_changes(
    outcome: str, reference: np.ndarray, delta_fun: Callable[[float], float] | None
) -> np.ndarray:
    """Return the minimum clinically meaningful change from each reference score."""
    if delta_fun is not None:
        cache: dict[float, float] = {}
        return np.array([_cached(cache, delta_fun, x) for x in reference.tolist()], dtype=float)
    if outcome == "edss":
        # Lorscheider 2016: 1.5 from EDSS 0, 1.0 up to 5.0, 0.5 above 5.0.
        return np.where(reference == 0, 1.5, np.where(reference <= 5, 1.0, 0.5))
    if outcome in ("nhpt", "t25fw"):
        # A 20% slower test time is the accepted meaningful change.
        return reference / 5
    if outcome == "sdmt":
        # 20% of the reference score but never more than 4 points, as pymsprog computes it.
        return np.minimum(reference / 5, 4)
    raise ValueError("a custom outcome needs a delta_fun")


def minimum_change(outcome: str, reference: float, delta_fun: Callable | None) -> float:
    """Return the minimum meaningful change from one reference score."""
    return float(minimum_changes(outcome, np.array([reference], dtype=float), delta_fun)[0])


def _cached(cache: dict[float, float], delta_fun: Callable[[float], float], x: float) -> float:
    if x not in cache:
        cache[x] = float(delta_fun(x))
    return cache[x]
