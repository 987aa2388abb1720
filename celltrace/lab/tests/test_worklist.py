"""The lab's worklist: one order per planned administration of a plan in force, with what it
needs in the product's unit; orders a plan change cancelled, with their lots stopped."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.lab.actions import allocate_lot, record_qc_result, start_autologous_lot
from celltrace.lab.tests.helpers import an_hour_ago, product
from celltrace.plans.actions import amend_plan, cancel_plan, create_plan
from celltrace.refusal import Refused
from testkit import PASSWORD
from testkit.journey import make_lot, make_patient, make_screening, plan_request


def plan_values(weight, code="msc-uc-allo"):
    admission = timezone.localdate() + dt.timedelta(days=14)
    return {
        "weight_kg": weight,
        "admission_date": admission,
        "discharge_date": admission + dt.timedelta(days=5),
        "products": [
            {
                "product": product(code),
                "route": "intravenous",
                "dose_per_kg": 1.5e6,
                "day_of_stay": 2,
            }
        ],
    }


@pytest.fixture
def mistaken(site, doctor, catalog):
    patient = make_patient(site)
    make_screening(patient, doctor)
    return create_plan(patient, doctor, plan_request(plan_values(150.0)), password=PASSWORD)


def test_the_worklist_shows_each_order_with_plan_patient_date_and_cells_needed(
    client_for, lab_technician, mistaken
):
    page = client_for(lab_technician).get(reverse("lab:worklist")).content.decode()
    assert f"#{mistaken.pk}</a> version 1" in page or f"#{mistaken.pk} version 1" in page
    assert mistaken.patient.code in page and mistaken.patient.full_name in page
    assert "Intravenous infusion" in page
    planned_date = mistaken.admission_date + dt.timedelta(days=1)
    assert f"day 2, {planned_date:%Y-%m-%d}" in page
    assert "2.25 × 10⁸ viable cells" in page  # 1.5 × 10⁶ per kg × 150 kg


def test_the_worklist_writes_what_an_exosome_order_needs_in_particles(
    client_for, lab_technician, site, doctor, catalog
):
    patient = make_patient(site)
    make_screening(patient, doctor)
    create_plan(patient, doctor, plan_request(plan_values(80.0, code="exo-bm")), password=PASSWORD)
    client = client_for(lab_technician)
    page = client.get(reverse("lab:worklist")).content.decode()
    open_orders = page.split("<h2>Open orders")[1].split("<h2>Cancelled orders")[0]
    assert "1.2 × 10⁸ particles" in open_orders and "cells" not in open_orders
    (order,) = client.get("/api/lab/worklist").json()["orders"]
    assert (order["amount_needed"], order["dose_unit"]) == (1.2e8, "particles")


def test_after_the_150_kg_mistake_is_amended_the_lab_sees_one_order_for_75_kg(
    client_for, lab_technician, doctor, mistaken
):
    amend_plan(
        mistaken,
        doctor,
        plan_request(plan_values(75.0)),
        reason="Weight typed as 150 kg.",
        password=PASSWORD,
    )
    client = client_for(lab_technician)
    page = client.get(reverse("lab:worklist")).content.decode()
    assert "2.25 × 10⁸" not in page and "1.125 × 10⁸" in page
    assert "amended" in page
    orders = client.get("/api/lab/worklist").json()["orders"]
    assert [
        (o["plan_number"], o["plan_version"], o["amount_needed"], o["dose_unit"]) for o in orders
    ] == [(mistaken.pk, 2, 1.125e8, "viable_cells")]


def test_a_cancelled_plans_lot_shows_order_cancelled_and_is_not_processed(
    client_for, lab_technician, doctor, mistaken
):
    lot = make_lot(mistaken, lab_technician, status="in_process")
    cancel_plan(mistaken, doctor, reason="Duplicate plan.")
    client = client_for(lab_technician)
    worklist = client.get(reverse("lab:worklist")).content.decode()
    assert "order cancelled" in worklist and "Duplicate plan." in worklist
    assert "order cancelled" in client.get(lot.get_absolute_url()).content.decode()
    assert client.get("/api/lab/worklist").json()["cancelled"][0]["lot_codes"] == [lot.code]
    response = client.post(
        f"/api/lab/lots/{lot.pk}/steps",
        {"step": "separation", "performed_at": an_hour_ago().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "order_cancelled"
    with pytest.raises(Refused):
        record_qc_result(
            lot, lab_technician, test="sterility", passed=True, tested_at=an_hour_ago()
        )


def test_no_lot_is_started_for_a_cancelled_plan(lab_technician, doctor, site, catalog):
    patient = make_patient(site)
    make_screening(patient, doctor)
    auto = create_plan(
        patient, doctor, plan_request(plan_values(70.0, "msc-bm-auto")), password=PASSWORD
    )
    cancel_plan(auto, doctor, reason="Duplicate plan.")
    auto.refresh_from_db()
    with pytest.raises(Refused) as caught:
        start_autologous_lot(
            auto, lab_technician, product=product("msc-bm-auto"), harvested_at=an_hour_ago()
        )
    assert caught.value.code == "plan_cancelled"


def test_a_donor_lot_of_a_cancelled_order_can_be_allocated_to_another_plan(
    lab_technician, doctor, site, mistaken, quality_reviewer
):
    lot = make_lot(mistaken, lab_technician, reviewer=quality_reviewer)  # released
    cancel_plan(mistaken, doctor, reason="Duplicate plan.")
    other = make_patient(site)
    make_screening(other, doctor)
    plan = create_plan(other, doctor, plan_request(plan_values(70.0)), password=PASSWORD)
    lot.refresh_from_db()
    mistaken.refresh_from_db()
    assert allocate_lot(lot, plan, lab_technician).plan == plan
    with pytest.raises(Refused) as caught:
        allocate_lot(lot, mistaken, lab_technician)
    assert "cancelled" in caught.value.message
