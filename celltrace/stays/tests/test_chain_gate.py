"""The bedside compares the lot's Chain of Identity with the patient's plan's (ST-028)."""

import pytest
from django.db import transaction

from celltrace.lab.chain import chain_for
from celltrace.lab.models import ProductLot
from celltrace.stays.actions import record_administration
from celltrace.stays.models import Administration
from celltrace.stays.tests.test_api import URL, _json, _refused
from celltrace.stays.tests.test_bedside_safety import PREVIEW, _refusal
from celltrace.stays.tests.test_views import ADMINISTER, _form, _post_refused
from testkit.journey import make_patient, make_plan

OTHER_EVENT = "belongs to Chain of Identity"


def _chain(plan, user):
    with transaction.atomic():
        return chain_for(plan, user)


@pytest.fixture
def on_chain(ward, lab_technician):
    """The ward patient's lot linked to the Chain of Identity of the patient's plan."""
    chain = _chain(ward.plan, lab_technician)
    ProductLot.objects.filter(pk=ward.lot.pk).update(chain=chain)
    return chain


@pytest.fixture
def other_event(ward, site, doctor, lab_technician):
    """The ward patient's lot relabelled with the chain of another patient's event."""
    plan = make_plan(make_patient(site), doctor)
    chain = _chain(plan, lab_technician)
    ProductLot.objects.filter(pk=ward.lot.pk).update(chain=chain)
    return chain


def test_a_lot_on_the_plans_chain_is_given_and_the_preview_shows_both_chains(
    client_for, ward, nurse, bedside, on_chain
):
    query = {"patient_code": ward.patient.code, "lot_code": ward.lot.code}
    body = client_for(nurse).get(PREVIEW, query).json()
    assert body["lot_chain"] == body["plan_chain"] == on_chain.with_check
    assert body["may_give"] is True
    page = client_for(nurse).post(ADMINISTER, query).content.decode()
    assert page.count(on_chain.with_check) == 2 and "(match)" in page
    response = client_for(nurse).post(URL, _json(bedside), content_type="application/json")
    assert response.status_code == 201
    assert Administration.objects.count() == 1


def test_a_lot_of_another_event_is_refused_by_the_action(ward, nurse, bedside, other_event):
    error = _refusal(nurse, bedside)
    assert OTHER_EVENT in error.message and other_event.identifier in error.message
    assert "patient's plan's (none)" in error.message


def test_a_lot_of_another_event_is_refused_by_the_form_and_the_api(
    client_for, ward, nurse, bedside, other_event, lab_technician
):
    _chain(ward.plan, lab_technician)  # the patient's plan has its own chain
    client = client_for(nurse)
    page = _post_refused(client, _form(bedside))
    assert OTHER_EVENT in page
    body = _refused(client, _json(bedside))
    assert OTHER_EVENT in str(body)
    query = {"patient_code": ward.patient.code, "lot_code": ward.lot.code}
    preview = client.get(PREVIEW, query).json()
    assert preview["may_give"] is False
    assert preview["lot_chain"] == other_event.with_check != preview["plan_chain"] != ""


def test_a_lot_without_a_chain_follows_the_plan_and_patient_checks(ward, nurse, bedside):
    # Made before chains (make_lot writes no chain): given as before.
    assert ProductLot.objects.get(pk=ward.lot.pk).chain is None
    record_administration(nurse, **bedside)
    assert Administration.objects.filter(lot=ward.lot).exists()


def test_a_divided_lot_is_refused_at_the_bedside_scan_the_part(client_for, ward, nurse, bedside):
    ProductLot.objects.filter(pk=ward.lot.pk).update(divided_at=ward.lot.made_at)
    assert "scan the part" in _refusal(nurse, bedside).message
    assert "scan the part" in str(_refused(client_for(nurse), _json(bedside)))
