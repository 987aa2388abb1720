import pytest

from celltrace.outcomes.instruments import instrument
from celltrace.outcomes.models import Measurement
from celltrace.outcomes.tests.instrument_helpers import (
    assert_refused_by_every_door,
    post_api,
    post_form,
    stored,
)
from testkit.journey import make_patient

TRIALS = {"trial_1": 6.2, "trial_2": 5.9, "assistive_device": "none"}


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="ms")


def test_the_score_is_the_mean_of_the_two_trials():
    (value,) = instrument("t25fw").score(TRIALS)
    assert value.value == pytest.approx(6.05)
    assert value.details["trials_seconds"] == [6.2, 5.9]


def test_both_trials_are_taken_and_their_mean_stored(client_for, doctor, patient):
    client = client_for(doctor)
    assert post_form(client, patient, "t25fw", TRIALS).status_code == 302
    assert post_api(client, patient, "t25fw", TRIALS | {"trial_2": 8.1}).status_code == 201
    assert [v for v, _ in stored("t25fw")] == [6.05, 7.15]
    assert Measurement.objects.first().details["assistive_device"] == "none"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"trial_1": 6.2, "assistive_device": "none"}, "trial_2"),  # one trial is not a T25FW
        (TRIALS | {"trial_1": 181}, "trial_1"),  # stopped at the manual's 180 s limit
        (TRIALS | {"trial_2": 0}, "trial_2"),
    ],
)
def test_a_missing_or_impossible_trial_is_refused_by_every_door(
    client_for, doctor, patient, answers, field
):
    assert_refused_by_every_door(client_for(doctor), patient, "t25fw", answers, field)
