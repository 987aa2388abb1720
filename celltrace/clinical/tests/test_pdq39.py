"""PDQ-39: the eight dimensions, the summary index, item 28 without a partner, strict answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from celltrace.clinical.item_scores import ItemError
from celltrace.clinical.pdq39 import DIMENSIONS, Pdq39Answers, score_pdq39


def sheet(answer=0, *, no_spouse_or_partner=False, **answers) -> Pdq39Answers:
    """Build a sheet answering every item alike, except those named (item_28=None etc.)."""
    items = [answer] * 39
    for name, value in answers.items():
        items[int(name.removeprefix("item_")) - 1] = value
    return Pdq39Answers(items=tuple(items), no_spouse_or_partner=no_spouse_or_partner)


def test_the_dimensions_are_the_published_item_groups():
    sizes = {name: (numbers[0], numbers[-1]) for name, numbers in DIMENSIONS.items()}
    assert sizes == {
        "mobility": (1, 10),
        "activities_of_daily_living": (11, 16),
        "emotional_wellbeing": (17, 22),
        "stigma": (23, 26),
        "social_support": (27, 29),
        "cognition": (30, 33),
        "communication": (34, 36),
        "bodily_discomfort": (37, 39),
    }


@pytest.mark.parametrize(("answer", "expected"), [(0, 0.0), (4, 100.0), (2, 50.0)])
def test_a_uniform_sheet_scores_every_dimension_and_the_index_alike(answer, expected):
    score = score_pdq39(sheet(answer))
    assert set(score.dimensions.values()) == {expected}
    assert score.summary_index == expected


def test_a_dimension_is_its_sum_over_four_times_its_items():
    # Mobility items all "sometimes" (2): 20 / 40 = 50; stigma item 23 "always": 4 / 16 = 25.
    score = score_pdq39(sheet(**{f"item_{n}": 2 for n in range(1, 11)}, item_23=4))
    assert score.dimensions["mobility"] == 50.0
    assert score.dimensions["stigma"] == 25.0
    # The summary index is the plain mean of the eight dimensions, not of the 39 items.
    assert score.summary_index == (50.0 + 25.0) / 8


# --- item 28: support from a spouse or partner ---------------------------------------------


def test_without_a_spouse_or_partner_item_28_counts_as_never():
    score = score_pdq39(sheet(item_27=4, item_29=4, item_28=None, no_spouse_or_partner=True))
    assert score.dimensions["social_support"] == pytest.approx(8 / 12 * 100)


def test_it_refuses_item_28_blank_when_the_patient_has_a_partner():
    with pytest.raises(ItemError, match="^item_28: Unanswered"):
        sheet(item_28=None)


def test_it_refuses_item_28_answered_when_the_patient_has_no_partner():
    with pytest.raises(ItemError, match="^item_28: Answered, but the patient has no spouse"):
        sheet(item_28=1, no_spouse_or_partner=True)


# --- strict answers --------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 17, 39])
def test_it_refuses_any_other_blank_item_naming_it(number):
    with pytest.raises(ItemError, match=f"^item_{number}: Unanswered"):
        sheet(**{f"item_{number}": None}, no_spouse_or_partner=True, item_28=None)


@pytest.mark.parametrize("value", [-1, 5, True, 1.0])
def test_it_refuses_an_answer_outside_0_to_4_naming_the_item(value):
    with pytest.raises(ItemError) as raised:
        sheet(item_12=value)
    assert (raised.value.item, raised.value.problem) == (
        "item_12",
        f"Must be a whole number from 0 to 4, got {value!r}.",
    )


def test_it_refuses_a_partner_flag_that_is_not_a_boolean():
    with pytest.raises(ItemError, match="^no_spouse_or_partner"):
        Pdq39Answers(items=(0,) * 39, no_spouse_or_partner="no")


# --- properties ------------------------------------------------------------------------------

full_sheets = st.lists(st.integers(0, 4), min_size=39, max_size=39).map(tuple)


@given(full_sheets)
def test_each_dimension_follows_the_formula_and_the_index_is_their_mean(items):
    score = score_pdq39(Pdq39Answers(items=items))
    for name, numbers in DIMENSIONS.items():
        expected = sum(items[n - 1] for n in numbers) / (4 * len(numbers)) * 100
        assert score.dimensions[name] == pytest.approx(expected)
    assert score.summary_index == pytest.approx(sum(score.dimensions.values()) / 8)
    assert 0 <= score.summary_index <= 100


@given(full_sheets, st.integers(0, 38))
def test_a_worse_answer_never_lowers_the_index(items, index):
    worse = list(items)
    worse[index] = min(4, worse[index] + 1)
    before = score_pdq39(Pdq39Answers(items=items)).summary_index
    assert score_pdq39(Pdq39Answers(items=tuple(worse))).summary_index >= before
