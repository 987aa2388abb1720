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
    return make_patient(site, condition="ckd")


def test_the_ratio_is_computed_from_a_spot_urine():
    data = {"uacr": None, "urine_albumin_mg_l": 45, "urine_creatinine_mg_dl": 150}
    (value,) = instrument("uacr").score(data)
    assert value.value == 30.0 and value.details["urine_albumin_mg_l"] == 45


def test_a_doctor_records_the_ratio_or_its_parts(client_for, doctor, patient):
    client = client_for(doctor)
    assert post_form(client, patient, "uacr", {"uacr": "310"}).status_code == 302
    parts = {"urine_albumin_mg_l": 12, "urine_creatinine_mg_dl": 80}
    assert post_api(client, patient, "uacr", parts).status_code == 201
    assert [v for v, _ in stored("uacr")] == [310.0, 15.0]
    assert Measurement.objects.last().details["urine_creatinine_mg_dl"] == 80


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"uacr": -3}, "uacr"),
        ({"urine_albumin_mg_l": 12}, "urine_creatinine_mg_dl"),
        ({"urine_albumin_mg_l": 12, "urine_creatinine_mg_dl": 0}, "urine_creatinine_mg_dl"),
        ({"uacr": 30, "urine_albumin_mg_l": 12, "urine_creatinine_mg_dl": 40}, "uacr"),
    ],
)
def test_impossible_or_ambiguous_values_are_refused_by_every_door(
    client_for, doctor, patient, answers, field
):
    assert_refused_by_every_door(client_for(doctor), patient, "uacr", answers, field)
