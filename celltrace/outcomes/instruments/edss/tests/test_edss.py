import pytest

from celltrace.outcomes.instruments import instrument
from celltrace.outcomes.models import Measurement
from celltrace.outcomes.tests.instrument_helpers import form_url, post_api, stored
from celltrace.refusal import Refused
from testkit.journey import make_patient

SHEET = dict.fromkeys(
    ("visual", "brainstem", "sensory", "bowel_bladder", "cerebral", "ambulation"), 0
) | {"pyramidal": 3, "cerebellar": 2}


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="ms")


def test_the_sheet_gives_the_edss_step_with_its_grades():
    (value,) = instrument("edss").score(SHEET)
    assert (value.measure, value.value) == ("edss", 3.5)
    assert value.details["functional_systems"] == SHEET


def test_a_grade_out_of_its_scale_is_named():
    with pytest.raises(Refused) as refused:
        instrument("edss").score(SHEET | {"visual": 7})
    assert refused.value.field_errors == {"visual": "Must be a whole grade from 0 to 6."}


def test_the_generic_api_scores_and_stores_the_sheet(client_for, doctor, patient):
    response = post_api(client_for(doctor), patient, "edss", SHEET | {"ambulation": 2})
    assert response.status_code == 201 and stored("edss") == [(4.5, "")]


def test_a_missing_system_gets_422_and_nothing_is_saved(client_for, doctor, patient):
    sheet = {k: v for k, v in SHEET.items() if k != "cerebral"}
    response = post_api(client_for(doctor), patient, "edss", sheet)
    assert response.status_code == 422 and response.json()["errors"] == {"cerebral": "Missing."}
    assert not Measurement.objects.exists()


def test_the_generic_screen_opens_the_scoring_sheet(client_for, doctor, patient):
    response = client_for(doctor).get(form_url(patient, "edss"))
    assert (
        response.status_code == 302 and response.url == f"/outcomes/patients/{patient.pk}/edss/new/"
    )
