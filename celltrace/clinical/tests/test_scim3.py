"""SCIM III: each item's allowed scores, the subscales and the total."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from celltrace.clinical.item_scores import ItemError
from celltrace.clinical.scim3 import (
    ALLOWED_SCORES,
    SUBSCALE_MAXIMA,
    SUBSCALES,
    ScimItems,
    score_scim3,
)

# The weighted items of the SCIM III form, whose scores skip values (Itzkovich 2007).
NON_CONSECUTIVE = {
    "respiration": (0, 2, 4, 6, 8, 10),
    "bladder_management": (0, 3, 6, 9, 11, 13, 15),
    "bowel_management": (0, 5, 8, 10),
    "use_of_toilet": (0, 1, 2, 4, 5),
    "bed_mobility": (0, 2, 4, 6),
}


def items(**scores: int) -> ScimItems:
    """Build a fully dependent patient's scores (all 0), except the items named."""
    return ScimItems(**(dict.fromkeys(ALLOWED_SCORES, 0) | scores))


def highest() -> dict[str, int]:
    return {name: allowed[-1] for name, allowed in ALLOWED_SCORES.items()}


def test_it_has_19_items_in_three_subscales():
    members = [item for subscale in SUBSCALES.values() for item in subscale]
    assert len(members) == len(set(members)) == len(ALLOWED_SCORES) == 19
    assert [len(members) for members in SUBSCALES.values()] == [6, 4, 9]


@pytest.mark.parametrize(("item", "allowed"), NON_CONSECUTIVE.items())
def test_the_weighted_items_allow_only_the_forms_scores(item, allowed):
    assert ALLOWED_SCORES[item] == allowed


def test_full_independence_scores_20_40_40_and_100():
    score = score_scim3(ScimItems(**highest()))
    assert (score.self_care, score.respiration_sphincter, score.mobility) == (20, 40, 40)
    assert score.total == 100
    assert SUBSCALE_MAXIMA == {"self_care": 20, "respiration_sphincter": 40, "mobility": 40}


def test_full_dependence_scores_0():
    assert score_scim3(items()).total == 0


def test_a_worked_example_of_complete_thoracic_paraplegia():
    # Independent self-care and breathing, intermittent self-catheterisation (11), bowel with
    # assistance (5), toilet with devices (4), independent wheelchair user, no walking or stairs.
    score = score_scim3(
        items(
            feeding=3,
            bathing_upper_body=3,
            bathing_lower_body=2,
            dressing_upper_body=4,
            dressing_lower_body=2,
            grooming=3,
            respiration=10,
            bladder_management=11,
            bowel_management=5,
            use_of_toilet=4,
            bed_mobility=6,
            transfer_bed_wheelchair=2,
            transfer_wheelchair_toilet_tub=2,
            mobility_indoors=2,
            mobility_moderate_distances=2,
            mobility_outdoors=2,
            transfer_wheelchair_car=1,
            transfer_ground_wheelchair=1,
        )
    )
    assert (score.self_care, score.respiration_sphincter, score.mobility) == (17, 30, 18)
    assert score.total == 65


# --- strict scores ---------------------------------------------------------------------------

GAPS = [
    (item, value)
    for item, allowed in ALLOWED_SCORES.items()
    for value in range(-1, allowed[-1] + 2)
    if value not in allowed
]


@pytest.mark.parametrize(("item", "value"), GAPS, ids=[f"{i}={v}" for i, v in GAPS])
def test_it_refuses_every_score_the_item_does_not_allow_naming_the_item(item, value):
    with pytest.raises(ItemError) as raised:
        items(**{item: value})
    assert raised.value.item == item


def test_it_lists_the_allowed_scores_of_a_weighted_item():
    with pytest.raises(ItemError) as raised:
        items(bladder_management=12)
    assert raised.value.problem == "Must be one of 0, 3, 6, 9, 11, 13 or 15, got 12."


@pytest.mark.parametrize("value", [None, True, 1.0, "1"])
def test_it_refuses_a_blank_or_non_integer_score(value):
    with pytest.raises(ItemError, match="^feeding: "):
        items(feeding=value)


# --- properties ------------------------------------------------------------------------------

sheets = st.builds(
    ScimItems, **{name: st.sampled_from(allowed) for name, allowed in ALLOWED_SCORES.items()}
)


@given(sheets)
def test_the_total_is_the_sum_of_the_subscales_each_within_its_range(sheet):
    score = score_scim3(sheet)
    assert score.total == score.self_care + score.respiration_sphincter + score.mobility
    for name, maximum in SUBSCALE_MAXIMA.items():
        assert 0 <= getattr(score, name) <= maximum
