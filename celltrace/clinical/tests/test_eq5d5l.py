"""EQ-5D-5L: the value sets against a reference implementation's cases, and strict levels."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from celltrace.clinical.eq5d5l import (
    DIMENSIONS,
    Eq5d5lResponse,
    load_value_set,
    score_eq5d5l,
    value_set_codes,
)
from celltrace.clinical.item_scores import ItemError
from celltrace.clinical.tests.reference_cases import eq5d5l_cases

REFERENCE = eq5d5l_cases()["cases"]
REFERENCE_CASES = [(code, case) for code, cases in REFERENCE.items() for case in cases]
ALL_PROFILES = list(itertools.product(range(1, 6), repeat=5))


def response(profile: str, vas: int | None = None) -> Eq5d5lResponse:
    return Eq5d5lResponse(*map(int, profile), vas=vas)


def index(profile: str, code: str) -> float:
    return score_eq5d5l(response(profile), load_value_set(code)).index


def test_every_shipped_value_set_is_checked_against_the_reference_cases():
    assert set(value_set_codes()) == set(REFERENCE) == {"england", "germany", "portugal", "usa"}
    assert len(REFERENCE_CASES) == 31


@pytest.mark.parametrize(
    ("code", "case"), REFERENCE_CASES, ids=[f"{c}-{case['profile']}" for c, case in REFERENCE_CASES]
)
def test_it_reproduces_the_reference_implementations_index(code, case):
    assert index(case["profile"], code) == case["index"]


@pytest.mark.parametrize("code", value_set_codes())
def test_full_health_is_1_and_55555_is_the_lowest_index_of_all_3125_states(code):
    values = {profile: index("".join(map(str, profile)), code) for profile in ALL_PROFILES}
    assert values[(1, 1, 1, 1, 1)] == 1.0 == max(values.values())
    assert values[(5, 5, 5, 5, 5)] == min(values.values())


@pytest.mark.parametrize("code", value_set_codes())
def test_each_value_set_names_its_paper(code):
    value_set = load_value_set(code)
    assert value_set.code == code
    assert "doi:10." in value_set.citation


def test_it_keeps_the_profile_the_vas_and_the_value_set_with_the_index():
    score = score_eq5d5l(response("21341", vas=70), load_value_set("england"))
    assert (score.profile, score.vas, score.value_set) == ("21341", 70, "england")
    assert score.index == 0.603  # 1 - mobility 2 (0.058) - activities 3 (0.063) - pain 4 (0.276)


# --- strict levels ---------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", DIMENSIONS)
@pytest.mark.parametrize("level", [0, 6, None, True, 2.0])
def test_it_refuses_a_level_outside_1_to_5_naming_the_dimension(dimension, level):
    levels = dict.fromkeys(DIMENSIONS, 1) | {dimension: level}
    with pytest.raises(ItemError) as raised:
        Eq5d5lResponse(**levels)
    assert raised.value.item == dimension


@pytest.mark.parametrize("vas", [-1, 101, 50.5])
def test_it_refuses_a_vas_outside_0_to_100(vas):
    with pytest.raises(ItemError, match="^vas: Must be a whole number from 0 to 100"):
        response("11111", vas=vas)


def test_it_refuses_an_unknown_value_set():
    with pytest.raises(ItemError, match="^value_set: No EQ-5D-5L value set 'atlantis'"):
        load_value_set("atlantis")


# --- properties ------------------------------------------------------------------------------


@given(
    st.tuples(*[st.integers(1, 5)] * 5),
    st.integers(0, 4),
    st.sampled_from(value_set_codes()),
)
def test_a_worse_level_never_raises_the_index(levels, dimension, code):
    worse = list(levels)
    worse[dimension] = min(5, worse[dimension] + 1)
    value_set = load_value_set(code)
    before = score_eq5d5l(Eq5d5lResponse(*levels), value_set).index
    assert score_eq5d5l(Eq5d5lResponse(*worse), value_set).index <= before
