import pytest

from celltrace.outcomes.instruments import instrument
from celltrace.outcomes.instruments.updrs3.forms import ITEMS, item_field
from celltrace.outcomes.models import Measurement
from celltrace.outcomes.tests.instrument_helpers import (
    assert_refused_by_every_door,
    post_api,
    post_form,
    stored,
)
from testkit.journey import make_patient


def all_items(score=1, **changes) -> dict:
    return {item_field(n): score for n, _ in ITEMS} | changes


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="parkinsons")


def test_part_three_has_33_scores_of_0_to_4_making_132():
    assert len(ITEMS) == 33 and len({n for n, _ in ITEMS}) == 33
    items = all_items(4) | {"updrs3": None, "medication_state": "off"}
    assert instrument("updrs3").score(items)[0].value == 132


def test_the_total_is_the_sum_of_the_items_or_the_total_entered():
    items = all_items(0, item_3_10=2, item_3_17e=3) | {"medication_state": "on"}
    (summed,) = instrument("updrs3").score(items | {"updrs3": None})
    assert summed.value == 5 and summed.details["items"]["3.17e"] == 3
    (entered,) = instrument("updrs3").score({"updrs3": 27, "medication_state": "on"})
    assert entered.value == 27 and "items" not in entered.details


def test_a_doctor_records_a_total_or_the_items(client_for, doctor, patient):
    client = client_for(doctor)
    assert (
        post_form(
            client, patient, "updrs3", {"updrs3": "31", "medication_state": "off"}
        ).status_code
        == 302
    )
    body = all_items(1) | {"medication_state": "on"}
    assert post_api(client, patient, "updrs3", body).status_code == 201
    assert [v for v, _ in stored("updrs3")] == [31.0, 33.0]
    assert Measurement.objects.last().details["medication_state"] == "on"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"updrs3": 133, "medication_state": "on"}, "updrs3"),
        ({"medication_state": "on"}, "updrs3"),
        (all_items(1, item_3_1=None) | {"medication_state": "on"}, "item_3_1"),
        (all_items(1, item_3_18=5) | {"medication_state": "on"}, "item_3_18"),
        (all_items(1) | {"updrs3": 30, "medication_state": "on"}, "updrs3"),  # items make 33
    ],
)
def test_impossible_or_inconsistent_scores_are_refused_by_every_door(
    client_for, doctor, patient, answers, field
):
    answers = {k: v for k, v in answers.items() if v is not None}
    assert_refused_by_every_door(client_for(doctor), patient, "updrs3", answers, field)
