"""The PDQ-39 plug-in: a transcribed sheet becomes the summary index, dimensions beside it."""

import pytest

from celltrace.outcomes.instruments.pdq39 import INSTRUMENT
from celltrace.outcomes.tests.instruments.plugins import (
    assert_it_matches_the_analysis_plan,
    filled_form,
    rendered,
)
from celltrace.refusal import Refused, show_refusal


def answers(answer=1, **items):
    return {f"item_{n}": answer for n in range(1, 40)} | items


def test_it_declares_the_plans_summary_index():
    assert [m.code for m in INSTRUMENT.measures] == ["pdq39"]
    assert_it_matches_the_analysis_plan(INSTRUMENT)


def test_a_transcribed_sheet_scores_the_summary_index_with_its_dimensions():
    (value,) = INSTRUMENT.score(filled_form(INSTRUMENT, answers(item_1=4)).cleaned_data)
    assert value.measure == "pdq39"
    # Every dimension 25 except mobility: (9 + 4) / 40 = 32.5.
    assert value.details["dimensions"]["mobility"] == 32.5
    assert value.details["dimensions"]["stigma"] == 25.0
    assert value.value == pytest.approx((32.5 + 7 * 25) / 8)
    assert value.details["no_spouse_or_partner"] is False


def test_without_a_partner_item_28_is_left_blank_and_counts_as_never():
    data = answers(item_28=None, no_spouse_or_partner="on")
    (value,) = INSTRUMENT.score(filled_form(INSTRUMENT, data).cleaned_data)
    assert value.details["dimensions"]["social_support"] == pytest.approx(2 / 12 * 100)
    assert value.details["no_spouse_or_partner"] is True
    assert value.details["items"]["item_28"] is None


def test_a_blank_item_is_refused_naming_it():
    form = filled_form(INSTRUMENT, answers(item_33=None))
    with pytest.raises(Refused) as raised:
        INSTRUMENT.score(form.cleaned_data)
    assert raised.value.field_errors == {"item_33": "Unanswered."}
    show_refusal(form, raised.value)
    assert form.errors["item_33"] == ["Unanswered."]


def test_item_28_answered_by_a_patient_without_a_partner_is_refused():
    form = filled_form(INSTRUMENT, answers(no_spouse_or_partner="on"))
    with pytest.raises(Refused) as raised:
        INSTRUMENT.score(form.cleaned_data)
    assert list(raised.value.field_errors) == ["item_28"]


def test_the_template_shows_every_item_and_the_partner_box():
    page = rendered(INSTRUMENT, INSTRUMENT.form_class())
    assert "39. Felt unpleasantly hot or cold" in page
    assert "No spouse or partner" in page
    assert "4: Always, or cannot do at all" in page
