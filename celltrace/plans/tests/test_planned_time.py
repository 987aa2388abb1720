"""The time of day a dose is planned for: saved, 10:00 by default, refused outside 07:00-20:00
with nothing saved. Through the action, the form and the API, for a new and an amended plan."""

import datetime as dt
from html import escape

import pytest
from django.urls import reverse

from celltrace.plans.actions import amend_plan, create_plan
from celltrace.plans.models import TreatmentPlan
from celltrace.plans.tests.test_actions import refused
from celltrace.plans.tests.test_api import payload, post
from celltrace.plans.tests.test_api import refused as refused_by_api
from celltrace.plans.tests.test_views import form_data, new_url, refused_post
from celltrace.refusal import Refused
from testkit import PASSWORD
from testkit.journey import plan_request

OUTSIDE = "is outside the clinic's working hours: plan the dose from 07:00 to 20:00."


def with_time(plan_input, planned_time):
    plan_input["products"][0]["planned_time"] = planned_time
    return plan_input


# The action


def test_a_dose_is_planned_for_ten_unless_the_doctor_says_otherwise(
    eligible_patient, doctor, plan_input
):
    plan = create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)
    assert plan.products.get().planned_time == dt.time(10, 0)


def test_the_planned_time_is_saved_with_its_history(eligible_patient, doctor, plan_input):
    asked = plan_request(with_time(plan_input, dt.time(14, 30)))
    planned = create_plan(eligible_patient, doctor, asked, password=PASSWORD).products.get()
    planned.refresh_from_db()
    assert planned.planned_time == dt.time(14, 30)
    assert planned.history.get().planned_time == dt.time(14, 30)


@pytest.mark.parametrize("planned_time", [dt.time(6, 30), dt.time(20, 1), dt.time(0, 0)])
def test_a_time_outside_the_working_window_is_refused_and_nothing_saved(
    eligible_patient, doctor, plan_input, planned_time
):
    error = refused(eligible_patient, doctor, **with_time(plan_input, planned_time))
    assert error.field_errors["products.0.planned_time"].endswith(OUTSIDE)
    assert error.code == "invalid"


def test_a_time_that_is_not_a_time_is_refused(eligible_patient, doctor, plan_input):
    error = refused(eligible_patient, doctor, **with_time(plan_input, "10:00"))
    assert "HH:MM" in error.field_errors["products.0.planned_time"]


def test_an_amendment_changes_the_time_and_is_refused_outside_the_window(
    eligible_patient, doctor, plan_input
):
    plan = create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)
    with pytest.raises(Refused) as caught:
        amend_plan(
            plan,
            doctor,
            plan_request(with_time(plan_input, dt.time(21, 0))),
            reason="Later.",
            password=PASSWORD,
        )
    assert "products.0.planned_time" in caught.value.field_errors
    assert TreatmentPlan.objects.get().status == "active"
    new = amend_plan(
        plan,
        doctor,
        plan_request(with_time(plan_input, dt.time(16, 0))),
        reason="After the scan.",
        password=PASSWORD,
    )
    assert new.products.get().planned_time == dt.time(16, 0)


# The form


def test_the_form_prefills_each_product_row_with_ten(client_for, doctor, eligible_patient):
    page = client_for(doctor).get(new_url(eligible_patient)).content.decode()
    assert page.count('type="time"') == 3
    assert 'name="products-0-planned_time" value="10:00"' in page


def test_the_time_typed_in_the_form_is_saved_and_shown_on_the_plan(
    client_for, doctor, eligible_patient, admission
):
    client = client_for(doctor)
    data = {**form_data(admission), "products-0-planned_time": "15:45"}
    response = client.post(new_url(eligible_patient), data)
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302
    assert plan.products.get().planned_time == dt.time(15, 45)
    assert "<td>15:45</td>" in client.get(plan.get_absolute_url()).content.decode()


def test_a_time_outside_the_window_is_refused_on_its_row_in_the_form(
    client_for, doctor, eligible_patient, admission
):
    data = {**form_data(admission), "products-0-planned_time": "21:00"}
    page = refused_post(client_for(doctor), eligible_patient, data)
    assert escape("21:00 " + OUTSIDE) in page


def test_the_amend_form_starts_from_the_planned_time(
    client_for, doctor, eligible_patient, plan_input
):
    plan = create_plan(
        eligible_patient, doctor, plan_request(with_time(plan_input, dt.time(9))), password=PASSWORD
    )
    page = client_for(doctor).get(reverse("plans:amend", args=[plan.pk])).content.decode()
    assert 'name="products-0-planned_time" value="09:00"' in page


# The API


def test_the_api_plans_ten_when_no_time_is_given(client_for, doctor, eligible_patient, admission):
    response = post(client_for(doctor), eligible_patient, payload(admission))
    assert response.status_code == 201
    assert response.json()["products"][0]["planned_time"] == "10:00"


def test_the_api_saves_and_returns_the_time_given(client_for, doctor, eligible_patient, admission):
    body = payload(admission)
    body["products"][0]["planned_time"] = "13:15"
    client = client_for(doctor)
    plan_id = post(client, eligible_patient, body).json()["id"]
    assert TreatmentPlan.objects.get().products.get().planned_time == dt.time(13, 15)
    assert client.get(f"/api/plans/{plan_id}").json()["products"][0]["planned_time"] == "13:15"


def test_the_api_refuses_a_time_outside_the_window_on_its_field(
    client_for, doctor, eligible_patient, admission
):
    body = payload(admission)
    body["products"][0]["planned_time"] = "05:30"
    error = refused_by_api(client_for(doctor), eligible_patient, body)
    assert error["errors"]["products.0.planned_time"] == "05:30 " + OUTSIDE


def test_the_api_refuses_a_time_that_is_not_a_time(client_for, doctor, eligible_patient, admission):
    body = payload(admission)
    body["products"][0]["planned_time"] = "25:00"
    refused_by_api(client_for(doctor), eligible_patient, body)
