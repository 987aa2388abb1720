"""A plan rests on a final screening decision that allows its products' source."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.plans.tests.test_api import payload, refused
from celltrace.plans.tests.test_views import form_data, new_url, refused_post
from celltrace.screening.actions import screen_patient, sign_screening
from testkit import PASSWORD
from testkit.journey import make_patient
from testkit.samples import record_normal_facts

# Planning day: the 7-day answers recorded two days ago are still fresh then.
SOON = timezone.localdate() + dt.timedelta(days=3)


@pytest.fixture
def signed_once(site, doctor, catalog, admission):
    """A real eligible decision signed by one doctor of the two required."""
    patient = make_patient(site)
    record_normal_facts(patient, doctor)
    screening = screen_patient(patient, doctor, treatment_date=SOON, source="allogeneic")
    sign_screening(screening, doctor, password=PASSWORD)
    return patient


def test_one_signature_of_two_is_not_final_and_the_form_refuses_the_plan(
    client_for, doctor, signed_once, admission
):
    page = refused_post(client_for(doctor), signed_once, form_data(admission))
    assert "is not final: 1 of 2 doctors have signed it" in page


def test_one_signature_of_two_is_not_final_and_the_api_refuses_the_plan(
    client_for, doctor, signed_once, admission
):
    body = refused(client_for(doctor), signed_once, payload(admission))
    assert "a plan needs a final eligible screening" in body["detail"]


def test_the_plan_screen_says_why_before_the_second_signature(client_for, doctor, signed_once):
    page = client_for(doctor).get(new_url(signed_once)).content.decode()
    assert "1 of 2 doctors have signed it" in page


def test_after_the_second_signature_the_plan_is_made(
    client_for, doctor, second_doctor, signed_once, admission
):
    sign_screening(signed_once.screenings.get(), second_doctor, password=PASSWORD)
    response = client_for(doctor).post(new_url(signed_once), form_data(admission))
    assert response.status_code == 302


def test_a_real_donor_only_decision_refuses_own_cells_through_the_form_and_the_api(
    client_for, doctor, second_doctor, site, catalog, admission
):
    patient = make_patient(site)
    record_normal_facts(patient, doctor, yes={"biopsy_site_disease"})
    screening = screen_patient(patient, doctor, treatment_date=SOON, source="autologous")
    assert screening.decision == "donor_products_only"
    sign_screening(screening, doctor, password=PASSWORD)
    sign_screening(screening, second_doctor, password=PASSWORD)
    client = client_for(doctor)
    page = refused_post(client, patient, form_data(admission, product="msc-bm-auto"))
    assert "choose a donor product" in page
    body = refused(client, patient, payload(admission, product="msc-bm-auto"))
    assert "choose a donor product" in body["errors"]["products.0.product"]
    assert client.post(new_url(patient), form_data(admission)).status_code == 302
