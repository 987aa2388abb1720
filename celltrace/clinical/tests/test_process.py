import datetime as dt

import pytest

from celltrace.clinical.process import (
    ReagentLot,
    StepDefinition,
    ended,
    hours_left,
    next_steps,
    parse_reagents,
    progress,
    reagent_problems,
    refusal,
)

ACTIVATED = [
    StepDefinition("harvest", "Harvest", typical_hours=2),
    StepDefinition("separation", "Separation", typical_hours=3),
    StepDefinition(
        "cultivation", "Cultivation", passages_expected=2, passages_allowed=3, typical_hours=96
    ),
    StepDefinition("activation", "Activation", typical_hours=24),
    StepDefinition("formulation", "Formulation", typical_hours=2),
    StepDefinition("fill", "Fill", typical_hours=1),
    StepDefinition("cryopreservation", "Cryopreservation", required=False, typical_hours=2),
]


def codes(defined, recorded):
    return [(n.step, n.passage) for n in next_steps(defined, recorded)]


def test_after_the_harvest_only_separation_may_follow():
    assert codes(ACTIVATED, ["harvest"]) == [("separation", None)]


def test_cultivation_repeats_once_per_passage_up_to_the_passages_allowed():
    assert codes(ACTIVATED, ["harvest", "separation"]) == [("cultivation", 1)]
    once = ["harvest", "separation", "cultivation"]
    assert codes(ACTIVATED, once) == [("cultivation", 2), ("activation", None)]
    thrice = once + ["cultivation", "cultivation"]
    assert codes(ACTIVATED, thrice) == [("activation", None)]


def test_a_fourth_passage_is_refused_beyond_the_passages_allowed():
    thrice = ["harvest", "separation", "cultivation", "cultivation", "cultivation"]
    why = refusal(ACTIVATED, thrice, "cultivation", passage=4, product="MSC")
    assert why.code == "beyond_passages"
    assert why.message == "MSC allows 3 passages; 3 are recorded."


def test_the_passage_number_must_follow_the_passages_recorded():
    why = refusal(ACTIVATED, ["harvest", "separation", "cultivation"], "cultivation", passage=3)
    assert why.code == "wrong_passage"
    assert refusal(ACTIVATED, ["harvest", "separation"], "cultivation", passage=1) is None
    assert refusal(ACTIVATED, ["harvest", "separation"], "cultivation", passage=None) is None


def test_the_last_step_again_is_recorded_already():
    why = refusal(ACTIVATED, ["harvest"], "harvest")
    assert (why.code, why.message) == ("already_done", "Harvest is recorded already.")


def test_skipping_a_required_step_is_refused_and_names_it():
    why = refusal(ACTIVATED, ["harvest", "separation", "cultivation"], "formulation")
    assert why.code == "skipped_required"
    assert why.message == "Activation is required before formulation."


def test_an_earlier_step_after_a_later_one_is_out_of_order():
    why = refusal(ACTIVATED, ["harvest", "separation", "cultivation"], "separation")
    assert why.code == "out_of_order"
    assert why.message == "Separation comes before cultivation, which is recorded already."


def test_an_optional_step_may_be_left_out_but_nothing_follows_the_last_step():
    filled = ["harvest", "separation", "cultivation", "activation", "formulation", "fill"]
    assert codes(ACTIVATED, filled) == [("cryopreservation", None)]
    assert not ended(ACTIVATED, filled)
    done = filled + ["cryopreservation"]
    assert ended(ACTIVATED, done)
    why = refusal(ACTIVATED, done, "fill")
    assert (why.code, why.message) == ("process_ended", "The process ended with cryopreservation.")


def test_an_optional_step_in_the_middle_offers_the_following_required_step_too():
    defined = [
        StepDefinition("donor_tissue", "Donor tissue"),
        StepDefinition("activation", "Activation", required=False),
        StepDefinition("formulation", "Formulation"),
    ]
    assert codes(defined, ["donor_tissue"]) == [("activation", None), ("formulation", None)]
    assert refusal(defined, ["donor_tissue"], "formulation") is None
    states = [s.state for s in progress(defined, ["donor_tissue", "formulation"])]
    assert states == ["done", "skipped", "done"]


def test_a_step_the_product_does_not_define_is_refused():
    why = refusal(ACTIVATED, ["harvest"], "donor_tissue", product="MSC")
    assert (why.code, why.message) == ("not_a_step", "'donor_tissue' is not a step of MSC.")


def test_progress_shows_done_next_and_pending():
    states = [(s.definition.step, s.state) for s in progress(ACTIVATED, ["harvest"])]
    assert states[:3] == [("harvest", "done"), ("separation", "next"), ("cultivation", "pending")]


def test_hours_left_counts_the_required_steps_and_passages_still_ahead():
    assert hours_left(ACTIVATED, ["harvest"]) == 3 + 2 * 96 + 24 + 2 + 1
    assert hours_left(ACTIVATED, ["harvest", "separation", "cultivation"]) == 96 + 24 + 2 + 1
    three = ["harvest", "separation", "cultivation", "cultivation", "cultivation"]
    assert hours_left(ACTIVATED, three) == 24 + 2 + 1


def test_old_lots_recorded_out_of_order_continue_from_their_furthest_step():
    assert codes(ACTIVATED, ["harvest", "formulation", "separation"]) == [("fill", None)]


# Reagent lots


def test_a_reagent_expired_before_the_day_of_the_step_is_refused():
    used = dt.date(2026, 11, 26)
    fresh = ReagentLot("Trypsin", "T-77", dt.date(2026, 11, 26))
    old = ReagentLot("FBS", "F-12", dt.date(2026, 11, 25))
    assert reagent_problems([fresh], used_on=used) == []
    assert reagent_problems([fresh, old], used_on=used) == ["FBS lot F-12 expired on 2026-11-25."]


def test_a_reagent_without_its_lot_number_is_refused():
    assert reagent_problems([ReagentLot("FBS", " ", dt.date(2027, 1, 1))], used_on=dt.date.today())


def test_reagent_lots_are_read_one_a_line():
    text = "Trypsin; T-77; 2027-01-31\n\nFBS;F-12;2026-12-01\n"
    assert parse_reagents(text) == [
        ReagentLot("Trypsin", "T-77", dt.date(2027, 1, 31)),
        ReagentLot("FBS", "F-12", dt.date(2026, 12, 1)),
    ]


@pytest.mark.parametrize("line", ["Trypsin; T-77", "Trypsin; T-77; 31.01.2027"])
def test_a_reagent_line_without_a_lot_and_iso_expiry_is_an_error(line):
    with pytest.raises(ValueError, match="Line 1"):
        parse_reagents(line)
