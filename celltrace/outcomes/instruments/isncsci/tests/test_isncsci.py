import pytest

from celltrace.outcomes.instruments import instrument
from celltrace.outcomes.instruments.isncsci.engine import MOTOR_NOT_DETERMINABLE
from celltrace.outcomes.models import Measurement
from celltrace.outcomes.tests.exams import normal_exam, reference_case
from celltrace.outcomes.tests.instrument_helpers import form_url, post_api, stored
from celltrace.refusal import Refused
from testkit.journey import make_patient


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="sci")


@pytest.mark.parametrize("case_id", [1, 17, 23, 66, 129])
def test_one_exam_gives_the_motor_score_and_the_ais_grade_as_an_ordinal(case_id):
    case = reference_case(case_id)
    motor, ais = instrument("isncsci").score({"exam": case["exam"]})
    totals, expected = case["expected"]["totals"], case["expected"]["classification"]
    assert motor.value == int(totals["upperExtremity"]) + int(totals["lowerExtremity"])
    grade = expected["ASIAImpairmentScale"]
    assert (ais.measure, ais.category, ais.value) == ("ais", grade, "ABCDE".index(grade))


def test_an_nd_motor_score_refuses_the_exam():
    exam = normal_exam()
    exam["left"]["motor"]["C6"] = "NT"
    with pytest.raises(Refused) as refused:
        instrument("isncsci").score({"exam": exam})
    assert refused.value.field_errors == {"motor_score": MOTOR_NOT_DETERMINABLE}


def test_the_generic_api_stores_both_values_of_the_exam(client_for, doctor, patient):
    response = post_api(client_for(doctor), patient, "isncsci", {"exam": reference_case(1)["exam"]})
    assert response.status_code == 201
    assert stored("isncsci_motor") == [(25.0, "")] and stored("ais") == [(0.0, "A")]
    assert {m["details"]["instrument"] for m in response.json()} == {"isncsci"}


def test_a_bad_grade_through_the_generic_api_names_it_and_saves_nothing(
    client_for, doctor, patient
):
    exam = normal_exam()
    exam["right"]["lightTouch"]["C4"] = "5"
    response = post_api(client_for(doctor), patient, "isncsci", {"exam": exam})
    assert response.status_code == 422
    assert response.json()["errors"] == {"right.lightTouch.C4": "'5' is not a sensory grade"}
    assert not Measurement.objects.exists()


def test_the_generic_screen_opens_the_worksheet(client_for, doctor, patient):
    response = client_for(doctor).get(form_url(patient, "isncsci"))
    assert response.status_code == 302
    assert response.url == f"/outcomes/patients/{patient.pk}/isncsci/new/"
