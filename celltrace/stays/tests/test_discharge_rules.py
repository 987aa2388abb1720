"""Discharge rules: an open event, a dose not given and an early discharge each need a reason."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.followup.models import FollowUpItem
from celltrace.refusal import Refused
from celltrace.signatures.models import Signature
from celltrace.stays.actions import discharge_patient, report_adverse_event
from testkit import PASSWORD

REASONS = {
    "open_events_reason": "Headache easing; the home-care nurse checks it on day 2.",
    "missed_doses_reason": "The patient declined the intravenous dose.",
    "early_discharge_reason": "Family emergency at home.",
}


@pytest.fixture
def quick_exit(ward, nurse):
    """Fourteen minutes after admission: an event still recovering, the dose not given."""
    report_adverse_event(
        ward.stay,
        nurse,
        term="headache",
        onset_at=ward.stay.admitted_at + dt.timedelta(minutes=5),
        ctcae_grade=1,
        serious=False,
        relatedness="unlikely",
        outcome="recovering",
    )
    return ward.stay.admitted_at + dt.timedelta(minutes=14)


def test_a_discharge_with_loose_ends_is_refused_with_every_reason(ward, doctor, quick_exit):
    with pytest.raises(Refused) as refused:
        discharge_patient(ward.stay, doctor, password=PASSWORD, discharged_at=quick_exit)
    assert set(refused.value.field_errors) == set(REASONS)
    message = refused.value.message
    assert "Headache (grade 1, recovering)" in message
    assert "Planned doses not given" in message and f"{ward.plan.discharge_date}" in message
    ward.stay.refresh_from_db()
    assert ward.stay.is_open and not FollowUpItem.objects.exists()


def test_given_the_reasons_the_discharge_goes_ahead_and_keeps_them(
    ward, doctor, quick_exit, client_for
):
    stay = discharge_patient(
        ward.stay, doctor, password=PASSWORD, discharged_at=quick_exit, **REASONS
    )
    stay.refresh_from_db()
    assert not stay.is_open
    assert {field: getattr(stay, field) for field in REASONS} == REASONS
    page = client_for(doctor).get(f"/stays/{stay.pk}/").content.decode()
    assert all(reason in page for reason in REASONS.values())
    (carried,) = stay.follow_up.filter(title__startswith="Adverse event open at discharge")
    assert "follow until resolved" in carried.title and carried.kind == "home_care"
    assert carried.due_date == timezone.localdate(quick_exit) + dt.timedelta(days=3)


def test_the_form_lists_every_reason_and_saves_nothing(ward, doctor, quick_exit, client_for):
    at = timezone.localtime(quick_exit).strftime("%Y-%m-%dT%H:%M")
    client = client_for(doctor)
    refused = client.post(f"/stays/{ward.stay.pk}/discharge/", {"discharged_at": at})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Not discharged" in page
    assert "Adverse events still open" in page and "leaves early" in page
    ward.stay.refresh_from_db()
    assert ward.stay.is_open
    done = client.post(
        f"/stays/{ward.stay.pk}/discharge/",
        {"discharged_at": at, "password": PASSWORD, **REASONS},
    )
    assert done.status_code == 302


def test_the_api_refuses_then_discharges_with_the_reasons(ward, doctor, quick_exit, client_for):
    url = f"/api/stays/{ward.stay.pk}/discharge"
    body = {"discharged_at": quick_exit.isoformat()}
    client = client_for(doctor)
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 422 and set(refused.json()["errors"]) == set(REASONS)
    wrong = client.post(url, body | REASONS | {"password": "x"}, content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["errors"] == {"password": "Wrong password."}
    ward.stay.refresh_from_db()
    assert ward.stay.is_open and not Signature.objects.filter(meaning="discharge").exists()
    body["password"] = PASSWORD
    done = client.post(url, body | REASONS, content_type="application/json")
    assert (
        done.status_code == 200
        and done.json()["open_events_reason"] == REASONS["open_events_reason"]
    )
    (signed,) = done.json()["e_signatures"]
    assert (signed["meaning"], signed["printed_name"], signed["matches"]) == (
        "discharge",
        "Dan Doctor",
        True,
    )
    assert signed["record_hash"] == Signature.objects.get(meaning="discharge").record_hash
