import datetime as dt

import pytest
from django.urls import reverse

from celltrace.accounts.models import Role, User
from celltrace.catalog.models import CellProduct, Therapy
from celltrace.plans.actions import create_plan
from celltrace.plans.models import PlannedProduct, PlannedTherapy, QuoteLine, TreatmentPlan
from testkit import PASSWORD
from testkit.journey import make_lot, make_patient, make_screening, plan_request


def counts():
    return (
        TreatmentPlan.objects.count(),
        PlannedProduct.objects.count(),
        PlannedTherapy.objects.count(),
        QuoteLine.objects.count(),
    )


def form_data(admission, *, days=6, product="msc-uc-allo", route="intravenous", dose="1.5e6"):
    data = {
        "weight_kg": "72",
        "admission_date": admission.isoformat(),
        "discharge_date": (admission + dt.timedelta(days=days - 1)).isoformat(),
        "notes": "",
        "products-TOTAL_FORMS": "3",
        "products-INITIAL_FORMS": "0",
        "therapies-TOTAL_FORMS": "4",
        "therapies-INITIAL_FORMS": "0",
        "products-0-product": CellProduct.objects.get(code=product).pk,
        "products-0-route": route,
        "products-0-dose_per_kg": dose,
        "products-0-day_of_stay": "2",
        "products-0-planned_time": "10:00",
        "therapies-0-therapy": Therapy.objects.get(code="physiotherapy").pk,
        "therapies-0-sessions": "5",
        "password": PASSWORD,  # the doctor signs the plan
    }
    # A browser sends the empty rows too, with their time as prefilled.
    for row in (1, 2):
        for field in ("product", "route", "dose_per_kg", "day_of_stay"):
            data[f"products-{row}-{field}"] = ""
        data[f"products-{row}-planned_time"] = "10:00"
    return data


def new_url(patient):
    return reverse("plans:new", args=[patient.pk])


def test_a_doctor_makes_a_plan_through_the_form(client_for, doctor, eligible_patient, admission):
    response = client_for(doctor).post(new_url(eligible_patient), form_data(admission))
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.products.get().dose_per_kg == 1.5e6
    assert plan.therapies.get().sessions == 5


def test_the_form_is_offered_to_a_doctor_for_an_eligible_patient(
    client_for, doctor, eligible_patient
):
    response = client_for(doctor).get(new_url(eligible_patient))
    assert response.status_code == 200
    assert b"Sign and save the plan and its quote" in response.content
    assert b'class="refusal"' not in response.content


def test_the_screen_says_why_when_the_patient_is_not_eligible(client_for, doctor, site, catalog):
    patient = make_patient(site)
    make_screening(patient, doctor, decision="not_eligible")
    response = client_for(doctor).get(new_url(patient))
    assert b'class="refusal"' in response.content
    assert b"Not eligible" in response.content
    assert b"save the plan" not in response.content


def test_the_screen_says_so_when_the_patient_was_never_screened(client_for, doctor, site, catalog):
    response = client_for(doctor).get(new_url(make_patient(site)))
    assert b"has not been screened" in response.content


def refused_post(client, patient, data):
    before = counts()
    response = client.post(new_url(patient), data)
    assert response.status_code == 200
    assert counts() == before
    assert b'class="refusal"' in response.content or b"errorlist" in response.content
    return response.content.decode()


def test_a_dose_above_the_maximum_is_refused_through_the_form(
    client_for, doctor, eligible_patient, admission
):
    page = refused_post(client_for(doctor), eligible_patient, form_data(admission, dose="2000001"))
    assert (
        "2.000001 × 10⁶ viable cells/kg is above the maximum safe dose of 2.0 × 10⁶ viable cells/kg"
        in page
    )
    assert "e+06" not in page and "2000000.0" not in page
    assert 'class="refusal"' in page


def test_a_route_with_no_known_limit_is_refused_through_the_form(
    client_for, doctor, eligible_patient, admission
):
    data = form_data(admission, product="msc-bm-allo-act", route="local")
    assert "not allowed" in refused_post(client_for(doctor), eligible_patient, data)


def test_a_made_up_route_is_refused_through_the_form(
    client_for, doctor, eligible_patient, admission
):
    data = form_data(admission, route="rectal")
    assert "Select a valid choice" in refused_post(client_for(doctor), eligible_patient, data)


def test_a_ten_day_stay_is_refused_through_the_form(
    client_for, doctor, eligible_patient, admission
):
    page = refused_post(client_for(doctor), eligible_patient, form_data(admission, days=10))
    assert "these dates give 10" in page


def test_a_plan_for_a_patient_not_eligible_is_refused_through_the_form(
    client_for, doctor, eligible_patient, admission
):
    make_screening(eligible_patient, doctor, decision="needs_review")
    page = refused_post(client_for(doctor), eligible_patient, form_data(admission))
    assert "a plan needs an eligible screening" in page


def test_an_autologous_product_for_a_donor_only_patient_is_refused_through_the_form(
    client_for, doctor, site, catalog, admission
):
    patient = make_patient(site)
    make_screening(patient, doctor, donor_only=True)
    data = form_data(admission, product="msc-bm-auto")
    assert "choose a donor product" in refused_post(client_for(doctor), patient, data)


def test_a_plan_without_products_is_refused_through_the_form(
    client_for, doctor, eligible_patient, admission
):
    data = form_data(admission)
    for field in ("product", "route", "dose_per_kg", "day_of_stay"):
        data.pop(f"products-0-{field}")
    assert "Plan at least one cell product" in refused_post(
        client_for(doctor), eligible_patient, data
    )


@pytest.mark.parametrize("role_user", ["nurse", "coordinator", "lab_technician", "advisor"])
def test_only_doctors_open_the_plan_form(client_for, eligible_patient, role_user, request):
    user = request.getfixturevalue(role_user)
    assert client_for(user).get(new_url(eligible_patient)).status_code == 403


def test_a_doctor_of_another_site_cannot_make_a_plan(
    client_for, other_site_doctor, eligible_patient, admission
):
    response = client_for(other_site_doctor).post(new_url(eligible_patient), form_data(admission))
    assert response.status_code == 404
    assert TreatmentPlan.objects.count() == 0


@pytest.fixture
def plan(eligible_patient, doctor, plan_input):
    return create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)


@pytest.mark.parametrize("viewer", ["doctor", "coordinator", "nurse", "manager", "admin_user"])
def test_staff_read_the_plan_with_doses_and_quote(client_for, plan, viewer, request):
    response = client_for(request.getfixturevalue(viewer)).get(plan.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "1.5 × 10⁶" in page and "1.08 × 10⁸" in page  # dose per kg, total for 72 kg
    assert "Physiotherapy" in page
    assert plan.price(plan.quote_total) in page  # e.g. EUR 8,110.00


def test_the_plan_links_to_its_lab_lots(client_for, plan, doctor, lab_technician):
    lot = make_lot(plan, lab_technician)
    page = client_for(doctor).get(plan.get_absolute_url()).content.decode()
    assert lot.get_absolute_url() in page


def test_a_patient_reads_their_own_plan_without_lab_details(client_for, plan, site):
    portal = User.objects.create_user("pat", role=Role.PATIENT, site=site)
    plan.patient.portal_user = portal
    plan.patient.save()
    response = client_for(portal).get(plan.get_absolute_url())
    assert response.status_code == 200
    assert b"Lab lots" not in response.content


def test_a_patient_cannot_read_another_patients_plan(client_for, plan, site):
    portal = User.objects.create_user("someone", role=Role.PATIENT, site=site)
    make_patient(site, portal_user=portal)
    assert client_for(portal).get(plan.get_absolute_url()).status_code == 404


def test_a_doctor_of_another_site_cannot_read_the_plan(client_for, plan, other_site_doctor):
    assert client_for(other_site_doctor).get(plan.get_absolute_url()).status_code == 404


def test_a_lab_technician_cannot_read_plans(client_for, plan, lab_technician):
    assert client_for(lab_technician).get(plan.get_absolute_url()).status_code == 403


def test_the_plan_page_runs_a_fixed_number_of_queries(
    client_for, plan, doctor, django_assert_max_num_queries
):
    client = client_for(doctor)
    # Second factor; the signature, its type, and the signed content read again to check it
    # (its home care too).
    with django_assert_max_num_queries(20):
        client.get(plan.get_absolute_url())


def test_doses_adding_up_above_the_daily_maximum_are_refused_through_the_form(
    client_for, doctor, eligible_patient, admission
):
    data = form_data(admission, dose="2e6")
    for field in ("product", "route", "dose_per_kg", "day_of_stay", "planned_time"):
        data[f"products-1-{field}"] = data[f"products-0-{field}"]
    page = refused_post(client_for(doctor), eligible_patient, data)
    assert "4.0 × 10⁶ viable cells/kg of msc-uc-allo by the intravenous route on day 2" in page


def test_the_plan_shows_doses_and_limits_in_the_products_unit(
    client_for, doctor, eligible_patient, admission
):
    client = client_for(doctor)
    form = client.get(new_url(eligible_patient)).content.decode()
    assert "particles/kg" in form and "µg protein/kg" in form and "viable cells/kg" in form
    client.post(new_url(eligible_patient), form_data(admission, product="exo-uc", dose="1e6"))
    page = client.get(TreatmentPlan.objects.get().get_absolute_url()).content.decode()
    assert "1.0 × 10⁶ particles/kg" in page and "7.2 × 10⁷ particles" in page


def test_two_full_doses_on_one_day_are_refused_through_the_form(
    client_for, doctor, eligible_patient, admission
):
    data = form_data(admission, dose="2e6")
    for field in ("product", "route", "dose_per_kg", "day_of_stay", "planned_time"):
        data[f"products-1-{field}"] = data[f"products-0-{field}"]
    page = refused_post(client_for(doctor), eligible_patient, data)
    assert "on day 2 is above the maximum of 2.0 × 10⁶ viable cells/kg" in page
