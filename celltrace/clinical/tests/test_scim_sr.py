import pytest

from celltrace.clinical.item_scores import ItemError
from celltrace.clinical.scim_sr import ALLOWED_SCORES, SUBSCALE_MAXIMA, ScimItems, score_scim_sr


def answers(pick):
    return ScimItems(**{item: pick(scores) for item, scores in ALLOWED_SCORES.items()})


def test_it_has_the_nineteen_tasks_of_scim_iii():
    assert len(ALLOWED_SCORES) == 19


def test_full_independence_scores_100_in_the_three_subscales():
    score = score_scim_sr(answers(max))
    assert (score.self_care, score.respiration_sphincter, score.mobility) == tuple(
        SUBSCALE_MAXIMA.values()
    )
    assert score.total == 100


def test_total_dependence_scores_0():
    assert score_scim_sr(answers(min)).total == 0


def test_an_answer_the_item_does_not_offer_is_refused_naming_the_item():
    scores = {item: allowed[0] for item, allowed in ALLOWED_SCORES.items()}
    with pytest.raises(ItemError) as refused:
        ScimItems(**(scores | {"bladder_management": 12}))
    assert refused.value.item == "bladder_management"
