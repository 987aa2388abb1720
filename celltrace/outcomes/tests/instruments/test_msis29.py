"""The MSIS-29 plug-in: a transcribed sheet becomes the physical and psychological scores."""

import pytest

from celltrace.outcomes.instruments.msis29 import INSTRUMENT
from celltrace.outcomes.tests.instruments.plugins import (
    assert_it_matches_the_analysis_plan,
    filled_form,
    rendered,
)
from celltrace.refusal import Refused, show_refusal


def answers(physical=3, psychological=2, **items):
    sheet = {f"item_{n}": physical for n in range(1, 21)}
    sheet |= {f"item_{n}": psychological for n in range(21, 30)}
    return sheet | items


def measured(form) -> dict:
    return {value.measure: value for value in INSTRUMENT.score(form.cleaned_data)}


def test_it_declares_the_plans_two_msis29_measures():
    assert [m.code for m in INSTRUMENT.measures] == ["msis29_physical", "msis29_psychological"]
    assert_it_matches_the_analysis_plan(INSTRUMENT)


def test_a_transcribed_sheet_scores_both_scales():
    values = measured(filled_form(INSTRUMENT, answers()))
    assert values["msis29_physical"].value == 50.0
    assert values["msis29_psychological"].value == 25.0
    details = values["msis29_physical"].details
    assert details["version"] == "MSIS-29v1"
    assert details["items"]["item_1"] == 3 and details["items"]["item_29"] == 2
    assert details["imputed_items"] == []


def test_blank_items_take_the_mean_and_are_named_in_the_details():
    values = measured(filled_form(INSTRUMENT, answers(item_3=None, item_4=5)))
    physical = values["msis29_physical"]
    assert physical.details["imputed_items"] == ["item_3"]
    # 18 answers of 3 and one 5: mean 59/19 for the blank.
    assert physical.details["raw_sum"] == pytest.approx(59 + 59 / 19)


def test_a_scale_mostly_blank_is_refused_on_the_first_blank_item():
    form = filled_form(INSTRUMENT, answers(**{f"item_{n}": None for n in range(21, 26)}))
    with pytest.raises(Refused) as raised:
        INSTRUMENT.score(form.cleaned_data)
    assert list(raised.value.field_errors) == ["item_21"]
    show_refusal(form, raised.value)
    assert "5 of the 9 psychological items are blank" in form.errors["item_21"][0]


def test_the_form_offers_the_five_answers_with_their_words():
    field = INSTRUMENT.form_class().fields["item_1"]
    assert [label for _, label in field.choices] == [
        "Not answered",
        "1: Not at all",
        "2: A little",
        "3: Moderately",
        "4: Quite a bit",
        "5: Extremely",
    ]


def test_the_form_refuses_an_answer_outside_the_scale():
    form = INSTRUMENT.form_class(data=answers(item_5="6"))
    assert not form.is_valid()
    assert "item_5" in form.errors


def test_the_template_shows_every_item_and_the_licence():
    page = rendered(INSTRUMENT, INSTRUMENT.form_class())
    assert "1. Physically demanding tasks" in page and "29. Feeling depressed" in page
    assert "used under licence" in page
