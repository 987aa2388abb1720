import pytest
from django.utils import timezone

from celltrace.outcomes.actions import record_instrument
from celltrace.outcomes.instruments import instrument
from celltrace.outcomes.models import Measurement
from celltrace.outcomes.tests.instrument_helpers import (
    assert_refused_by_every_door,
    post_api,
    post_form,
    stored,
)
from celltrace.refusal import Refused
from testkit.journey import make_patient

TODAY = timezone.localdate


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="lyme")


def test_the_number_given_is_the_score():
    (value,) = instrument("pain").score({"pain": 7})
    assert (value.measure, value.value) == ("pain", 7.0)


def test_a_doctor_records_pain_through_the_screen(client_for, doctor, patient):
    response = post_form(client_for(doctor), patient, "pain", {"pain": "6"})
    assert response.status_code == 302 and stored("pain") == [(6.0, "")]
    assert Measurement.objects.get().timepoint == "baseline"  # untreated: a baseline


def test_the_api_records_pain(client_for, doctor, patient):
    response = post_api(client_for(doctor), patient, "pain", {"pain": 3})
    assert response.status_code == 201 and [m["value"] for m in response.json()] == [3.0]


@pytest.mark.parametrize(("answer", "field"), [(11, "pain"), (-1, "pain"), (4.5, "pain")])
def test_a_score_off_the_scale_is_refused_by_every_door(client_for, doctor, patient, answer, field):
    assert_refused_by_every_door(client_for(doctor), patient, "pain", {"pain": answer}, field)


def test_the_action_refuses_out_of_range_naming_the_measure(patient, doctor):
    with pytest.raises(Refused) as refused:
        record_instrument(patient, doctor, "pain", {"pain": 12}, TODAY())
    assert refused.value.field_errors == {"pain": "Must be between 0 and 10."}
    assert not Measurement.objects.exists()
