import datetime as dt

import pytest

from celltrace.clinical.adverse_event_rates import (
    EventRecord,
    describe,
    event_rates,
    wilson_interval,
)
from celltrace.clinical.adverse_events import (
    EarlierHold,
    is_final,
    is_open,
    link_problems,
    lot_hold_due,
    raises_lot_hold,
    resolution_problems,
)
from celltrace.clinical.discharge import DischargeFacts, DischargeReasons, discharge_problems
from celltrace.clinical.numbers import percent

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
ONSET = NOW - dt.timedelta(hours=3)


def resolution(outcome, resolved_at, onset=ONSET):
    return resolution_problems(outcome=outcome, onset_at=onset, resolved_at=resolved_at, now=NOW)


def test_an_ended_outcome_needs_a_resolution_time_and_only_it_has_one():
    assert set(resolution("recovered", None)) == {"resolved_at"}
    assert set(resolution("recovering", NOW)) == {"outcome"}
    assert resolution("recovering", None) == {}
    assert resolution("sequelae", NOW) == {}


def test_a_resolution_is_between_the_onset_and_now():
    assert set(resolution("recovered", ONSET - dt.timedelta(minutes=1))) == {"resolved_at"}
    assert set(resolution("recovered", NOW + dt.timedelta(minutes=1))) == {"resolved_at"}
    assert set(resolution("recovering", None, onset=NOW + dt.timedelta(hours=1))) == {"onset_at"}


def test_open_and_final_events():
    assert is_open(outcome="unknown", resolved_at=None)
    assert not is_open(outcome="recovered", resolved_at=None)  # an old event: not open
    assert not is_final(outcome="recovered", resolved_at=None)  # ... nor final
    assert is_final(outcome="fatal", resolved_at=NOW)


def test_a_related_event_names_an_administration_given_before_it():
    def link(relatedness, has, given_at):
        return link_problems(
            relatedness=relatedness,
            onset_at=ONSET,
            stay_has_administrations=has,
            administration_given_at=given_at,
        )

    assert set(link("possible", True, None)) == {"administration_id"}
    assert link("possible", False, None) == {}
    assert link("unlikely", True, None) == {}
    assert set(link("definite", True, ONSET + dt.timedelta(minutes=1))) == {"administration_id"}
    assert link("probable", True, ONSET - dt.timedelta(hours=1)) == {}


def test_only_a_serious_related_event_with_a_lot_holds_it():
    assert raises_lot_hold(serious=True, relatedness="possible", has_lot=True)
    assert not raises_lot_hold(serious=True, relatedness="unlikely", has_lot=True)
    assert not raises_lot_hold(serious=False, relatedness="definite", has_lot=True)
    assert not raises_lot_hold(serious=True, relatedness="definite", has_lot=False)


def test_every_loose_end_of_a_discharge_asks_for_its_reason():
    facts = DischargeFacts(
        discharge_day=dt.date(2026, 3, 1),
        planned_discharge_day=dt.date(2026, 3, 5),
        open_events=["Headache (grade 1, recovering)"],
        missed_doses=["MSC by intravenous infusion (day 2)"],
    )
    problems = discharge_problems(facts, DischargeReasons())
    assert set(problems) == {"open_events_reason", "missed_doses_reason", "early_discharge_reason"}
    assert "Headache (grade 1, recovering)" in problems["open_events_reason"]
    given = DischargeReasons(open_events="a", missed_doses="b", early_discharge="c")
    assert discharge_problems(facts, given) == {}
    on_time = DischargeFacts(dt.date(2026, 3, 5), dt.date(2026, 3, 5), [], [])
    assert discharge_problems(on_time, DischargeReasons()) == {}


def test_a_rate_reads_as_the_clinic_writes_it():
    assert percent(0.02) == "2.0%" and percent(None) == "—"
    text = describe("Fever", wilson_interval(3, 150), unit="administrations")
    assert text == "Fever: 3 of 150 administrations, 2.0% (95% CI 0.7-5.7%)"
    assert describe("Fever", wilson_interval(0, 0), unit="administrations") == (
        "Fever: 0 of 0 administrations"
    )


def test_rates_count_administrations_followed_by_an_event_not_events():
    events = [
        EventRecord("Fever", 1, administration_id=1, lot_code="L1"),
        EventRecord("Fever", 2, administration_id=1, lot_code="L1"),  # same administration
        EventRecord("Headache", 1, administration_id=2, lot_code="L2"),
    ]
    rates = event_rates(events, administrations=10, lots_given=10)
    assert rates.overall.rate.events == 2
    assert {r.label: r.rate.events for r in rates.by_term} == {"Fever": 1, "Headache": 1}
    assert {r.label: r.rate.events for r in rates.by_grade} == {
        "CTCAE grade 1": 2,
        "CTCAE grade 2": 1,
    }
    assert [r.label for r in rates.by_term_and_grade] == [
        "Fever, grade 1",
        "Fever, grade 2",
        "Headache, grade 1",
    ]
    assert [(lot.lot_code, lot.events, lot.worst_grade) for lot in rates.lots] == [
        ("L1", 2, 2),
        ("L2", 1, 1),
    ]
    assert rates.lots_with_events.events == 2 and rates.lots_with_events.n == 10


def test_a_lot_is_held_again_only_when_no_hold_is_open_and_the_event_got_worse():
    serious = {"serious": True, "relatedness": "probable", "has_lot": True}
    assert lot_hold_due(grade=3, earlier=[], **serious)
    assert not lot_hold_due(grade=4, earlier=[EarlierHold(3, open=True)], **serious)
    assert not lot_hold_due(grade=3, earlier=[EarlierHold(3, open=False)], **serious)
    assert lot_hold_due(grade=4, earlier=[EarlierHold(3, open=False)], **serious)
    assert not lot_hold_due(
        grade=4, earlier=[], serious=False, relatedness="probable", has_lot=True
    )


def test_the_wilson_interval_matches_published_values():
    # Newcombe (1998): 0/10 -> 0 to 0.2775; 1/10 -> 0.0179 to 0.4042
    zero = wilson_interval(0, 10)
    assert zero.rate == 0 and zero.low == 0 and zero.high == pytest.approx(0.2775, abs=1e-4)
    one = wilson_interval(1, 10)
    assert (one.low, one.high) == (
        pytest.approx(0.0179, abs=1e-4),
        pytest.approx(0.4042, abs=1e-4),
    )


def test_a_rate_over_no_administrations_has_no_value():
    assert wilson_interval(0, 0).rate is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)
