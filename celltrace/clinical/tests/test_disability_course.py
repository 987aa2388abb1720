"""Confirmed disability worsening and improvement on hand-made MS courses."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from celltrace.clinical.disability_course import (
    Options,
    Relapse,
    Visit,
    assess_arrays,
    assess_course,
    assess_in_batches,
    detect_events,
    results_table,
    summary_table,
)


def course(*pairs, patient="A"):
    return [Visit(patient, day, score) for day, score in pairs]


def test_it_finds_a_worsening_confirmed_twelve_weeks_later():
    [event] = detect_events(course((0, 2.0), (100, 3.0), (200, 3.0)), [], "edss")
    assert (event.event_type, event.time2event, event.sust_days, event.sust_last) == (
        "CDW", 100, 100, True,
    )  # fmt: skip


def test_it_ignores_a_worsening_that_is_not_sustained_to_the_confirmation_visit():
    assert detect_events(course((0, 2.0), (100, 3.0), (200, 2.5)), [], "edss") == []


def test_it_needs_a_full_point_from_edss_five_and_half_a_point_above():
    assert detect_events(course((0, 5.0), (100, 5.5), (200, 5.5)), [], "edss") == []
    assert len(detect_events(course((0, 5.5), (100, 6.0), (200, 6.0)), [], "edss")) == 1


def test_it_imputes_an_unconfirmed_worsening_at_the_last_visit_only_when_asked():
    visits = course((0, 2.0), (100, 2.0), (200, 3.5))
    assert detect_events(visits, [], "edss") == []
    [event] = detect_events(visits, [], "edss", Options(impute_last_visit=1))
    assert (event.time2event, event.sust_days) == (200, 0)


def test_it_finds_improvements_and_worsenings_in_order_with_a_roving_baseline():
    visits = course((0, 4.0), (100, 3.0), (200, 3.0), (300, 4.5), (400, 4.5))
    events = detect_events(visits, [], "edss", Options(event="multiple", baseline="roving"))
    assert [(e.event_type, e.time2event, e.bl2event) for e in events] == [
        ("CDI", 100, 100), ("CDW", 300, 100),
    ]  # fmt: skip


def test_it_types_a_worsening_soon_after_a_relapse_as_raw_and_a_distant_one_as_pira():
    visits = course((0, 2.0), (100, 3.0), (200, 3.0))
    near = detect_events(visits, [Relapse("A", 60)], "edss", Options(raw_pira=True))
    far = detect_events(visits, [], "edss", Options(raw_pira=True))
    assert (near[0].cdw_type, far[0].cdw_type) == ("RAW", "PIRA")


def test_it_reads_sdmt_as_worse_when_lower():
    [event] = detect_events(course((0, 50), (100, 44), (200, 44)), [], "sdmt")
    assert event.event_type == "CDW"


def test_it_keeps_the_last_of_two_visits_on_the_same_day():
    visits = course((0, 2.0), (100, 3.0), (100, 2.0), (200, 3.0))
    assert detect_events(visits, [], "edss") == []


def test_it_gives_calendar_dates_back_when_given_calendar_dates():
    visits = course((date(2020, 1, 1), 2.0), (date(2020, 4, 10), 3.0), (date(2020, 7, 20), 3.0))
    [event] = detect_events(visits, [], "edss")
    assert (event.date, event.baseline_date) == (date(2020, 4, 10), date(2020, 1, 1))


def test_it_lists_patients_without_events_in_the_results_table():
    courses = assess_course(course((0, 2.0), (100, 2.0)), [], "edss")
    assert results_table(courses) == [
        {"id": "A", "nevent": 0, "event_type": "", "CDW_type": "", "total_fu": 100,
         "time2event": 100, "bl2event": None, "sust_days": None, "sust_last": None},
    ]  # fmt: skip
    assert results_table(courses, include_stable=False) == []


def test_it_counts_events_by_kind_in_the_summary():
    visits = course((0, 2.0), (100, 3.0), (200, 3.0), (300, 4.0), (400, 4.0))
    options = Options(event="multiple", baseline="roving", raw_pira=True)
    [row] = summary_table(assess_course(visits, [], "edss", options))
    assert row == {"id": "A", "event_sequence": "PIRA, PIRA", "CDI": 0, "CDW": 2, "RAW": 0,
                   "PIRA": 2}  # fmt: skip


def test_it_scores_a_custom_measure_with_its_own_threshold_and_direction():
    options = Options(worsening="decrease", delta_fun=lambda reference: 5)
    [event] = detect_events(course((0, 40), (100, 34), (200, 35)), [], "custom", options)
    assert event.event_type == "CDW"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"event": "second"}, "event must be one of"),
        ({"baseline": "moving"}, "baseline must be one of"),
        ({"impute_last_visit": -1}, "nonnegative"),
        ({"conf_days": (84, 168), "conf_tol_days": {84: 7}}, "no tolerance for 168"),
    ],
)
def test_it_refuses_invalid_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Options(**kwargs)


def test_it_refuses_a_custom_measure_without_a_direction():
    with pytest.raises(ValueError, match="worsening"):
        detect_events(course((0, 1), (100, 2)), [], "custom", Options(delta_fun=lambda r: 1))


def test_it_refuses_edss_scores_above_ten():
    with pytest.raises(ValueError, match="EDSS"):
        detect_events(course((0, 10.5)), [], "edss")


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_it_finds_the_same_events_whatever_the_order_of_the_rows(rnd):
    rng = np.random.default_rng(rnd.randint(0, 2**32))
    n = 120
    ids = rng.integers(0, 8, n).astype(str)
    days = rng.choice(np.arange(0, 6000, 30), n, replace=False).astype(float)
    values = rng.integers(0, 14, n) / 2
    options = Options(event="multiple", baseline="roving", raw_pira=True)
    rel_ids, rel_days = rng.integers(0, 8, 6).astype(str), rng.integers(0, 3000, 6).astype(float)
    order = rng.permutation(n)
    first = assess_arrays(ids, days, values, rel_ids, rel_days, outcome="edss", options=options)
    again = assess_arrays(ids[order], days[order], values[order], rel_ids, rel_days,
                          outcome="edss", options=options)  # fmt: skip
    assert sorted(first, key=lambda c: c.id) == sorted(again, key=lambda c: c.id)


@pytest.mark.parametrize("enabled", [True, False])
def test_it_leaves_the_garbage_collector_as_it_found_it(enabled):
    import gc

    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        [event] = detect_events(course((0, 2.0), (100, 3.0), (200, 3.0)), [], "edss")
        assert event.event_type == "CDW"
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def _random_registry(seed: int, patients: int = 40, n: int = 600):
    rng = np.random.default_rng(seed)
    ids = np.array([f"P{k}" for k in rng.integers(0, patients, n)])
    days = rng.choice(np.arange(0, 20000, 15), n, replace=False).astype(float)
    values = rng.integers(0, 14, n) / 2
    rel_ids = np.array([f"P{k}" for k in rng.integers(0, patients + 5, 30)])
    return ids, days, values, rel_ids, rng.integers(0, 15000, 30).astype(float)


def test_it_finds_the_same_events_a_few_patients_at_a_time_even_when_imputing_at_random():
    registry = _random_registry(1)
    options = Options(event="multiple", baseline="roving", impute_last_visit=0.5, impute_seed=4)
    whole = assess_arrays(*registry, outcome="edss", options=options)
    batches = list(
        assess_in_batches(*registry, outcome="edss", options=options, patients_per_batch=3)
    )
    assert len(batches) == 14
    assert [course for batch in batches for course in batch] == whole


def test_it_refuses_bad_scores_before_the_first_batch():
    ids, days, values, rel_ids, rel_days = _random_registry(2)
    values[-1] = 11
    with pytest.raises(ValueError, match="EDSS"):
        assess_in_batches(ids, days, values, outcome="edss", patients_per_batch=3)


def test_it_reads_patients_given_as_codes_into_their_names():
    ids, days, values, rel_ids, rel_days = _random_registry(6)  # one RAW: relapses matter
    options = Options(event="multiple", raw_pira=True)
    names = np.array(sorted(set(ids) | set(rel_ids)), dtype=object)
    code = {name: k for k, name in enumerate(names)}
    coded = assess_arrays(
        [code[i] for i in ids], days, values, [code[i] for i in rel_ids], rel_days,
        outcome="edss", options=options, id_names=names,
    )  # fmt: skip
    assert coded == assess_arrays(ids, days, values, rel_ids, rel_days, outcome="edss",
                                  options=options)  # fmt: skip
    assert any(e.cdw_type == "RAW" for c in coded for e in c.events)
