"""MSIS-29 version 1: the published transformation, the missing-item rule, strict answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from celltrace.clinical.item_scores import ItemError
from celltrace.clinical.msis29 import Msis29Answers, score_msis29


def sheet(physical=1, psychological=1, **answers) -> Msis29Answers:
    """Build a sheet answering every physical and psychological item alike, except those named."""
    items = [physical] * 20 + [psychological] * 9
    for name, value in answers.items():
        items[int(name.removeprefix("item_")) - 1] = value
    return Msis29Answers(items=tuple(items))


# --- the transformation (Hobart 2001): (sum - lowest) / (highest - lowest) x 100 ------------


@pytest.mark.parametrize(
    ("physical", "psychological", "expected_physical", "expected_psychological"),
    [
        (1, 1, 0.0, 0.0),  # "not at all" throughout: no impact
        (5, 5, 100.0, 100.0),  # "extremely" throughout: the most impact
        (3, 2, 50.0, 25.0),  # sums 60 of 20-100 and 18 of 9-45
    ],
)
def test_it_transforms_each_scale_sum_to_0_100(
    physical, psychological, expected_physical, expected_psychological
):
    score = score_msis29(sheet(physical, psychological))
    assert score.physical.score == expected_physical
    assert score.psychological.score == expected_psychological


def test_it_keeps_the_two_scales_apart():
    score = score_msis29(sheet(item_20=5, item_21=5))
    # item 20 is the last physical item (sum 24 of 20-100), item 21 the first psychological one.
    assert score.physical.score == 5.0
    assert score.psychological.score == pytest.approx(100 * 4 / 36)


# --- missing answers -------------------------------------------------------------------------


def test_it_gives_a_blank_item_the_mean_of_the_persons_answers_on_that_scale():
    answers = sheet(physical=2, item_19=None, item_20=None, item_1=4)
    score = score_msis29(answers)
    # 18 answers summing 38: mean 19/9 for each blank, sum 38 + 38/9.
    assert score.physical.raw_sum == pytest.approx(38 + 38 / 9)
    assert score.physical.imputed_items == (19, 20)
    assert score.psychological.imputed_items == ()


def test_it_scores_a_scale_with_exactly_half_of_its_items_answered():
    blanks = {f"item_{n}": None for n in range(11, 21)}
    score = score_msis29(sheet(physical=4, **blanks))
    assert score.physical.score == 75.0
    assert score.physical.imputed_items == tuple(range(11, 21))


def test_it_refuses_a_scale_with_more_than_half_of_its_items_blank_naming_the_first():
    blanks = {f"item_{n}": None for n in (22, 24, 26, 28, 29)}  # 5 of 9 psychological items
    with pytest.raises(ItemError) as raised:
        score_msis29(sheet(**blanks))
    assert raised.value.item == "item_22"
    assert "5 of the 9 psychological items are blank" in raised.value.problem


def test_it_refuses_eleven_blank_physical_items():
    with pytest.raises(ItemError, match="^item_1: Unanswered: 11 of the 20 physical"):
        score_msis29(sheet(**{f"item_{n}": None for n in range(1, 12)}))


# --- strict answers --------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 6, True, 2.0, "3"])
def test_it_refuses_an_answer_that_is_not_1_to_5_naming_the_item(value):
    with pytest.raises(ItemError) as raised:
        sheet(item_7=value)
    assert raised.value.item == "item_7"
    assert raised.value.problem == f"Must be a whole number from 1 to 5, got {value!r}."


@pytest.mark.parametrize("items", [(1,) * 28, (1,) * 30, [1] * 29])
def test_it_refuses_anything_but_29_answers_in_a_tuple(items):
    with pytest.raises(ItemError, match="^items: Must be the 29 answers"):
        Msis29Answers(items=items)


# --- properties ------------------------------------------------------------------------------

answers = st.integers(1, 5)
full_sheets = st.lists(answers, min_size=29, max_size=29).map(tuple)


@given(full_sheets)
def test_a_full_sheet_scores_its_sums_on_0_100(items):
    score = score_msis29(Msis29Answers(items=items))
    assert score.physical.score == pytest.approx((sum(items[:20]) - 20) / 80 * 100)
    assert score.psychological.score == pytest.approx((sum(items[20:]) - 9) / 36 * 100)
    assert 0 <= score.physical.score <= 100 and 0 <= score.psychological.score <= 100


@given(full_sheets, st.integers(0, 28))
def test_a_worse_answer_never_lowers_its_scale_nor_moves_the_other(items, index):
    worse = list(items)
    worse[index] = min(5, worse[index] + 1)
    before = score_msis29(Msis29Answers(items=items))
    after = score_msis29(Msis29Answers(items=tuple(worse)))
    own, other = ("physical", "psychological") if index < 20 else ("psychological", "physical")
    assert getattr(after, own).score >= getattr(before, own).score
    assert getattr(after, other) == getattr(before, other)


@given(st.lists(st.one_of(answers, st.none()), min_size=20, max_size=20))
def test_with_blanks_the_physical_score_is_that_of_the_mean_answer(physical):
    answered = [value for value in physical if value is not None]
    answers_ = Msis29Answers(items=(*physical, *(1,) * 9))
    if 2 * len(answered) < 20:
        with pytest.raises(ItemError):
            score_msis29(answers_)
        return
    mean = sum(answered) / len(answered)
    assert score_msis29(answers_).physical.score == pytest.approx((mean - 1) / 4 * 100)
