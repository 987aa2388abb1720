import datetime as dt
import json
from decimal import Decimal

import pytest

from celltrace.plans.models import PlannedProduct, PlannedTherapy, QuoteLine, TreatmentPlan
from testkit import PASSWORD
from testkit.journey import make_patient, make_screening


def counts():
    return (
        TreatmentPlan.objects.count(),
        PlannedProduct.objects.count(),
        PlannedTherapy.objects.count(),
        QuoteLine.objects.count(),
    )


def payload(admission, *, days=6, product="msc-uc-allo", route="intravenous", dose=1.5e6):
    return {
        "weight_kg": 72,
        "admission_date": admission.isoformat(),
        "discharge_date": (admission + dt.timedelta(days=days - 1)).isoformat(),
        "products": [{"product": product, "route": route, "dose_per_kg": dose, "day_of_stay": 2}],
        "therapies": [{"therapy": "physiotherapy", "sessions": 5}],
        "notes": "Via the API",
        "password": PASSWORD,  # the doctor signs the plan
    }


def post(client, patient, body):
    return client.post(f"/api/plans/patients/{patient.pk}", body, content_type="application/json")


def test_a_doctor_makes_a_plan_through_the_api(client_for, doctor, eligible_patient, admission):
    response = post(client_for(doctor), eligible_patient, payload(admission))
    assert response.status_code == 201
    body = response.json()
    assert body["products"][0]["total_amount"] == 1.5e6 * 72
    assert Decimal(body["quote_total"]) == sum(
        Decimal(line["amount"]) for line in body["quote_lines"]
    )
    assert TreatmentPlan.objects.get().pk == body["id"]


def test_the_api_returns_the_plan_with_its_quote(client_for, doctor, eligible_patient, admission):
    client = client_for(doctor)
    plan_id = post(client, eligible_patient, payload(admission)).json()["id"]
    body = client.get(f"/api/plans/{plan_id}").json()
    assert [line["description"] for line in body["quote_lines"]][1] == "Physiotherapy"
    assert Decimal(body["quote_total"]) == TreatmentPlan.objects.get().quote_total


def refused(client, patient, body):
    before = counts()
    response = post(client, patient, body)
    assert response.status_code == 422
    assert counts() == before
    return response.json()


def test_a_dose_above_the_maximum_is_refused_through_the_api(
    client_for, doctor, eligible_patient, admission
):
    body = refused(client_for(doctor), eligible_patient, payload(admission, dose=2_000_001))
    assert body["errors"]["products.0.dose_per_kg"].startswith(
        "2.000001 × 10⁶ viable cells/kg is above the maximum safe dose of 2.0 × 10⁶ viable cells/kg"
    )


def test_a_route_with_no_known_limit_is_refused_through_the_api(
    client_for, doctor, eligible_patient, admission
):
    body = payload(admission, product="msc-bm-allo-act", route="local")
    assert "not allowed" in refused(client_for(doctor), eligible_patient, body)["detail"]


@pytest.mark.parametrize("route", ["rectal", ""])
def test_a_made_up_route_is_refused_through_the_api(
    client_for, doctor, eligible_patient, admission, route
):
    body = refused(client_for(doctor), eligible_patient, payload(admission, route=route))
    assert "products.0.route" in body["errors"]


def test_an_unknown_product_is_refused_through_the_api(
    client_for, doctor, eligible_patient, admission
):
    body = refused(client_for(doctor), eligible_patient, payload(admission, product="snake-oil"))
    assert "products.0.product" in body["errors"]


@pytest.mark.parametrize("dose", [0, -1])
def test_a_zero_or_negative_dose_is_refused_through_the_api(
    client_for, doctor, eligible_patient, admission, dose
):
    refused(client_for(doctor), eligible_patient, payload(admission, dose=dose))


def test_a_ten_day_stay_is_refused_through_the_api(client_for, doctor, eligible_patient, admission):
    body = refused(client_for(doctor), eligible_patient, payload(admission, days=10))
    assert "these dates give 10" in body["errors"]["discharge_date"]


def test_a_plan_for_a_patient_not_eligible_is_refused_through_the_api(
    client_for, doctor, eligible_patient, admission
):
    make_screening(eligible_patient, doctor, decision="not_eligible")
    body = refused(client_for(doctor), eligible_patient, payload(admission))
    assert "a plan needs an eligible screening" in body["detail"]


def test_an_autologous_product_for_a_donor_only_patient_is_refused_through_the_api(
    client_for, doctor, site, catalog, admission
):
    patient = make_patient(site)
    make_screening(patient, doctor, donor_only=True)
    body = refused(client_for(doctor), patient, payload(admission, product="msc-bm-auto"))
    assert "choose a donor product" in body["errors"]["products.0.product"]


def test_a_nurse_cannot_make_a_plan_through_the_api(client_for, nurse, eligible_patient, admission):
    before = counts()
    assert post(client_for(nurse), eligible_patient, payload(admission)).status_code == 403
    assert counts() == before


def test_a_doctor_of_another_site_gets_404_through_the_api(
    client_for, other_site_doctor, doctor, eligible_patient, admission
):
    response = post(client_for(other_site_doctor), eligible_patient, payload(admission))
    assert response.status_code == 404
    assert counts() == (0, 0, 0, 0)


def test_a_doctor_of_another_site_cannot_read_a_plan_through_the_api(
    client_for, doctor, other_site_doctor, eligible_patient, admission
):
    plan_id = post(client_for(doctor), eligible_patient, payload(admission)).json()["id"]
    assert client_for(other_site_doctor).get(f"/api/plans/{plan_id}").status_code == 404


def test_an_anonymous_caller_is_turned_away(client, eligible_patient, admission):
    assert post(client, eligible_patient, payload(admission)).status_code == 401


def test_doses_adding_up_above_the_daily_maximum_are_refused_through_the_api(
    client_for, doctor, eligible_patient, admission
):
    body = payload(admission, dose=2.0e6)
    body["products"].append(dict(body["products"][0]))
    errors = refused(client_for(doctor), eligible_patient, body)["errors"]
    assert list(errors) == ["products.1.dose_per_kg"]


def test_the_api_gives_each_dose_its_products_unit(client_for, doctor, eligible_patient, admission):
    body = post(client_for(doctor), eligible_patient, payload(admission)).json()
    assert body["products"][0]["dose_unit"] == "viable_cells"


def test_five_full_doses_two_on_one_day_are_refused_through_the_api(
    client_for, doctor, eligible_patient, admission
):
    body = payload(admission, dose=2.0e6)
    dose = body["products"][0]
    body["products"] = [{**dose, "day_of_stay": day} for day in (1, 2, 2, 3, 4)]
    errors = refused(client_for(doctor), eligible_patient, body)["errors"]
    assert "on day 2 is above the maximum" in errors["products.2.dose_per_kg"]
    assert "in the course is above the maximum" in errors["products.4.dose_per_kg"]


def test_a_dose_time_with_an_offset_is_refused_through_the_api(
    client_for, doctor, eligible_patient, admission
):
    """A planned time is the site's time of day (the schema says so): '10:00Z' is refused."""
    body = payload(admission)
    body["products"][0]["planned_time"] = "10:00:00Z"
    assert "planned_time" in json.dumps(refused(client_for(doctor), eligible_patient, body))


def test_a_dose_time_without_an_offset_is_the_sites_time(
    client_for, doctor, eligible_patient, admission
):
    body = payload(admission)
    body["products"][0]["planned_time"] = "09:30"
    assert post(client_for(doctor), eligible_patient, body).status_code == 201
    assert PlannedProduct.objects.get().planned_time == dt.time(9, 30)
