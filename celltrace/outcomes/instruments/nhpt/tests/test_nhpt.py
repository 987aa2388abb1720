import pytest

from celltrace.outcomes.instruments import instrument
from celltrace.outcomes.tests.instrument_helpers import (
    assert_refused_by_every_door,
    post_api,
    post_form,
    stored,
)
from testkit.journey import make_patient

TRIALS = {
    "dominant_hand": "right",
    "dominant_1": 20.0,
    "dominant_2": 22.0,
    "non_dominant_1": 29.0,
    "non_dominant_2": 31.0,
}


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="ms")


def test_the_msfc_combines_the_hands_by_reciprocals_and_seconds_are_stored():
    # Hand means 21 s and 30 s; MSFC score (1/21 + 1/30) / 2 = 0.040476/s; stored 1/score.
    (value,) = instrument("nhpt").score(TRIALS)
    assert value.details["msfc_score_per_second"] == pytest.approx(0.0404762, rel=1e-5)
    assert value.value == pytest.approx(24.71, abs=0.005)
    assert (value.details["dominant_mean"], value.details["non_dominant_mean"]) == (21.0, 30.0)


def test_a_slower_hand_weighs_less_than_in_a_plain_mean():
    slow = TRIALS | {"non_dominant_1": 120.0, "non_dominant_2": 120.0}
    (value,) = instrument("nhpt").score(slow)
    assert value.value < (21 + 120) / 2


def test_four_trials_are_recorded_through_the_screen_and_the_api(client_for, doctor, patient):
    client = client_for(doctor)
    assert post_form(client, patient, "nhpt", TRIALS).status_code == 302
    assert post_api(client, patient, "nhpt", TRIALS).status_code == 201
    assert [v for v, _ in stored("nhpt")] == [24.71, 24.71]


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({k: v for k, v in TRIALS.items() if k != "non_dominant_2"}, "non_dominant_2"),
        (TRIALS | {"dominant_1": 301}, "dominant_1"),  # past the manual's 300 s limit
    ],
)
def test_a_missing_or_timed_out_trial_is_refused_by_every_door(
    client_for, doctor, patient, answers, field
):
    assert_refused_by_every_door(client_for(doctor), patient, "nhpt", answers, field)
