"""No cell product is given before a day-one screening that found nothing new."""

from django.utils import timezone

from celltrace.screening.actions import record_fact, rescreen_on_admission, sign_screening
from celltrace.screening.models import Screening
from celltrace.stays.tests.test_api import _json, _refused
from celltrace.stays.tests.test_views import _form, _post_refused
from testkit import PASSWORD
from testkit.journey import make_day_one_screening
from testkit.samples import record_normal_facts

BLOCKED = (
    "Day-one screening found Platelets outside the reference range: administration blocked "
    "until the doctors' team reviews it."
)


def _low_platelets(ward, nurse):
    record_normal_facts(ward.patient, nurse)
    record_fact(
        ward.patient, nurse, kind="lab", on=timezone.localdate(), provenance="Admission bloods",
        analyte="platelets", value=40, unit="x10^9/L",
    )  # fmt: skip
    return rescreen_on_admission(ward.stay, nurse)


def test_the_form_refuses_administration_without_a_day_one_screening(
    client_for, nurse, ward, bedside
):
    Screening.objects.filter(stay=ward.stay).delete()
    page = _post_refused(client_for(nurse), _form(bedside))
    assert "No day-one screening for this stay" in page


def test_the_api_refuses_administration_without_a_day_one_screening(
    client_for, nurse, ward, bedside
):
    Screening.objects.filter(stay=ward.stay).delete()
    body = _refused(client_for(nurse), _json(bedside))
    assert any("No day-one screening" in reason for reason in body["reasons"])


def test_the_form_refuses_administration_after_a_failed_day_one_screening(
    client_for, nurse, ward, bedside
):
    _low_platelets(ward, nurse)
    page = _post_refused(client_for(nurse), _form(bedside))
    assert BLOCKED.replace("'", "&#x27;") in page


def test_the_api_refuses_administration_after_a_failed_day_one_screening(
    client_for, nurse, ward, bedside
):
    _low_platelets(ward, nurse)
    body = _refused(client_for(nurse), _json(bedside))
    assert BLOCKED in body["reasons"]


def test_a_signed_clearing_screening_lets_the_product_be_given(
    client_for, nurse, doctor, second_doctor, ward, bedside
):
    _low_platelets(ward, nurse)
    cleared = make_day_one_screening(ward.stay, doctor)
    _refused(client_for(nurse), _json(bedside))
    sign_screening(cleared, doctor, password=PASSWORD)
    sign_screening(cleared, second_doctor, password=PASSWORD)
    given_after_clearing = _json(bedside, given_at=timezone.now())
    response = client_for(nurse).post(
        "/api/stays/administrations", given_after_clearing, content_type="application/json"
    )
    assert response.status_code == 201
