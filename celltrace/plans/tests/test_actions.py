import datetime as dt
from decimal import Decimal

import pytest

from celltrace.catalog.models import CellProduct
from celltrace.plans.actions import create_plan
from celltrace.plans.models import PlannedProduct, PlannedTherapy, QuoteLine, TreatmentPlan
from celltrace.refusal import Refused
from testkit import PASSWORD
from testkit.journey import make_patient, make_screening, plan_request


def counts():
    return (
        TreatmentPlan.objects.count(),
        PlannedProduct.objects.count(),
        PlannedTherapy.objects.count(),
        QuoteLine.objects.count(),
    )


def refused(patient, doctor, **plan_input):
    before = counts()
    with pytest.raises(Refused) as caught:
        create_plan(patient, doctor, plan_request(plan_input), password=PASSWORD)
    assert counts() == before
    return caught.value


def test_a_doctor_makes_a_plan_with_products_therapies_and_a_frozen_quote(
    eligible_patient, doctor, plan_input
):
    plan = create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)

    (planned,) = plan.products.all()
    assert (planned.product.code, planned.route, planned.day_of_stay) == (
        "msc-uc-allo",
        "intravenous",
        2,
    )
    assert planned.total_amount == 1.5e6 * 72.0
    assert plan.therapies.get().sessions == 5
    descriptions = [line.description for line in plan.quote_lines.all()]
    assert descriptions[0].endswith("Intravenous infusion, day 2")
    # 3900 product + 5 x 60 physiotherapy + 6 days x (450 + 80 + 40) + 120 + 250 transfers, labs
    assert plan.quote_total == Decimal("3900") + 300 + 6 * 570 + 370
    assert plan.screening == eligible_patient.screenings.get()
    assert plan.history.first().history_user == doctor


def test_the_quote_stays_as_given_when_prices_change_later(eligible_patient, doctor, plan_input):
    plan = create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)
    total = plan.quote_total
    CellProduct.objects.filter(code="msc-uc-allo").update(price=Decimal("9999"))
    assert plan.quote_total == total


def test_making_a_plan_records_the_patients_weight(eligible_patient, doctor, plan_input):
    create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)
    eligible_patient.refresh_from_db()
    assert eligible_patient.weight_kg == 72.0


def test_a_dose_exactly_at_the_maximum_is_allowed(eligible_patient, doctor, plan_input):
    plan_input["products"][0]["dose_per_kg"] = 2.0e6
    assert create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD).pk


def test_a_dose_above_the_maximum_is_refused_and_nothing_saved(
    eligible_patient, doctor, plan_input
):
    plan_input["products"][0]["dose_per_kg"] = 2.0e6 + 1
    error = refused(eligible_patient, doctor, **plan_input)
    assert "above the maximum safe dose" in error.field_errors["products.0.dose_per_kg"]


@pytest.mark.parametrize("dose", [0, -5.0])
def test_a_zero_or_negative_dose_is_refused(eligible_patient, doctor, plan_input, dose):
    plan_input["products"][0]["dose_per_kg"] = dose
    error = refused(eligible_patient, doctor, **plan_input)
    assert "positive" in error.field_errors["products.0.dose_per_kg"]


def test_a_route_without_a_known_dose_limit_is_refused(eligible_patient, doctor, plan_input):
    plan_input["products"][0]["product"] = CellProduct.objects.get(code="msc-bm-allo-act")
    plan_input["products"][0]["route"] = "local"
    error = refused(eligible_patient, doctor, **plan_input)
    assert "not allowed" in error.field_errors["products.0.dose_per_kg"]


def test_an_unknown_route_is_refused(eligible_patient, doctor, plan_input):
    plan_input["products"][0]["route"] = "rectal"
    assert "products.0.route" in refused(eligible_patient, doctor, **plan_input).field_errors


def test_a_plan_without_products_is_refused(eligible_patient, doctor, plan_input):
    plan_input["products"] = []
    assert "products" in refused(eligible_patient, doctor, **plan_input).field_errors


def test_an_inactive_product_is_refused(eligible_patient, doctor, plan_input):
    CellProduct.objects.filter(code="msc-uc-allo").update(active=False)
    plan_input["products"][0]["product"].refresh_from_db()
    assert "products.0.product" in refused(eligible_patient, doctor, **plan_input).field_errors


def test_an_administration_after_discharge_is_refused(eligible_patient, doctor, plan_input):
    plan_input["products"][0]["day_of_stay"] = 7
    error = refused(eligible_patient, doctor, **plan_input)
    assert error.field_errors["products.0.day_of_stay"] == (
        "The day of the stay must be between 1 and 6."
    )


@pytest.mark.parametrize("days", [5, 9])
def test_stays_of_5_and_9_days_are_allowed(eligible_patient, doctor, plan_input, days):
    plan_input["discharge_date"] = plan_input["admission_date"] + dt.timedelta(days=days - 1)
    assert create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD).pk


@pytest.mark.parametrize("days", [4, 10])
def test_stays_of_4_and_10_days_are_refused(eligible_patient, doctor, plan_input, days):
    plan_input["discharge_date"] = plan_input["admission_date"] + dt.timedelta(days=days - 1)
    error = refused(eligible_patient, doctor, **plan_input)
    assert f"these dates give {days}" in error.field_errors["discharge_date"]


def test_an_admission_in_the_past_is_refused(eligible_patient, doctor, plan_input):
    plan_input["admission_date"] -= dt.timedelta(days=15)
    plan_input["discharge_date"] -= dt.timedelta(days=15)
    assert "admission_date" in refused(eligible_patient, doctor, **plan_input).field_errors


@pytest.mark.parametrize("weight", [19.5, 251])
def test_an_implausible_weight_is_refused(eligible_patient, doctor, plan_input, weight):
    plan_input["weight_kg"] = weight
    assert "weight_kg" in refused(eligible_patient, doctor, **plan_input).field_errors


def test_a_patient_never_screened_gets_no_plan(site, doctor, plan_input):
    error = refused(make_patient(site), doctor, **plan_input)
    assert "not been screened" in error.message


@pytest.mark.parametrize("decision", ["not_eligible", "needs_review"])
def test_a_patient_whose_latest_screening_is_not_eligible_gets_no_plan(
    eligible_patient, doctor, plan_input, decision
):
    make_screening(eligible_patient, doctor, decision=decision)
    error = refused(eligible_patient, doctor, **plan_input)
    assert "a plan needs an eligible screening" in error.message


def test_an_autologous_product_is_refused_for_a_donor_only_patient(site, doctor, plan_input):
    patient = make_patient(site)
    make_screening(patient, doctor, donor_only=True)
    plan_input["products"][0]["product"] = CellProduct.objects.get(code="msc-bm-auto")
    error = refused(patient, doctor, **plan_input)
    assert "choose a donor product" in error.field_errors["products.0.product"]


def test_a_donor_only_patient_may_have_donor_products(site, doctor, plan_input):
    patient = make_patient(site)
    make_screening(patient, doctor, donor_only=True)
    assert create_plan(patient, doctor, plan_request(plan_input), password=PASSWORD).pk


def test_only_a_doctor_makes_a_plan(eligible_patient, nurse, plan_input):
    assert "Only a doctor" in refused(eligible_patient, nurse, **plan_input).message


def test_a_doctor_of_another_site_makes_no_plan_here(
    eligible_patient, other_site_doctor, plan_input
):
    error = refused(eligible_patient, other_site_doctor, **plan_input)
    assert error.code == "other_site"


def test_two_full_doses_on_one_day_are_refused_on_the_second_row(
    eligible_patient, doctor, plan_input
):
    dose = {**plan_input["products"][0], "dose_per_kg": 2.0e6}
    plan_input["products"] = [dose, dict(dose)]
    error = refused(eligible_patient, doctor, **plan_input)
    assert list(error.field_errors) == ["products.1.dose_per_kg"]
    assert "on day 2 is above the maximum of 2.0 × 10⁶ viable cells/kg" in error.message


def test_five_full_doses_are_refused_past_the_course_maximum(eligible_patient, doctor, plan_input):
    dose = {**plan_input["products"][0], "dose_per_kg": 2.0e6}
    plan_input["products"] = [{**dose, "day_of_stay": day} for day in range(1, 6)]
    error = refused(eligible_patient, doctor, **plan_input)
    assert sorted(error.field_errors) == [
        "products.3.dose_per_kg",
        "products.4.dose_per_kg",
    ]
    assert "in the course is above the maximum of 6.0 × 10⁶ viable cells/kg" in error.message


def test_three_full_doses_on_three_days_are_planned(eligible_patient, doctor, plan_input):
    dose = {**plan_input["products"][0], "dose_per_kg": 2.0e6}
    plan_input["products"] = [{**dose, "day_of_stay": day} for day in (2, 3, 4)]
    assert (
        create_plan(
            eligible_patient, doctor, plan_request(plan_input), password=PASSWORD
        ).products.count()
        == 3
    )
