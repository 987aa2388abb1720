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
    return make_patient(site, condition="t2d")


def test_percent_is_stored_as_entered_and_mmol_per_mol_is_converted():
    assert instrument("hba1c").score({"hba1c": 7.2, "hba1c_mmol_mol": None})[0].value == 7.2
    (converted,) = instrument("hba1c").score({"hba1c": None, "hba1c_mmol_mol": 53})
    assert converted.value == 7.0 and converted.details["unit"] == "mmol/mol"


def test_a_doctor_records_hba1c_in_either_unit(client_for, doctor, patient):
    client = client_for(doctor)
    assert post_form(client, patient, "hba1c", {"hba1c": "6.8"}).status_code == 302
    assert post_api(client, patient, "hba1c", {"hba1c_mmol_mol": 48}).status_code == 201
    assert [v for v, _ in stored("hba1c")] == [6.8, 6.5]
    assert Measurement.objects.last().details["entered"] == 48


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"hba1c": 2.5}, "hba1c"),  # below the measure's 3 %
        ({"hba1c": 6.85}, "hba1c"),  # laboratories report 0.1 %
        ({"hba1c_mmol_mol": 250}, "hba1c"),  # converts to 25 %: out of range
        ({"hba1c": 6.8, "hba1c_mmol_mol": 51}, "hba1c"),  # two units at once
        ({}, "hba1c"),
    ],
)
def test_out_of_range_or_ambiguous_values_are_refused_by_every_door(
    client_for, doctor, patient, answers, field
):
    assert_refused_by_every_door(client_for(doctor), patient, "hba1c", answers, field)
