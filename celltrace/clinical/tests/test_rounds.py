from datetime import UTC, date, datetime, timedelta

import pytest

from celltrace.clinical.rounds import needs_round_today, pain_problem, taken_at_problem

TODAY = date(2025, 3, 5)


def test_an_open_stay_without_a_round_today_is_flagged():
    assert needs_round_today(is_open=True, round_days=[TODAY - timedelta(days=1)], today=TODAY)


def test_a_round_today_clears_the_flag():
    assert not needs_round_today(is_open=True, round_days=[TODAY], today=TODAY)


def test_a_discharged_stay_is_never_flagged():
    assert not needs_round_today(is_open=False, round_days=[], today=TODAY)


@pytest.mark.parametrize("pain", [0, 5, 10, 7.0])
def test_pain_is_a_whole_number_from_0_to_10(pain):
    assert pain_problem(pain) == ""


@pytest.mark.parametrize("pain", [-1, 11, 3.5, float("nan"), True, "4", None])
def test_other_pain_scores_are_refused(pain):
    assert "whole number from 0" in pain_problem(pain)


def test_a_round_is_taken_between_the_admission_and_now():
    now = datetime(2025, 3, 5, 10, tzinfo=UTC)
    admitted = now - timedelta(days=2)
    assert taken_at_problem(now, admitted_at=admitted, now=now) == ""
    assert "future" in taken_at_problem(now + timedelta(minutes=1), admitted_at=admitted, now=now)
    assert "before the admission" in taken_at_problem(
        admitted - timedelta(minutes=1), admitted_at=admitted, now=now
    )
