"""The SCIM III plug-in: a scored sheet becomes the total, subscales beside it."""

import pytest

from celltrace.clinical.scim3 import ALLOWED_SCORES
from celltrace.outcomes.instruments.scim3 import INSTRUMENT
from celltrace.outcomes.tests.instruments.plugins import (
    assert_it_matches_the_analysis_plan,
    filled_form,
    rendered,
)
from celltrace.refusal import Refused


def highest(**items):
    return {name: allowed[-1] for name, allowed in ALLOWED_SCORES.items()} | items


def test_it_declares_the_plans_total():
    assert [m.code for m in INSTRUMENT.measures] == ["scim3"]
    assert_it_matches_the_analysis_plan(INSTRUMENT)


def test_the_form_offers_each_item_exactly_the_scores_the_engine_allows():
    fields = INSTRUMENT.form_class().fields
    assert list(fields) == list(ALLOWED_SCORES)
    for name, allowed in ALLOWED_SCORES.items():
        assert tuple(score for score, _ in fields[name].choices[1:]) == allowed, name


def test_a_scored_sheet_gives_the_total_with_its_subscales():
    data = highest(bladder_management=11, mobility_outdoors=2, stair_management=0)
    (value,) = INSTRUMENT.score(filled_form(INSTRUMENT, data).cleaned_data)
    assert value.value == 100 - 4 - 6 - 3
    assert value.details["subscales"] == {
        "self_care": 20,
        "respiration_sphincter": 36,
        "mobility": 31,
    }
    assert value.details["items"]["bladder_management"] == 11


def test_the_form_refuses_a_bladder_score_the_scim_does_not_have():
    form = INSTRUMENT.form_class(data=highest(bladder_management=12))
    assert not form.is_valid()
    assert "bladder_management" in form.errors


def test_the_engine_refuses_a_score_that_slips_past_the_form_naming_the_item():
    with pytest.raises(Refused) as raised:
        INSTRUMENT.score(highest(respiration=5))
    assert raised.value.field_errors == {
        "respiration": "Must be one of 0, 2, 4, 6, 8 or 10, got 5."
    }


def test_a_blank_item_is_refused_naming_it():
    form = filled_form(INSTRUMENT, highest(grooming=None))
    with pytest.raises(Refused) as raised:
        INSTRUMENT.score(form.cleaned_data)
    assert raised.value.field_errors == {"grooming": "Unanswered."}


def test_the_template_shows_every_item():
    page = rendered(INSTRUMENT, INSTRUMENT.form_class())
    assert "1. Feeding" in page and "17. Transfers: ground to wheelchair" in page
    assert "15: Residual urine under 100 mL; continent; no external drainage" in page
