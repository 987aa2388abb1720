"""The first event against a fixed baseline, found for all patients at once, is the scan's."""

from __future__ import annotations

import pytest

from celltrace.clinical.disability_course import Options, assess_arrays, fixed_baseline
from celltrace.clinical.disability_course.settings import resolve
from celltrace.clinical.tests.test_disability_course_oracle import make_registry

OPTION_SETS = [
    {},
    {"event": "firstCDI"},
    {"event": "first"},
    {"event": "first", "proceed_from": "event", "sub_threshold_rebl": "event"},
    {"conf_days": (84, 168), "conf_tol_days": (7, 30)},
    {"event": "firstCDI", "conf_days": 30, "conf_tol_days": (60, 90)},
    {"require_sust_days": 180},
    {"event": "first", "require_sust_days": float("inf")},
    {"impute_last_visit": 1},
    {"event": "first", "impute_last_visit": 400},
    {"relapse_to_bl": (30, 10), "relapse_to_event": (20, 10), "relapse_to_conf": (30, 30)},
    {"delta_fun": lambda reference: 0.0, "worsening": "increase"},
    {"event": "firstCDI", "delta_fun": lambda reference: 0.0, "worsening": "increase"},
    {"event": "first", "delta_fun": lambda reference: reference - 20, "worsening": "decrease"},
]


def assess(visits, relapses, outcome, options):
    return assess_arrays(
        visits["id"], visits["day"], visits["value"], relapses["id"], relapses["day"],
        outcome=outcome, options=options,
    )  # fmt: skip


@pytest.mark.parametrize("outcome", ["edss", "sdmt", "nhpt", "t25fw"])
@pytest.mark.parametrize("combination", range(len(OPTION_SETS)))
def test_it_finds_the_events_the_scan_finds(outcome, combination, monkeypatch):
    kwargs = OPTION_SETS[combination]
    if "delta_fun" in kwargs:
        outcome = "custom"
    options = Options(**kwargs)
    settings = resolve(options, outcome, any_relapse=True, delta_follows_value=True)
    assert fixed_baseline.applies(settings)
    for seed in range(4):
        visits, relapses = make_registry(300 + seed, "edss" if outcome == "custom" else outcome,
                                         patients=40, max_visits=25)  # fmt: skip
        without_scan = assess(visits, relapses, outcome, options)
        with monkeypatch.context() as patch:
            patch.setattr(fixed_baseline, "applies", lambda settings: False)
            assert assess(visits, relapses, outcome, options) == without_scan


def test_it_leaves_a_roving_baseline_or_typed_worsenings_to_the_scan():
    for options in (Options(baseline="roving"), Options(raw_pira=True), Options(event="multiple"),
                    Options(check_intermediate=False), Options(impute_last_visit=0.5)):  # fmt: skip
        settings = resolve(options, "edss", any_relapse=True, delta_follows_value=True)
        assert not fixed_baseline.applies(settings)
