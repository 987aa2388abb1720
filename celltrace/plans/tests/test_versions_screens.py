"""Amend, cancel and accept a quote through the plan page's forms and through the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.plans.actions import create_plan
from celltrace.plans.models import QuoteAcceptance, TreatmentPlan
from testkit import PASSWORD
from testkit.journey import plan_request


@pytest.fixture
def mistaken(eligible_patient, doctor, plan_input):
    plan_input["weight_kg"] = 150.0
    return create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)


def amend_data(plan, **changes):
    """What the amend form posts: the plan's values as prefilled, with the doctor's changes."""
    planned = plan.products.get()
    therapy = plan.therapies.get()
    data = {
        "weight_kg": "75",
        "admission_date": plan.admission_date.isoformat(),
        "discharge_date": plan.discharge_date.isoformat(),
        "notes": plan.notes,
        "products-TOTAL_FORMS": "4",
        "products-INITIAL_FORMS": "1",
        "therapies-TOTAL_FORMS": "5",
        "therapies-INITIAL_FORMS": "1",
        "products-0-product": planned.product.pk,
        "products-0-route": planned.route,
        "products-0-dose_per_kg": str(planned.dose_per_kg),
        "products-0-day_of_stay": str(planned.day_of_stay),
        "products-0-planned_time": f"{planned.planned_time:%H:%M}",
        "therapies-0-therapy": therapy.therapy.pk,
        "therapies-0-sessions": str(therapy.sessions),
        "reason": "Weight typed as 150 kg.",
        "password": PASSWORD,
    }
    return {**data, **changes}


# The forms


def test_the_amend_form_starts_from_the_plans_values(client_for, doctor, mistaken):
    page = client_for(doctor).get(reverse("plans:amend", args=[mistaken.pk])).content.decode()
    assert 'value="150.0"' in page
    assert "Sign and save version 2" in page


def test_a_doctor_amends_the_plan_through_the_form(client_for, doctor, mistaken):
    response = client_for(doctor).post(
        reverse("plans:amend", args=[mistaken.pk]), amend_data(mistaken)
    )
    new = TreatmentPlan.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.weight_kg == 75.0 and new.products.get().dose_per_kg == 1.5e6
    assert new.therapies.get().sessions == 5
    page = client_for(doctor).get(new.get_absolute_url()).content.decode()
    assert "version 2" in page and "Weight typed as 150 kg." in page
    assert "quote not accepted yet" in page
    assert "1.125 × 10⁸" in page  # the total cells at 75 kg


def test_a_wrong_password_is_shown_on_the_amend_form_and_nothing_changes(
    client_for, doctor, mistaken
):
    response = client_for(doctor).post(
        reverse("plans:amend", args=[mistaken.pk]), amend_data(mistaken, password="nope")
    )
    assert response.status_code == 200
    assert "Wrong password." in response.content.decode()
    assert TreatmentPlan.objects.get().status == "active"


def test_the_plan_page_lists_the_versions_with_their_status(client_for, doctor, mistaken):
    client = client_for(doctor)
    client.post(reverse("plans:amend", args=[mistaken.pk]), amend_data(mistaken))
    page = client.get(mistaken.get_absolute_url()).content.decode()
    assert "superseded" in page and "open version 2" in page
    assert "Amend the plan" not in page  # only the version in force is amended


def test_a_coordinator_cancels_the_plan_through_the_form(client_for, coordinator, mistaken):
    response = client_for(coordinator).post(
        reverse("plans:cancel", args=[mistaken.pk]), {"reason": "The patient withdrew."}
    )
    assert response.status_code == 302
    mistaken.refresh_from_db()
    assert mistaken.status == "cancelled"
    page = client_for(coordinator).get(mistaken.get_absolute_url()).content.decode()
    assert "cancelled" in page and "The patient withdrew." in page


def test_a_cancellation_without_a_reason_is_refused_through_the_form(
    client_for, coordinator, mistaken
):
    response = client_for(coordinator).post(reverse("plans:cancel", args=[mistaken.pk]), {})
    assert response.status_code == 422
    mistaken.refresh_from_db()
    assert mistaken.status == "active"


def test_a_coordinator_records_the_quotes_acceptance_through_the_form(
    client_for, coordinator, mistaken
):
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client_for(coordinator).post(
        reverse("plans:accept_quote", args=[mistaken.pk]),
        {"accepted_by_name": "Test Patient", "accepted_at": when, "channel": "portal"},
    )
    assert response.status_code == 302
    assert mistaken.quote_acceptance.channel == "portal"
    page = client_for(coordinator).get(mistaken.get_absolute_url()).content.decode()
    assert "Accepted by Test Patient" in page and "quote not accepted yet" not in page


def test_prices_are_shown_with_the_sites_currency(client_for, doctor, mistaken):
    page = client_for(doctor).get(mistaken.get_absolute_url()).content.decode()
    assert mistaken.price(mistaken.quote_total) in page
    assert "EUR 3,900.00" in page  # the product's line


# The API


def test_a_doctor_amends_through_the_api(client_for, doctor, mistaken):
    planned = mistaken.products.get()
    body = {
        "weight_kg": 75,
        "admission_date": mistaken.admission_date.isoformat(),
        "discharge_date": mistaken.discharge_date.isoformat(),
        "products": [
            {
                "product": planned.product.code,
                "route": planned.route,
                "dose_per_kg": planned.dose_per_kg,
                "day_of_stay": planned.day_of_stay,
            }
        ],
        "reason": "Weight typed as 150 kg.",
        "password": PASSWORD,
    }
    client = client_for(doctor)
    url = f"/api/plans/{mistaken.pk}/amend"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    new = response.json()
    assert (new["number"], new["version"], new["status"]) == (mistaken.pk, 2, "active")
    assert new["products"][0]["total_amount"] == 1.125e8
    assert new["quote_accepted"] is False and new["currency"] == "EUR"
    assert client.get(f"/api/plans/{mistaken.pk}").json()["status"] == "superseded"
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 422 and again.json()["code"] == "plan_superseded"


def test_a_wrong_password_is_refused_through_the_api(client_for, doctor, mistaken):
    planned = mistaken.products.get()
    body = {
        "weight_kg": 75,
        "admission_date": mistaken.admission_date.isoformat(),
        "discharge_date": mistaken.discharge_date.isoformat(),
        "products": [
            {
                "product": planned.product.code,
                "route": planned.route,
                "dose_per_kg": planned.dose_per_kg,
                "day_of_stay": planned.day_of_stay,
            }
        ],
        "reason": "Weight.",
        "password": "nope",
    }
    response = client_for(doctor).post(
        f"/api/plans/{mistaken.pk}/amend", body, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["errors"]["password"]
    assert TreatmentPlan.objects.count() == 1


def test_cancel_and_accept_through_the_api(client_for, coordinator, mistaken):
    client = client_for(coordinator)
    accepted = client.post(
        f"/api/plans/{mistaken.pk}/quote-acceptance",
        {
            "accepted_by_name": "Test Patient",
            "accepted_at": timezone.now().isoformat(),
            "channel": "email",
        },
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert Decimal(accepted.json()["quote_total"]) == mistaken.quote_total
    assert client.get(f"/api/plans/{mistaken.pk}").json()["quote_accepted"] is True

    cancelled = client.post(
        f"/api/plans/{mistaken.pk}/cancel", {"reason": ""}, content_type="application/json"
    )
    assert cancelled.status_code == 422
    cancelled = client.post(
        f"/api/plans/{mistaken.pk}/cancel",
        {"reason": "The patient withdrew."},
        content_type="application/json",
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_a_nurse_cannot_record_an_acceptance_through_the_api(client_for, nurse, mistaken):
    response = client_for(nurse).post(
        f"/api/plans/{mistaken.pk}/quote-acceptance",
        {"accepted_by_name": "X", "accepted_at": timezone.now().isoformat(), "channel": "email"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not QuoteAcceptance.objects.exists()


def test_the_api_reads_an_acceptance_time_without_offset_in_the_clinics_time_zone(
    client_for, coordinator, mistaken
):
    sent = timezone.localtime()
    response = client_for(coordinator).post(
        f"/api/plans/{mistaken.pk}/quote-acceptance",
        {
            "accepted_by_name": "Test Patient",
            "accepted_at": sent.replace(tzinfo=None).isoformat(),
            "channel": "email",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    acceptance = QuoteAcceptance.objects.get()
    assert abs(acceptance.accepted_at - sent) < dt.timedelta(seconds=1)
