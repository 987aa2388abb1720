"""Our disability-course engine against pymsprog 1.0.7 on random registries."""

from __future__ import annotations

import contextlib
import io
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from pymsprog import MSprog

from celltrace.clinical.disability_course import (
    Options,
    RelapseFreeWindows,
    assess_arrays,
    results_table,
)

COMPARED = ("id", "nevent", "event_type", "CDW_type", "total_fu", "time2event", "bl2event",
            "sust_days", "sust_last")  # fmt: skip

_START = {"edss": (0.0, 6.5), "sdmt": (25, 70), "nhpt": (15, 45), "t25fw": (4, 20)}


def make_registry(seed: int, outcome: str, patients: int = 12, *, max_visits: int = 18):
    """Return (visits, relapses) data frames of a seeded random registry, in days."""
    rng = np.random.default_rng(seed)
    rows, relapses = [], []
    for p in range(patients):
        n = int(rng.integers(1, max_visits + 1))
        gaps = rng.choice([0, 30, 60, 84, 90, 91, 120, 180, 365], size=n, p=_GAP_P)
        days = int(rng.integers(-50, 100)) + np.cumsum(gaps)
        values = _walk(rng, outcome, n)
        rows += [(f"p{p}", float(d), float(v)) for d, v in zip(days, values, strict=True)]
        for _ in range(int(rng.choice([0, 0, 1, 2, 4]))):
            relapses.append((f"p{p}", float(rng.integers(days[0] - 60, days[-1] + 60))))
    visits = pd.DataFrame(rows, columns=["id", "day", "value"])
    if rng.random() < 0.3:
        visits = visits.sample(frac=1, random_state=seed).reset_index(drop=True)
    rel = pd.DataFrame(relapses, columns=["id", "day"]).sort_values(["id", "day"], kind="stable")
    return visits, rel.reset_index(drop=True)


_GAP_P = [0.03, 0.12, 0.12, 0.15, 0.15, 0.05, 0.18, 0.15, 0.05]


def _walk(rng, outcome: str, n: int) -> np.ndarray:
    lo, hi = _START[outcome]
    if outcome == "edss":
        steps = rng.choice([-1, -0.5, 0, 0, 0, 0.5, 0.5, 1, 1.5], size=n)
        start = rng.integers(0, int(hi * 2) + 1) / 2
        return np.clip(start + np.concatenate([[0], np.cumsum(steps[1:])]), 0, 10)
    if outcome == "sdmt":
        steps = rng.integers(-9, 8, size=n)
        start = rng.integers(lo, hi)
        return np.clip(start + np.concatenate([[0], np.cumsum(steps[1:])]), 0, 110)
    start = rng.uniform(lo, hi)
    factors = rng.choice([0.7, 0.85, 1.0, 1.0, 1.1, 1.25, 1.4], size=n)
    return np.round(start * np.cumprod(factors), 1)


def to_options(kwargs: dict) -> Options:
    """Translate pymsprog keyword arguments into our Options."""
    ours = {k: v for k, v in kwargs.items() if k not in ("RAW_PIRA", "relapse_indep")}
    ours["raw_pira"] = kwargs.get("RAW_PIRA", False)
    if "relapse_indep" in kwargs:
        ours["relapse_indep"] = RelapseFreeWindows(**kwargs["relapse_indep"])
    return Options(**ours)


def run_pymsprog(visits, relapses, outcome: str, kwargs: dict) -> pd.DataFrame:
    """Run the oracle silently."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, results = MSprog(
            visits, "id", "value", "day", outcome,
            relapse=relapses if len(relapses) else None,
            date_format="day", verbose=0, **kwargs,
        )  # fmt: skip
    return results


def run_ours(visits, relapses, outcome: str, kwargs: dict) -> list[dict]:
    courses = assess_arrays(
        visits["id"], visits["day"], visits["value"], relapses["id"], relapses["day"],
        outcome=outcome, options=to_options(kwargs),
    )  # fmt: skip
    return results_table(courses)


def normalise(rows) -> list[tuple]:
    """Return comparable tuples (NaN and None alike; CDW_type only where both have it)."""
    out = []
    for row in rows:
        cells = []
        for col in COMPARED:
            value = row.get(col)
            if value is None or (isinstance(value, float) and math.isnan(value)):
                value = None
            elif col in ("id", "event_type", "CDW_type"):
                value = str(value)
            elif col == "sust_last":
                value = bool(value)
            else:
                value = float(value)
            cells.append(value)
        out.append(tuple(cells))
    return out


def compare(visits, relapses, outcome: str, kwargs: dict) -> int:
    """Assert that both engines agree patient by patient; return how many were compared."""
    try:
        expected = run_pymsprog(visits, relapses, outcome, kwargs).to_dict("records")
        groups = [(visits, relapses, expected)]
    except (ValueError, IndexError, KeyError, TypeError):
        # pymsprog crashes on some patients (np.min of no confirmation): compare the others.
        groups = list(_per_patient(visits, relapses, outcome, kwargs))
    compared = 0
    for vis, rel, exp in groups:
        ours = run_ours(vis, rel, outcome, kwargs)
        if "CDW_type" not in (exp[0] if exp else {}):
            ours = [{**row, "CDW_type": None} for row in ours]
        assert normalise(ours) == normalise(exp), (kwargs, vis, rel)
        compared += len({row["id"] for row in exp})
    return compared


def _per_patient(visits, relapses, outcome, kwargs):
    for pid in visits["id"].unique():
        vis = visits[visits["id"] == pid]
        rel = relapses[relapses["id"] == pid]
        try:
            exp = run_pymsprog(vis, rel, outcome, kwargs).to_dict("records")
        except (ValueError, IndexError, KeyError, TypeError):
            continue
        yield vis, rel, exp


NAMED_COMBINATIONS = [
    {},
    {"RAW_PIRA": True},
    {"event": "multiple", "baseline": "roving", "RAW_PIRA": True},
    {"event": "multiple", "baseline": "roving", "proceed_from": "event"},
    {"event": "first"},
    {"event": "firstCDI", "baseline": "roving_impr"},
    {"event": "firstPIRA", "baseline": "roving"},
    {"event": "firstPIRA"},
    {"event": "firstRAW", "baseline": "roving_wors"},
    {"event": "firstRAW"},
    {"event": "multiple", "baseline": "roving", "sub_threshold_rebl": "event"},
    {"event": "multiple", "baseline": "roving", "relapse_rebl": True, "bl_geq": True},
    {"event": "multiple", "baseline": "roving", "skip_local_extrema": "strict"},
    {"event": "multiple", "baseline": "roving", "skip_local_extrema": "all"},
    {"event": "multiple", "conf_days": [84, 168], "conf_tol_days": [7, 30]},
    {"event": "multiple", "require_sust_days": 180},
    {"event": "multiple", "require_sust_days": float("inf"), "check_intermediate": False},
    {"event": "multiple", "check_intermediate": False},
    {"event": "multiple", "impute_last_visit": 1},
    {"event": "multiple", "impute_last_visit": 400, "RAW_PIRA": True},
    {"event": "multiple", "relapse_to_bl": [30, 10], "relapse_to_event": [20, 10],
     "relapse_to_conf": [30, 30], "relapse_assoc": [90, 30], "RAW_PIRA": True},
    {"event": "multiple", "RAW_PIRA": True,
     "relapse_indep": {"prec": (0, None), "event": (None, 30), "conf": (60, 30),
                       "prec_type": "last"}},
    {"event": "multiple", "RAW_PIRA": True, "baseline": "roving",
     "relapse_indep": {"prec": (30, 30), "event": (90, 30), "conf": (90, 30),
                       "prec_type": "last_delta"}},
]  # fmt: skip


def agrees_by_design(outcome: str, kwargs: dict) -> bool:
    """Tell whether we mean to match pymsprog on this outcome and option set.

    pymsprog's sub-threshold re-baseline reads "improvement" as a lower score even for
    SDMT, where a lower score is a worsening; we follow the measure's direction
    (see test_disability_course_deviations.py).
    """
    return not (outcome == "sdmt" and kwargs.get("sub_threshold_rebl", "none") != "none")


NAMED_CASES = [
    (outcome, k)
    for k in range(len(NAMED_COMBINATIONS))
    for outcome in ("edss", "sdmt", "nhpt", "t25fw")
    if agrees_by_design(outcome, NAMED_COMBINATIONS[k])
]


@pytest.mark.parametrize(("outcome", "combination"), NAMED_CASES)
def test_it_finds_the_same_events_as_pymsprog_for_each_named_option_set(outcome, combination):
    kwargs = NAMED_COMBINATIONS[combination]
    visits, relapses = make_registry(1000 + combination, outcome)
    assert compare(visits, relapses, outcome, kwargs) >= 6


AXES = {
    "event": ["firstCDW", "first", "firstCDI", "firstPIRA", "firstRAW", "multiple", "multiple"],
    "RAW_PIRA": [False, True],
    "baseline": ["fixed", "roving_impr", "roving_wors", "roving", "roving"],
    "proceed_from": ["firstconf", "event"],
    "sub_threshold_rebl": ["none", "none", "event", "improvement", "worsening"],
    "relapse_rebl": [False, False, True],
    "bl_geq": [False, True],
    "skip_local_extrema": ["none", "none", "strict", "all"],
    "conf_days": [84, 84, 168, [84, 168], [168, 84], 24 * 7],
    "conf_tol_days": [[7, 730.5], [7, 730.5], 30, [14, float("inf")], [0, 60]],
    "require_sust_days": [0, 0, 0, 120, float("inf")],
    "check_intermediate": [True, True, False],
    "relapse_to_bl": [30, 30, 0, [30, 30]],
    "relapse_to_event": [0, 0, 30, [30, 30]],
    "relapse_to_conf": [30, 30, 0, [60, 15]],
    "relapse_assoc": [90, 90, 30, [90, 30]],
    "impute_last_visit": [0, 0, 0, 1, 500],
    "relapse_indep": [
        None,
        {"prec": (0, 0), "event": (90, 30), "conf": (90, 30), "prec_type": "baseline"},
        {"prec": (0, None), "event": (None, 0), "conf": (90, 30), "prec_type": "last"},
        {"prec": (30, 30), "event": (60, 30), "conf": (30, 0), "prec_type": "last_delta"},
    ],
}


def random_combination(seed: int) -> dict:
    """Return a seeded random choice of a value on every option axis."""
    rng = np.random.default_rng(seed)
    kwargs = {}
    for name, choices in AXES.items():
        choice = choices[int(rng.integers(len(choices)))]
        if choice is not None:
            kwargs[name] = choice
    return kwargs


SWEEP = [(seed, ("edss", "sdmt", "nhpt", "t25fw")[seed % 4]) for seed in range(160)]


@pytest.mark.parametrize(("seed", "outcome"), SWEEP)
def test_it_finds_the_same_events_as_pymsprog_across_random_option_sets(seed, outcome):
    kwargs = random_combination(seed)
    if not agrees_by_design(outcome, kwargs):
        kwargs["sub_threshold_rebl"] = "none"
    visits, relapses = make_registry(5000 + seed, outcome, patients=15)
    # pymsprog crashes on a few patients under some option sets; those are left out.
    assert compare(visits, relapses, outcome, kwargs) >= 5


@pytest.mark.parametrize("seed", range(6))
def test_it_honours_unusable_confirmation_visits_and_a_separate_delta_score_as_pymsprog(seed):
    visits, relapses = make_registry(7000 + seed, "edss", patients=15)
    rng = np.random.default_rng(seed)
    visits["validconf"] = rng.random(len(visits)) < 0.8
    visits["deltascore"] = np.clip(
        visits["value"] + rng.choice([0, 0, 0.5, 1.5], len(visits)), 0, 10
    )
    kwargs = {"event": "multiple", "baseline": "roving", "RAW_PIRA": True}
    expected = run_pymsprog(
        visits, relapses, "edss", {**kwargs, "validconf_col": "validconf",
                                   "valuedelta_col": "deltascore"},
    )  # fmt: skip
    courses = assess_arrays(
        visits["id"], visits["day"], visits["value"], relapses["id"], relapses["day"],
        outcome="edss", options=to_options(kwargs),
        valid_confirmation=visits["validconf"], delta_values=visits["deltascore"],
    )  # fmt: skip
    assert normalise(results_table(courses)) == normalise(expected.to_dict("records"))
