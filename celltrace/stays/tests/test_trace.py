"""Traceability and recall (21 CFR 1271.290): from a lot to its patients, administrations and
adverse events and back; a recalled lot is refused at the bedside and no longer allocated."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from celltrace.accounts.models import Role, User
from celltrace.lab.actions import (
    allocate_lot,
    create_donor_lot,
    determine_donor,
    recall_lot,
    record_donor_test,
    release_lot,
)
from celltrace.lab.models import LotRecall, ProductLot
from celltrace.lab.tests.helpers import an_hour_ago, make_donor, pass_every_test, product
from celltrace.refusal import NotAllowed, Refused
from celltrace.stays.actions import record_administration, report_adverse_event
from celltrace.stays.models import Administration
from testkit import PASSWORD

REASON = "Positive sterility culture of the retained sample"


def saved():
    return (
        LotRecall.objects.count(),
        Administration.objects.count(),
        list(ProductLot.objects.order_by("pk").values_list("status", flat=True)),
    )


@pytest.fixture
def given(ward, nurse, bedside):
    """The ward patient's lot, given five minutes ago, with an open fever after it."""
    administration = record_administration(nurse, **bedside)
    report_adverse_event(
        ward.stay,
        nurse,
        term="fever",
        onset_at=timezone.now() - dt.timedelta(minutes=2),
        ctcae_grade=1,
        serious=False,
        relatedness="possible",
        outcome="recovering",
        administration_id=administration.pk,
    )
    return administration


# The bedside gate


def test_a_recalled_lot_is_refused_to_the_nurse(ward, nurse, bedside, quality_reviewer):
    recall_lot(ward.lot, quality_reviewer, reason=REASON, password=PASSWORD)
    before = saved()
    with pytest.raises(Refused) as refused:
        record_administration(nurse, **bedside)
    assert f"was recalled ({REASON}): do not give it." in refused.value.message
    assert saved() == before


def test_a_lot_whose_donor_turned_ineligible_is_refused_at_the_bedside(
    ward, nurse, bedside, lab_technician, doctor
):
    donor = ward.lot.donor
    record_donor_test(
        donor,
        lab_technician,
        test="hbsag",
        reactive=True,
        specimen_date=donor.recovered_on,
        laboratory="Lab",
    )
    determine_donor(donor, doctor, decision="ineligible", reason="HBsAg reactive on look-back")
    with pytest.raises(Refused, match="INELIGIBLE DONOR — segregated"):
        record_administration(nurse, **bedside)
    assert not Administration.objects.exists()


# The recall action


def test_a_recall_needs_a_reason_the_reviewers_password_and_a_released_lot(
    ward, quality_reviewer, doctor, autologous_in_process
):
    before = saved()
    for kwargs in (
        {"reason": " ", "password": PASSWORD},
        {"reason": REASON, "password": "wrong"},
    ):
        with pytest.raises(Refused):
            recall_lot(ward.lot, quality_reviewer, **kwargs)
    with pytest.raises(Refused, match="only a released lot is recalled"):
        recall_lot(autologous_in_process, quality_reviewer, reason=REASON, password=PASSWORD)
    with pytest.raises(NotAllowed):
        recall_lot(ward.lot, doctor, reason=REASON, password=PASSWORD)
    assert saved() == before


def test_a_recalled_stock_lot_is_no_longer_allocated(
    site, lab_technician, doctor, quality_reviewer, ward
):
    donor = make_donor(site, lab_technician, code="S-1", determiner=doctor)
    lot = create_donor_lot(
        site, lab_technician, product=product("msc-uc-allo"), donor=donor, made_at=an_hour_ago()
    )
    pass_every_test(lot, lab_technician)
    release_lot(lot, quality_reviewer, password=PASSWORD)
    recall = recall_lot(lot, quality_reviewer, reason=REASON, password=PASSWORD)
    assert (recall.previous_status, recall.lot.status) == ("released", "recalled")
    with pytest.raises(Refused, match="only released lots are allocated"):
        allocate_lot(lot, ward.plan, lab_technician)
    assert ProductLot.objects.get(pk=lot.pk).plan is None


@pytest.fixture
def autologous_in_process(site, doctor, lab_technician, catalog):
    from celltrace.lab.actions import start_autologous_lot
    from testkit.journey import make_patient, make_plan

    plan = make_plan(make_patient(site), doctor, product="msc-bm-auto")
    return start_autologous_lot(
        plan, lab_technician, product=product("msc-bm-auto"), harvested_at=an_hour_ago()
    )


# Trace screens and API


def test_the_trace_lists_each_recipient_with_administrations_and_open_events(
    client_for, ward, given, quality_reviewer
):
    page = client_for(quality_reviewer).get(reverse("stays:lot_trace", args=[ward.lot.pk]))
    text = page.content.decode()
    assert ward.patient.full_name in text and "Fever" in text and "open" in text
    body = client_for(quality_reviewer).get(f"/api/stays/lots/{ward.lot.pk}/trace").json()
    (recipient,) = body["recipients"]
    assert recipient["patient_id"] == ward.patient.pk
    assert [a["administration_id"] for a in recipient["administrations"]] == [given.pk]
    assert recipient["open_events"] == 1


def test_a_patients_trace_names_every_lot_and_donor_they_received(client_for, ward, given, doctor):
    body = client_for(doctor).get(f"/api/stays/patients/{ward.patient.pk}/trace").json()
    assert [a["lot_code"] for a in body["administrations"]] == [ward.lot.code]
    assert body["donors"] == [ward.lot.donor.code]
    page = client_for(doctor).get(reverse("stays:patient_trace", args=[ward.patient.pk]))
    assert ward.lot.code in page.content.decode()


def test_quality_recalls_through_the_form_and_sees_whom_to_follow_up(
    client_for, ward, given, quality_reviewer
):
    url = reverse("stays:recall_lot", args=[ward.lot.pk])
    response = client_for(quality_reviewer).post(url, {"reason": REASON, "password": PASSWORD})
    assert response.status_code == 302
    page = client_for(quality_reviewer).get(response["Location"]).content.decode()
    assert "Recall follow-up" in page and ward.patient.full_name in page
    assert ProductLot.objects.get(pk=ward.lot.pk).status == "recalled"


def test_a_recall_is_signed_shown_on_the_trace_page_and_checked_later(
    client_for, ward, given, quality_reviewer
):
    from celltrace.lab.donor_models import LotRecall
    from celltrace.signatures.service import signatures_of, verify_signatures

    recall = recall_lot(ward.lot, quality_reviewer, reason=REASON, password=PASSWORD)
    (signature,) = signatures_of(recall)
    assert signature.meaning == "recall" and signature.signer == quality_reviewer
    page = client_for(quality_reviewer).get(reverse("stays:lot_trace", args=[ward.lot.pk]))
    text = page.content.decode()
    assert "Electronic signature" in text and "<strong>Recall</strong>" in text
    assert signature.printed_name in text and "matches the signed record" in text
    LotRecall.objects.filter(pk=recall.pk).update(reason="Nothing to see.")
    findings = [f for f in verify_signatures() if f.record == "lab.LotRecall"]
    assert [(f.record_id, f.changed) for f in findings] == [(recall.pk, ("recall.reason",))]


def test_a_refused_recall_form_saves_nothing(client_for, ward, quality_reviewer):
    before = saved()
    url = reverse("stays:recall_lot", args=[ward.lot.pk])
    response = client_for(quality_reviewer).post(url, {"reason": REASON, "password": "nope"})
    assert response.status_code == 200 and "Wrong password." in response.content.decode()
    assert saved() == before


def test_quality_recalls_through_the_api(client_for, ward, given, quality_reviewer):
    url = f"/api/stays/lots/{ward.lot.pk}/recall"
    client = client_for(quality_reviewer)
    before = saved()
    wrong = client.post(url, {"reason": REASON, "password": "x"}, content_type="application/json")
    assert wrong.status_code == 422 and saved() == before
    body = {"reason": REASON, "password": PASSWORD}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["recall"]["reason"] == REASON
    (signed,) = response.json()["recall"]["e_signatures"]
    assert (signed["meaning"], signed["printed_name"], signed["matches"]) == (
        "recall",
        "Quinn",
        True,
    )
    assert response.json()["recipients"][0]["patient_id"] == ward.patient.pk


def test_another_sites_lot_is_404_for_trace_and_recall(client_for, ward, other_site):
    stranger = User.objects.create_user(
        "qa2", password=PASSWORD, role=Role.QUALITY_REVIEWER, site=other_site
    )
    client = client_for(stranger)
    assert client.get(reverse("stays:lot_trace", args=[ward.lot.pk])).status_code == 404
    body = {"reason": REASON, "password": PASSWORD}
    url = f"/api/stays/lots/{ward.lot.pk}/recall"
    assert client.post(url, body, content_type="application/json").status_code == 404
    assert client.get(f"/api/stays/patients/{ward.patient.pk}/trace").status_code == 404
    assert ProductLot.objects.get(pk=ward.lot.pk).status == "released"


def test_the_trace_page_asks_a_fixed_number_of_queries(
    client_for, ward, given, quality_reviewer, django_assert_max_num_queries
):
    client = client_for(quality_reviewer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("stays:lot_trace", args=[ward.lot.pk]))
    assert response.status_code == 200
