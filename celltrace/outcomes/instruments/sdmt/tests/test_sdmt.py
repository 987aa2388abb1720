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


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="ms")


def test_the_correct_answers_are_the_score_and_the_version_is_kept():
    (value,) = instrument("sdmt").score({"sdmt": 52, "version": "written"})
    assert (value.value, value.details) == (52.0, {"version": "written"})


def test_a_doctor_records_the_sdmt_through_the_screen_and_the_api(client_for, doctor, patient):
    client = client_for(doctor)
    assert post_form(client, patient, "sdmt", {"sdmt": "48", "version": "oral"}).status_code == 302
    assert post_api(client, patient, "sdmt", {"sdmt": 50, "version": "oral"}).status_code == 201
    assert stored("sdmt") == [(48.0, ""), (50.0, "")]
    assert Measurement.objects.first().details["version"] == "oral"


@pytest.mark.parametrize(
    ("answers", "field"),
    [({"sdmt": 111, "version": "oral"}, "sdmt"), ({"sdmt": 40, "version": "typed"}, "version")],
)
def test_impossible_answers_are_refused_by_every_door(client_for, doctor, patient, answers, field):
    assert_refused_by_every_door(client_for(doctor), patient, "sdmt", answers, field)
