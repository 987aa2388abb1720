import pytest

from celltrace.clinical.registry.flow import flow_section
from celltrace.clinical.registry.inputs import Count, Flow

from .registry_builders import patient, report_inputs


def _flow(enquired, screened, eligible, treated, *, filters=None, **reasons):
    patients = [patient(i) for i in range(1, treated + 1)]
    flow = Flow(enquired, screened, eligible, **reasons)
    return flow_section(report_inputs(patients, flow=flow, filters=filters or {}))


def test_a_nested_funnel_is_reported_with_its_reasons_and_no_notes():
    section = _flow(
        40, 30, 20, 12,
        closed=(Count("No reply", 6), Count("Chose another clinic", 4)),
        not_eligible=(Count("Active infection", 10),),
        excluded=(Count("Declined treatment", 8),),
    )  # fmt: skip

    assert section == {
        "enquired": 40,
        "screened": 30,
        "eligible": 20,
        "treated": 12,
        "treated_any_product": 12,
        "treated_label": "treated (at least one administration)",
        "pretreatment_scope": None,
        "closed": [{"reason": "No reply", "n": 6}, {"reason": "Chose another clinic", "n": 4}],
        "not_eligible": [{"reason": "Active infection", "n": 10}],
        "excluded": [{"reason": "Declined treatment", "n": 8}],
        "notes": [],
    }


def test_treated_is_every_treated_patient_given():
    assert _flow(5, 5, 5, 3)["treated"] == 3


def test_stages_of_equal_size_nest():
    assert _flow(7, 7, 7, 7)["notes"] == []


def test_more_treated_than_eligible_is_shown_as_recorded_with_a_note():
    section = _flow(20, 15, 10, 12)

    assert (section["eligible"], section["treated"]) == (10, 12)
    [note] = section["notes"]
    assert "More patients treated (12) than eligible (10)" in note
    assert "as recorded" in note


def test_each_stage_that_does_not_nest_gets_its_own_note():
    notes = _flow(10, 11, 11, 12)["notes"]

    assert len(notes) == 2
    assert "screened (11) than enquired (10)" in notes[0]
    assert "treated (12) than eligible (11)" in notes[1]


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError, match="No reply"):
        _flow(5, 5, 5, 1, closed=(Count("No reply", -1),))


def test_with_a_product_filter_the_stages_before_treatment_are_labelled_whole_condition():
    section = _flow(
        40, 30, 20, 3, filters={"product": "MSC-UC", "route": "iv"}, treated_any=15,
        closed=(Count("No reply", 6),),
    )  # fmt: skip

    assert section["pretreatment_scope"] == "whole condition, before a product was chosen"
    assert (section["treated_any_product"], section["treated"]) == (15, 3)
    assert section["treated_label"] == "treated, first given product MSC-UC and route iv"
    assert section["closed"] == [{"reason": "No reply", "n": 6}]
    assert section["notes"] == []  # the funnel runs to the 15 treated with any product


def test_the_funnel_notes_compare_eligible_with_everyone_treated_not_the_filtered_part():
    notes = _flow(20, 15, 10, 4, filters={"route": "iv"}, treated_any=12)["notes"]

    assert len(notes) == 1 and "More patients treated (12) than eligible (10)" in notes[0]


def test_requests_without_history_are_said_to_show_their_present_status():
    [note] = _flow(5, 5, 5, 5, undated_requests=2)["notes"]

    assert note.startswith("2 request(s) have no audit history by the cut-off")


def test_more_treated_with_the_filter_than_treated_at_all_is_refused():
    with pytest.raises(ValueError, match="treated with the filter"):
        _flow(5, 5, 5, 4, filters={"product": "MSC-UC"}, treated_any=3)
