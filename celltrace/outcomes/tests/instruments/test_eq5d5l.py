"""The EQ-5D-5L plug-in: levels and VAS become the index by the clinic's value set."""

import pytest

from celltrace.clinical.eq5d5l import value_set_codes
from celltrace.outcomes.instruments.eq5d5l import CLINIC_VALUE_SET, INSTRUMENT, score
from celltrace.outcomes.tests.instruments.plugins import (
    assert_it_matches_the_analysis_plan,
    filled_form,
    rendered,
)
from celltrace.refusal import Refused

LEVELS = {
    "mobility": 2,
    "self_care": 1,
    "usual_activities": 3,
    "pain_discomfort": 4,
    "anxiety_depression": 1,
}


def test_it_declares_the_plans_index_on_the_clinics_value_set():
    (measure,) = INSTRUMENT.measures
    assert measure.code == "eq5d5l"
    assert CLINIC_VALUE_SET in value_set_codes()
    assert (measure.low, measure.high) == (-0.603, 1.0)  # Portugal: 55555 and 11111
    assert_it_matches_the_analysis_plan(INSTRUMENT)


def test_a_transcribed_response_is_valued_with_the_profile_vas_and_value_set_kept():
    (value,) = INSTRUMENT.score(filled_form(INSTRUMENT, LEVELS | {"vas": 65}).cleaned_data)
    # Portugal: 1 - 0.048 (mobility 2) - 0.063 (activities 3) - 0.254 (pain 4).
    assert value.value == 0.635
    assert value.details == {
        "levels": LEVELS,
        "profile": "21341",
        "vas": 65,
        "value_set": "portugal",
        "value_set_label": "Portugal (Ferreira 2019)",
    }


def test_another_value_set_can_be_asked_for_by_name():
    (value,) = score(filled_form(INSTRUMENT, LEVELS).cleaned_data, value_set="england")
    assert value.value == 0.603
    assert value.details["value_set"] == "england"
    assert value.details["vas"] is None


def test_a_blank_dimension_is_refused_naming_it():
    form = filled_form(INSTRUMENT, LEVELS | {"self_care": None})
    with pytest.raises(Refused) as raised:
        INSTRUMENT.score(form.cleaned_data)
    assert raised.value.field_errors == {"self_care": "Unanswered."}


def test_a_vas_above_100_is_refused_naming_the_vas():
    form = filled_form(INSTRUMENT, LEVELS | {"vas": 120})
    with pytest.raises(Refused) as raised:
        INSTRUMENT.score(form.cleaned_data)
    assert list(raised.value.field_errors) == ["vas"]


def test_the_template_shows_the_five_dimensions_and_the_vas():
    page = rendered(INSTRUMENT, INSTRUMENT.form_class())
    for label in ("Mobility", "Self-care", "Usual activities", "Pain / discomfort", "EQ VAS"):
        assert label in page
    assert "5: Extreme anxiety or depression" in page
