"""Adverse events that tell the truth: coded, linked to the lot, followed to the end, final
once resolved; a serious related event holds its lot (and its siblings) until reviewed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from celltrace.accounts.models import Role, Site, User
from celltrace.plans.models import PlannedProduct
from celltrace.refusal import Refused
from celltrace.stays.access import holds_for_user
from celltrace.stays.actions import (
    AdministrationRefused,
    clear_lot_hold,
    preview_administration,
    record_administration,
    report_adverse_event,
    update_adverse_event,
)
from celltrace.stays.models import AdverseEvent, LotHold
from celltrace.stays.tests.conftest import ward_patient
from testkit.journey import make_administration, make_lot


def _event(**changes):
    fields = {
        "term": "fever",
        "onset_at": timezone.now() - dt.timedelta(minutes=3),
        "ctcae_grade": 1,
        "serious": False,
        "relatedness": "unlikely",
        "outcome": "recovering",
        "description": "38.2 C after the infusion.",
    }
    return fields | changes


@pytest.fixture
def given(ward, nurse, bedside):
    """The ward patient's lot, given five minutes ago."""
    return record_administration(nurse, **bedside)


def test_an_event_is_reported_with_its_ctcae_term_and_meddra_code(ward, nurse):
    event = report_adverse_event(ward.stay, nurse, **_event())
    assert event.term.term == "Fever" and event.term.meddra_code == "10016558"
    assert event.label == "Fever" and event.resolved_at is None


def test_an_unknown_term_and_an_unspecified_other_are_refused(ward, nurse):
    with pytest.raises(Refused) as unknown:
        report_adverse_event(ward.stay, nurse, **_event(term="feeling off"))
    assert "term" in unknown.value.field_errors
    with pytest.raises(Refused) as other:
        report_adverse_event(ward.stay, nurse, **_event(term="other"))
    assert "term_detail" in other.value.field_errors
    assert not AdverseEvent.objects.exists()
    event = report_adverse_event(ward.stay, nurse, **_event(term="other", term_detail="Hiccups"))
    assert event.label == "Hiccups"


def test_a_related_event_names_the_administration_and_so_the_lot(ward, nurse, given):
    with pytest.raises(Refused) as refused:
        report_adverse_event(ward.stay, nurse, **_event(relatedness="possible"))
    assert "administration_id" in refused.value.field_errors
    event = report_adverse_event(
        ward.stay, nurse, **_event(relatedness="possible", administration_id=given.pk)
    )
    assert event.administration == given and event.lot == ward.lot


def test_an_administration_of_another_stay_is_refused(
    ward, given, site, doctor, nurse, lab_technician, quality_reviewer
):
    other = ward_patient(site, doctor, nurse, lab_technician, quality_reviewer)
    with pytest.raises(Refused) as refused:
        report_adverse_event(
            other.stay, nurse, **_event(relatedness="probable", administration_id=given.pk)
        )
    assert "administration_id" in refused.value.field_errors
    assert not AdverseEvent.objects.exists()


@pytest.mark.parametrize(
    ("outcome", "resolved_minutes_from_now", "field"),
    [
        ("recovered", None, "resolved_at"),  # ended, but when?
        ("recovering", 0, "outcome"),  # resolved, yet still recovering
        ("recovered", -60, "resolved_at"),  # before the onset
        ("recovered", 60, "resolved_at"),  # in the future
    ],
)
def test_outcome_and_resolution_must_agree(ward, nurse, outcome, resolved_minutes_from_now, field):
    resolved_at = None
    if resolved_minutes_from_now is not None:
        resolved_at = timezone.now() + dt.timedelta(minutes=resolved_minutes_from_now)
    with pytest.raises(Refused) as refused:
        report_adverse_event(ward.stay, nurse, **_event(outcome=outcome, resolved_at=resolved_at))
    assert field in refused.value.field_errors
    assert not AdverseEvent.objects.exists()


def _follow(event, user, **changes):
    fields = {
        "ctcae_grade": event.ctcae_grade,
        "serious": event.serious,
        "relatedness": event.relatedness,
        "outcome": event.outcome,
        "description": event.description,
        "resolved_at": event.resolved_at,
    }
    return update_adverse_event(event, user, **(fields | changes))


def test_an_event_is_followed_until_resolved_then_final(ward, nurse, doctor):
    event = report_adverse_event(ward.stay, nurse, **_event())
    event = _follow(event, doctor, ctcae_grade=2, description="Paracetamol given.")
    event = _follow(event, nurse, outcome="recovered", resolved_at=timezone.now())
    assert event.ctcae_grade == 2 and event.resolved_at is not None
    assert [h.ctcae_grade for h in event.history.order_by("history_id")] == [1, 2, 2]
    with pytest.raises(Refused, match="Resolved events are final; record a new event."):
        _follow(event, doctor, ctcae_grade=3)
    event.refresh_from_db()
    assert event.ctcae_grade == 2


def _serious_related(ward, nurse, given):
    return report_adverse_event(
        ward.stay,
        nurse,
        **_event(
            term="anaphylaxis",
            ctcae_grade=3,
            serious=True,
            relatedness="probable",
            administration_id=given.pk,
        ),
    )


def test_a_serious_related_event_holds_the_lot_and_its_siblings_until_a_doctor_clears_it(
    ward, given, site, doctor, nurse, lab_technician, quality_reviewer, client_for
):
    event = _serious_related(ward, nurse, given)
    hold = LotHold.objects.get()
    assert hold.lot == ward.lot and hold.event == event and hold.is_open
    # Another patient's lot of the same product from the same donor waits at the bedside.
    sibling = ward_patient(site, doctor, nurse, lab_technician, quality_reviewer)
    bedside = {
        "patient_code": sibling.patient.code,
        "lot_code": sibling.lot.code,
        "dose_per_kg": 1.0e6,
        "route": "intravenous",
        "given_at": timezone.now() - dt.timedelta(minutes=1),
        "temperature_c": 36.8,
        "heart_rate": 72,
        "systolic_bp": 120,
        "diastolic_bp": 80,
        "spo2": 98,
    }
    with pytest.raises(AdministrationRefused) as refused:
        record_administration(nurse, **bedside)
    assert any(
        f"with lot {ward.lot.code}" in r and "a doctor there must review and clear it" in r
        for r in refused.value.reasons
    )
    page = client_for(doctor).get(f"/stays/{ward.stay.pk}/").content.decode()
    assert "Lots on hold" in page and "Review and clear" in page
    lot_page = client_for(lab_technician).get(ward.lot.get_absolute_url()).content.decode()
    assert "Holds after serious adverse events" in lot_page
    # Only a doctor clears it, and only in writing.
    with pytest.raises(PermissionDenied):
        clear_lot_hold(hold, nurse, review_note="Looks fine.")
    with pytest.raises(Refused) as unwritten:
        clear_lot_hold(hold, doctor, review_note="  ")
    assert "review_note" in unwritten.value.field_errors
    response = client_for(doctor).post(
        f"/stays/lot-holds/{hold.pk}/clear/",
        {"review_note": "Anaphylaxis explained by a latex allergy; lot sterile on re-test."},
    )
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.cleared_by == doctor and not hold.is_open
    assert record_administration(nurse, **bedside).lot == sibling.lot


def test_update_and_clear_through_the_api(ward, nurse, doctor, given, client_for):
    event = _serious_related(ward, nurse, given)
    url = f"/api/stays/adverse-events/{event.pk}"
    body = {
        "ctcae_grade": 3,
        "serious": True,
        "relatedness": "probable",
        "outcome": "recovered",
        "resolved_at": timezone.now().isoformat(),
    }
    response = client_for(nurse).post(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["lot_code"] == ward.lot.code
    again = client_for(nurse).post(url, body, content_type="application/json")
    assert again.status_code == 422 and again.json()["code"] == "event_resolved"
    hold = LotHold.objects.get()
    clear = f"/api/stays/lot-holds/{hold.pk}/clear"
    note = {"review_note": "Reviewed with quality: cleared."}
    assert client_for(nurse).post(clear, note, content_type="application/json").status_code == 403
    cleared = client_for(doctor).post(clear, note, content_type="application/json")
    assert cleared.status_code == 200 and cleared.json()["cleared_by_id"] == doctor.pk


def test_report_and_update_through_the_forms(ward, nurse, given, client_for):
    client = client_for(nurse)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {
        "term": "headache",
        "onset_at": now,
        "ctcae_grade": "1",
        "serious": "no",
        "relatedness": "possible",
        "outcome": "recovering",
    }
    refused = client.post(f"/stays/{ward.stay.pk}/adverse-events/new/", data)
    assert b"name the administration" in refused.content and not AdverseEvent.objects.exists()
    data["administration_id"] = str(given.pk)
    assert client.post(f"/stays/{ward.stay.pk}/adverse-events/new/", data).status_code == 302
    event = AdverseEvent.objects.get()
    assert event.lot == ward.lot
    update = {**data, "outcome": "recovered", "resolved_at": now}
    del update["term"], update["onset_at"]
    assert client.post(f"/stays/adverse-events/{event.pk}/", update).status_code == 302
    event.refresh_from_db()
    assert event.outcome == "recovered" and event.resolved_at is not None


def test_the_rates_page_shows_rates_per_term_with_an_interval(
    ward, nurse, doctor, manager, given, client_for
):
    report_adverse_event(
        ward.stay, nurse, **_event(relatedness="possible", administration_id=given.pk)
    )
    assert client_for(nurse).get("/stays/adverse-events/rates/").status_code == 403
    assert client_for(manager).get("/stays/adverse-events/rates/").status_code == 200
    page = client_for(doctor).get("/stays/adverse-events/rates/").content.decode()
    assert "Fever: 1 of 1 administrations, 100.0% (95% CI 20.7-100.0%)" in page
    assert ward.lot.code in page


def test_the_rates_api_gives_the_same_numbers_for_the_site_only(
    ward, nurse, doctor, given, client_for, other_site_doctor
):
    report_adverse_event(
        ward.stay, nurse, **_event(relatedness="possible", administration_id=given.pk)
    )
    assert client_for(nurse).get("/api/stays/adverse-events/rates").status_code == 403
    body = client_for(doctor).get("/api/stays/adverse-events/rates").json()
    assert body["administrations"] == 1
    (fever,) = body["by_term"]
    assert (fever["label"], fever["events"], fever["n"]) == ("Fever", 1, 1)
    assert round(fever["low"], 3) == 0.207 and fever["high"] == 1.0
    assert body["lots"][0]["lot_code"] == ward.lot.code
    elsewhere = client_for(other_site_doctor).get("/api/stays/adverse-events/rates").json()
    assert elsewhere["administrations"] == 0 and elsewhere["overall"]["rate"] is None


def _second_administration(ward, nurse, lab_technician, quality_reviewer):
    """Another lot given to the same patient, for a second planned dose of the plan."""
    planned = ward.plan.products.first()
    second = PlannedProduct.objects.create(
        plan=ward.plan,
        product=planned.product,
        route=planned.route,
        dose_per_kg=planned.dose_per_kg,
        day_of_stay=planned.day_of_stay,
    )
    lot = make_lot(ward.plan, lab_technician, reviewer=quality_reviewer)
    given_at = timezone.now() - dt.timedelta(minutes=4)
    return make_administration(ward.stay, lot, nurse, given_at=given_at, planned=second)


def _update(**changes):
    return {
        "ctcae_grade": 3,
        "serious": True,
        "relatedness": "probable",
        "outcome": "not_recovered",
        "description": "",
        "resolved_at": None,
    } | changes


def test_relinking_a_serious_event_to_another_lot_holds_that_lot_too(
    ward, given, nurse, doctor, lab_technician, quality_reviewer, client_for
):
    """The first lot stays held (it was suspected); the newly suspected lot is held as well."""
    event = _serious_related(ward, nurse, given)
    other = _second_administration(ward, nurse, lab_technician, quality_reviewer)
    response = client_for(doctor).post(
        f"/api/stays/adverse-events/{event.pk}",
        _update(administration_id=other.pk),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["lot_code"] == other.lot.code
    open_holds = LotHold.objects.filter(event=event, cleared_at__isnull=True)
    assert set(open_holds.values_list("lot__code", flat=True)) == {ward.lot.code, other.lot.code}
    # Linking back to the first lot, still held, raises nothing new.
    update_adverse_event(event, doctor, **_update(administration_id=given.pk))
    assert LotHold.objects.filter(event=event).count() == 2


def test_an_event_that_worsens_after_its_hold_was_cleared_holds_the_lot_again(
    ward, given, nurse, doctor
):
    event = _serious_related(ward, nurse, given)  # grade 3
    clear_lot_hold(LotHold.objects.get(), doctor, review_note="Reviewed: lot sterile.")
    update_adverse_event(event, doctor, **_update(ctcae_grade=3, description="Same."))
    assert not LotHold.objects.filter(cleared_at__isnull=True).exists()  # nothing new
    update_adverse_event(event, doctor, **_update(ctcae_grade=4))
    reopened = LotHold.objects.get(cleared_at__isnull=True)
    assert reopened.lot == ward.lot and reopened.ctcae_grade == 4
    # A nurse at the bedside is stopped again by the new hold.
    preview = preview_administration(nurse, patient_code=ward.patient.code, lot_code=ward.lot.code)
    assert any(ward.lot.code in reason for reason in preview.reasons)


def test_a_hold_names_its_site_to_the_nurse_and_shows_to_the_doctors_where_a_sibling_was_made(
    ward, given, nurse, doctor, other_site, other_site_doctor, client_for
):
    """A sibling lot made at Nicosia is stopped by a Lisbon event: the Nicosia nurse is told
    who clears it, Nicosia's doctors see the hold but only Lisbon's doctors may clear it."""
    event = _serious_related(ward, nurse, given)
    hold = LotHold.objects.get(event=event)
    staff = {
        role: User.objects.create_user(username=f"nicosia.{role}", role=role, site=other_site)
        for role in (Role.NURSE, Role.LAB_TECHNICIAN, Role.QUALITY_REVIEWER)
    }
    there = ward_patient(
        other_site,
        other_site_doctor,
        staff[Role.NURSE],
        staff[Role.LAB_TECHNICIAN],
        staff[Role.QUALITY_REVIEWER],
    )
    assert there.lot.site == other_site and there.lot.donor_code == ward.lot.donor_code
    preview = preview_administration(
        staff[Role.NURSE], patient_code=there.patient.code, lot_code=there.lot.code
    )
    assert (
        f"Lot {there.lot.code} is on hold after a serious adverse event at Lisbon clinic with "
        f"lot {ward.lot.code} from the same donor or harvest: a doctor there must review and "
        "clear it." in preview.reasons
    )
    assert list(holds_for_user(other_site_doctor)) == [hold]
    page = client_for(other_site_doctor).get("/dashboard/").content.decode()
    assert ward.lot.code in page and "A doctor at Lisbon clinic reviews it" in page
    assert ward.patient.full_name not in page  # another site's patient stays private
    nicosia = client_for(other_site_doctor)
    note = {"review_note": "Looks fine from here."}
    assert nicosia.post(f"/stays/lot-holds/{hold.pk}/clear/", note).status_code == 404
    api = f"/api/stays/lot-holds/{hold.pk}/clear"
    assert nicosia.post(api, note, content_type="application/json").status_code == 404
    hold.refresh_from_db()
    assert hold.is_open
    # A site that made no lot of this source does not see the hold.
    elsewhere = Site.objects.create(code="porto", name="Porto clinic", country="Portugal")
    outsider = User.objects.create_user(username="porto.doctor", role=Role.DOCTOR, site=elsewhere)
    assert not holds_for_user(outsider).exists()
