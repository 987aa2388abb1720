"""One Chain of Identity per patient therapy event (ISBT 128 ST-028), shared by its lots."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.clinical import isbt128
from celltrace.lab.actions import allocate_lot, release_lot, start_autologous_lot
from celltrace.lab.models import ChainOfIdentity, ProductLot
from celltrace.lab.tests.helpers import pass_every_test, product
from celltrace.lab.tests.test_worklist import plan_values
from celltrace.plans.actions import amend_plan, create_plan
from celltrace.refusal import Refused
from testkit import PASSWORD
from testkit.journey import make_patient, make_plan, make_screening, plan_request


def harvest(plan, technician, code="msc-bm-auto"):
    return start_autologous_lot(
        plan,
        technician,
        product=product(code),
        harvested_at=timezone.now() - dt.timedelta(hours=2),
    )


def year():
    return timezone.localdate().strftime("%y")


def test_the_first_collection_allocates_the_events_chain_with_its_check_character(
    autologous_plan, lab_technician
):
    lot = harvest(autologous_plan, lab_technician)
    chain = lot.chain
    assert chain.identifier == f"CHX9991{year()}000001"
    assert chain.plan == autologous_plan and chain.patient == autologous_plan.patient
    assert chain.allocated_by == lab_technician and chain.site == autologous_plan.patient.site
    k = isbt128.check_character(chain.identifier)
    assert lot.chain_with_check == f"{chain.identifier} {k}"
    assert chain.history.count() == 1


def test_every_collection_of_the_event_and_of_its_amended_versions_shares_the_chain(
    site, doctor, lab_technician, catalog
):
    patient = make_patient(site)
    make_screening(patient, doctor)
    first = create_plan(
        patient, doctor, plan_request(plan_values(70.0, "msc-bm-auto")), password=PASSWORD
    )
    lot_one = harvest(first, lab_technician)
    lot_two = harvest(first, lab_technician)
    second = amend_plan(
        first,
        doctor,
        plan_request(plan_values(72.0, "msc-bm-auto")),
        reason="Weighed again.",
        password=PASSWORD,
    )
    lot_three = harvest(second, lab_technician)
    assert lot_one.chain == lot_two.chain == lot_three.chain
    assert lot_three.chain.plan == first
    assert ChainOfIdentity.objects.count() == 1


def test_each_event_gets_its_own_chain_numbered_per_fin_and_year(
    site, other_site, doctor, other_site_doctor, lab_technician, catalog
):
    one = harvest(make_plan(make_patient(site), doctor, product="msc-bm-auto"), lab_technician)
    there = make_plan(make_patient(other_site), other_site_doctor, product="msc-bm-auto")
    their_technician = User.objects.create_user(
        username="lab-nicosia", role=Role.LAB_TECHNICIAN, site=other_site
    )
    other = harvest(there, their_technician)
    two = harvest(make_plan(make_patient(site), doctor, product="msc-bm-auto"), lab_technician)
    assert [one.chain.identifier, two.chain.identifier, other.chain.identifier] == [
        f"CHX9991{year()}000001",
        f"CHX9991{year()}000002",
        f"CHX9992{year()}000001",
    ]
    with pytest.raises(PermissionDenied):
        harvest(there, lab_technician)


def test_a_refused_collection_allocates_no_chain(autologous_plan, lab_technician):
    with pytest.raises(Refused, match="not an autologous|donor product"):
        harvest(autologous_plan, lab_technician, code="msc-uc-allo")
    assert not ChainOfIdentity.objects.exists() and not ProductLot.objects.exists()


def test_a_site_without_a_fin_allocates_no_chain(site, autologous_plan, lab_technician):
    site.isbt_fin = ""
    site.save()
    with pytest.raises(Refused, match="Facility Identification Number"):
        harvest(autologous_plan, lab_technician)
    assert not ChainOfIdentity.objects.exists() and not ProductLot.objects.exists()


@pytest.fixture
def released_donor_lot(donor_lot, lab_technician, quality_reviewer):
    pass_every_test(donor_lot, lab_technician)
    return release_lot(donor_lot, quality_reviewer, password=PASSWORD)


def test_donor_stock_has_no_chain_until_it_is_allocated_to_a_plan(
    released_donor_lot, donor_plan, lab_technician
):
    assert released_donor_lot.chain is None
    lot = allocate_lot(released_donor_lot, donor_plan, lab_technician)
    assert lot.chain.plan == donor_plan
    assert ProductLot.objects.get(pk=lot.pk).chain == lot.chain


def test_a_donor_lot_joins_the_chain_the_event_has_already(
    site, doctor, lab_technician, quality_reviewer, released_donor_lot, catalog
):
    plan = make_plan(make_patient(site), doctor, product="msc-uc-allo")
    earlier = allocate_lot(released_donor_lot, plan, lab_technician).chain
    second = ProductLot.objects.get(pk=released_donor_lot.pk)
    second.pk, second.code, second.din, second.plan, second.chain = None, "L-2", None, None, None
    second.save()
    assert allocate_lot(second, plan, lab_technician).chain == earlier
    assert ChainOfIdentity.objects.count() == 1


def test_a_refused_allocation_allocates_no_chain(donor_lot, donor_plan, lab_technician):
    with pytest.raises(Refused, match="only released lots"):
        allocate_lot(donor_lot, donor_plan, lab_technician)
    assert not ChainOfIdentity.objects.exists()
    assert ProductLot.objects.get(pk=donor_lot.pk).chain is None


def test_the_lot_page_the_plan_page_and_the_api_show_the_chain_and_the_din_with_k(
    client_for, doctor, autologous_plan, lab_technician
):
    lot = harvest(autologous_plan, lab_technician)
    client = client_for(doctor)
    lot_page = client.get(reverse("lab:lot_detail", args=[lot.pk])).content.decode()
    assert lot.chain_with_check in lot_page and lot.din_with_check in lot_page
    plan_page = client.get(autologous_plan.get_absolute_url()).content.decode()
    assert f"Chain of Identity (ISBT 128): {lot.chain_with_check}" in plan_page
    body = client.get(f"/api/lab/lots/{lot.pk}").json()
    assert body["chain_of_identity"] == lot.chain_with_check
    assert (body["din"], body["din_with_check"], body["division"]) == (
        lot.din,
        lot.din_with_check,
        "00",
    )


def test_the_form_starts_a_lot_on_the_events_chain(client_for, lab_technician, autologous_plan):
    url = reverse("lab:new_autologous", args=[autologous_plan.pk])
    when = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    product_pk = product("msc-bm-auto").pk
    client_for(lab_technician).post(url, {"product": product_pk, "harvested_at": when})
    assert ProductLot.objects.get().chain.plan == autologous_plan


def test_the_api_allocates_a_donor_lot_onto_the_plans_chain(
    client_for, lab_technician, released_donor_lot, donor_plan
):
    response = client_for(lab_technician).post(
        f"/api/lab/lots/{released_donor_lot.pk}/allocate",
        {"plan_id": donor_plan.pk},
        content_type="application/json",
    )
    assert response.status_code == 200
    chain = ChainOfIdentity.objects.get()
    assert response.json()["chain_of_identity"] == chain.with_check
    assert chain.plan == donor_plan
