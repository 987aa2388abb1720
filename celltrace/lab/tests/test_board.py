"""The lab board: each product of a plan in force is an order due at its first planned dose,
started by its process time before, needing the planned doses' amount; with its warnings."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.lab.models import ProductLot
from celltrace.lab.tests.helpers import product
from celltrace.lab.worklist import open_orders
from celltrace.plans.actions import amend_plan
from celltrace.plans.models import PlannedProduct
from testkit import PASSWORD
from testkit.journey import make_lot, make_patient, make_plan, plan_request


def board(client):
    page = client.get(reverse("lab:worklist")).content.decode()
    return page.split("<h2>Open orders")[1].split("<h2>Cancelled orders")[0]


def hour_ago():
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


def days_ahead(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def two_doses(site, doctor, catalog):
    """A 70 kg patient's donor MSCs on days 2 and 4, admitted in 30 days, in Nicosia time."""
    site.time_zone = "Asia/Nicosia"
    site.save()
    plan = make_plan(make_patient(site), doctor, product="msc-uc-allo", admission=days_ahead(30))
    first = plan.products.get()
    PlannedProduct.objects.create(
        plan=plan,
        product=first.product,
        route="intravenous",
        dose_per_kg=first.dose_per_kg,
        day_of_stay=4,
        planned_time=dt.time(14, 30),
    )
    return plan


def test_a_products_doses_make_one_order_due_at_the_first_dose_at_the_site(
    lab_technician, two_doses
):
    (order,) = open_orders(lab_technician)
    nicosia = zoneinfo.ZoneInfo("Asia/Nicosia")
    first_day = two_doses.admission_date + dt.timedelta(days=1)
    assert order.need_by == dt.datetime.combine(first_day, dt.time(10, 0), tzinfo=nicosia)
    assert order.start_by == order.need_by - dt.timedelta(days=21)
    assert order.last_dose_at == dt.datetime.combine(
        first_day + dt.timedelta(days=2), dt.time(14, 30), tzinfo=nicosia
    )
    assert order.required == 2 * 1.0e6 * two_doses.weight_kg
    assert [d.day_of_stay for d in order.doses] == [2, 4]


def test_the_board_and_the_api_show_need_by_start_by_doses_and_the_amount_required(
    client_for, lab_technician, two_doses
):
    client = client_for(lab_technician)
    first_day = two_doses.admission_date + dt.timedelta(days=1)
    start = first_day - dt.timedelta(days=21)
    page = board(client)
    assert f"{start:%Y-%m-%d}" in page and f"{first_day:%Y-%m-%d} 10:00" in page
    assert "day 4, " in page and "14:30" in page
    assert "1.4 × 10⁸ viable cells" in page  # 1.0 × 10⁶ per kg × 70 kg × 2 doses
    (order,) = client.get("/api/lab/worklist").json()["orders"]
    assert order["need_by"].startswith(f"{first_day:%Y-%m-%d}T10:00:00+02:00")
    assert order["start_by"].startswith(f"{start:%Y-%m-%d}T10:00:00+02:00")
    assert order["amount_needed"] == 1.4e8
    assert [(d["day_of_stay"], d["planned_time"]) for d in order["doses"]] == [
        (2, "10:00:00"),
        (4, "14:30:00"),
    ]
    assert (order["content"], order["warnings"]) == ("no_lot", [])


def test_the_board_lists_orders_by_the_date_they_must_be_started(
    lab_technician, site, doctor, catalog
):
    # Macrophages take 7 days, exosomes 28: the later admission must be started first.
    soon = make_plan(make_patient(site), doctor, product="mac-auto", admission=days_ahead(30))
    later = make_plan(make_patient(site), doctor, product="exo-uc", admission=days_ahead(40))
    assert [o.plan for o in open_orders(lab_technician)] == [later, soon]


def test_an_order_whose_start_by_passed_without_a_lot_cannot_be_ready(
    client_for, lab_technician, site, doctor, catalog
):
    make_plan(make_patient(site), doctor, product="msc-bm-auto", admission=days_ahead(10))
    client = client_for(lab_technician)
    assert "Cannot be ready: no lot was started by" in board(client)
    (order,) = client.get("/api/lab/worklist").json()["orders"]
    assert order["warnings"][0].startswith("Cannot be ready")


def test_an_order_with_time_enough_is_on_track(client_for, lab_technician, site, doctor, catalog):
    make_plan(make_patient(site), doctor, product="msc-bm-auto", admission=days_ahead(30))
    assert "on track" in board(client_for(lab_technician))


def test_a_lot_whose_steps_left_exceed_the_time_left_cannot_be_ready(
    lab_technician, site, doctor, catalog
):
    plan = make_plan(make_patient(site), doctor, product="msc-bm-auto", admission=days_ahead(3))
    lot = make_lot(plan, lab_technician, status="in_process", viable_content=None)
    (order,) = open_orders(lab_technician)
    assert order.lots == (lot,)
    assert order.warnings[0].startswith(f"Cannot be ready: lot {lot.code} still needs about")


def test_a_formulated_lot_holding_too_few_cells_is_flagged_and_unknown_before(
    client_for, lab_technician, site, doctor, catalog
):
    plan = make_plan(make_patient(site), doctor, product="msc-uc-allo", admission=days_ahead(2))
    lot = make_lot(plan, lab_technician, status="in_process", viable_content=None)
    (order,) = open_orders(lab_technician)
    assert order.content == "unknown"
    assert "content unknown until formulation" in board(client_for(lab_technician))
    ProductLot.objects.filter(pk=lot.pk).update(viable_content=1.0e7)  # 70 kg need 7 × 10⁷
    (order,) = open_orders(lab_technician)
    assert order.content == "too_few"
    assert "Too few: the lots hold 1.0 × 10⁷ viable cells" in " ".join(order.warnings)


def test_a_lot_that_expires_before_the_last_planned_dose_is_flagged(
    client_for, lab_technician, site, doctor, catalog, quality_reviewer
):
    plan = make_plan(make_patient(site), doctor, product="msc-uc-allo", admission=days_ahead(8))
    lot = make_lot(plan, lab_technician, reviewer=quality_reviewer, expires_in_days=3)
    client = client_for(lab_technician)
    assert f"Expires before use: lot {lot.code} expires" in board(client)
    (order,) = client.get("/api/lab/worklist").json()["orders"]
    assert order["content"] == "enough"
    assert [w.split(":")[0] for w in order["warnings"]] == ["Expires before use"]


def test_an_amended_plan_moves_its_order_to_the_new_admission(
    lab_technician, doctor, site, catalog
):
    plan = make_plan(make_patient(site), doctor, product="msc-uc-allo", admission=days_ahead(30))
    later = days_ahead(45)
    values = {
        "weight_kg": plan.weight_kg,
        "admission_date": later,
        "discharge_date": later + dt.timedelta(days=5),
        "products": [
            {
                "product": product("msc-uc-allo"),
                "route": "intravenous",
                "dose_per_kg": 1.0e6,
                "day_of_stay": 1,
            }
        ],
    }
    amend_plan(plan, doctor, plan_request(values), reason="Flights moved.", password=PASSWORD)
    (order,) = open_orders(lab_technician)
    assert site_time.local_date(order.need_by, site) == later


def test_the_board_asks_a_fixed_number_of_queries(
    client_for, lab_technician, site, doctor, catalog, django_assert_max_num_queries
):
    for code in ("msc-bm-auto", "msc-uc-allo", "exo-uc", "mac-auto"):
        plan = make_plan(make_patient(site), doctor, product=code, admission=days_ahead(20))
        make_lot(plan, lab_technician, status="in_process", viable_content=None)
    client = client_for(lab_technician)
    with django_assert_max_num_queries(16):
        client.get(reverse("lab:worklist"))


# Starting an autologous lot that would expire before its dose


def test_starting_a_lot_that_expires_before_the_planned_day_warns_on_the_form(
    client_for, lab_technician, site, doctor, catalog
):
    msc = product("msc-bm-auto")
    # Farther away than the process and the shelf life after it: no lot made today lasts.
    far = days_ahead(msc.process_days + msc.shelf_life_days + 10)
    plan = make_plan(make_patient(site), doctor, product="msc-bm-auto", admission=far)
    data = {
        "product": product("msc-bm-auto").pk,
        "harvested_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    client = client_for(lab_technician)
    response = client.post(reverse("lab:new_autologous", args=[plan.pk]), data, follow=True)
    page = response.content.decode()
    lot = plan.lots.get()
    first_day = plan.admission_date + dt.timedelta(days=1)
    assert f"Lot {lot.code} expires on" in page
    assert f"before the first planned dose on {first_day}" in page


def test_starting_a_lot_that_expires_before_the_planned_day_warns_in_the_api(
    client_for, lab_technician, site, doctor, catalog
):
    msc = product("msc-bm-auto")
    # Farther away than the process and the shelf life after it: no lot made today lasts.
    far = days_ahead(msc.process_days + msc.shelf_life_days + 10)
    plan = make_plan(make_patient(site), doctor, product="msc-bm-auto", admission=far)
    response = client_for(lab_technician).post(
        f"/api/lab/plans/{plan.pk}/autologous-lots",
        {"product": "msc-bm-auto", "harvested_at": hour_ago()},
        content_type="application/json",
    )
    assert response.status_code == 201
    (warning,) = response.json()["warnings"]
    assert "before the first planned dose" in warning


def test_a_lot_that_keeps_until_its_dose_starts_without_a_warning(
    client_for, lab_technician, site, doctor, catalog
):
    plan = make_plan(
        make_patient(site), doctor, product="msc-bm-auto", admission=days_ahead(1), day=1
    )
    response = client_for(lab_technician).post(
        f"/api/lab/plans/{plan.pk}/autologous-lots",
        {"product": "msc-bm-auto", "harvested_at": hour_ago()},
        content_type="application/json",
    )
    assert response.json()["warnings"] == []
