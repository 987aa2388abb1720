import datetime as dt

import pytest
from django.utils import timezone

from celltrace.followup.models import FollowUpItem
from celltrace.signatures.models import Signature
from celltrace.signatures.service import verify_signatures
from celltrace.stays.models import Administration, AdverseEvent, Stay
from testkit import PASSWORD
from testkit.journey import make_bed, make_lot, make_patient, make_plan, make_stay

ADMINISTER = "/stays/administer/"


def _form(bedside, **changes):
    data = {**bedside, **changes}
    data["given_at"] = timezone.localtime(data["given_at"]).strftime("%Y-%m-%dT%H:%M")
    return data


def _post_refused(client, data):
    before = Administration.objects.count()
    response = client.post(ADMINISTER, data)
    assert response.status_code == 200
    assert Administration.objects.count() == before
    assert b'class="refusal"' in response.content
    return response.content.decode()


def test_the_administration_screen_has_scan_fields_with_autofocus(client_for, nurse, ward):
    page = client_for(nurse).get(ADMINISTER).content.decode()
    assert 'name="patient_code"' in page and "autofocus" in page and 'name="lot_code"' in page


def test_a_nurse_gives_a_product_through_the_form(client_for, nurse, ward, bedside):
    response = client_for(nurse).post(ADMINISTER, _form(bedside))
    assert response.status_code == 302 and response["Location"] == f"/stays/{ward.stay.pk}/"
    assert Administration.objects.get().lot == ward.lot


@pytest.mark.parametrize("role_user", ["doctor", "coordinator", "manager", "lab_technician"])
def test_only_a_nurse_may_use_the_administration_screen(client_for, role_user, request, ward):
    user = request.getfixturevalue(role_user)
    assert client_for(user).get(ADMINISTER).status_code == 403
    assert client_for(user).post(ADMINISTER, {}).status_code == 403


def test_the_form_refuses_an_unreleased_lot(client_for, nurse, ward, bedside):
    ward.lot.status = "in_process"
    ward.lot.save()
    page = _post_refused(client_for(nurse), _form(bedside))
    assert f"Lot {ward.lot.code} is not released (status: in process)." in page


def test_the_form_refuses_an_expired_lot(client_for, nurse, ward, bedside):
    ward.lot.expires_at = timezone.now() - dt.timedelta(hours=1)
    ward.lot.save()
    page = _post_refused(client_for(nurse), _form(bedside))
    assert f"Lot {ward.lot.code} expired on" in page


def test_the_form_refuses_a_lot_for_another_patients_plan(
    client_for, nurse, ward, bedside, site, doctor, lab_technician
):
    other_lot = make_lot(make_plan(make_patient(site), doctor), lab_technician)
    page = _post_refused(client_for(nurse), _form(bedside, lot_code=other_lot.code))
    assert "was made for another patient" in page


def test_the_form_refuses_an_autologous_lot_from_another_patient(
    client_for, nurse, ward, bedside, site, doctor, lab_technician
):
    plan = make_plan(
        make_patient(site), doctor, product="msc-bm-auto", admission=ward.plan.admission_date
    )
    stay = make_stay(plan, nurse, admitted_at=timezone.now() - dt.timedelta(hours=2))
    lot = make_lot(plan, lab_technician)
    lot.source_patient = ward.patient
    lot.save()
    data = _form(bedside, patient_code=stay.patient.code, lot_code=lot.code)
    assert "harvested from another patient" in _post_refused(client_for(nurse), data)


def test_the_form_gives_the_plans_dose_and_route_whatever_is_posted(
    client_for, nurse, ward, bedside
):
    response = client_for(nurse).post(ADMINISTER, _form(bedside, dose_per_kg=2e6, route="local"))
    assert response.status_code == 302
    given = Administration.objects.get()
    assert (given.dose_per_kg, given.route) == (1.0e6, "intravenous")


def test_the_form_refuses_a_patient_not_admitted(client_for, nurse, ward, bedside, site):
    stranger = make_patient(site)
    page = _post_refused(client_for(nurse), _form(bedside, patient_code=stranger.code))
    assert f"Patient {stranger.code} is not admitted on your ward." in page


def test_the_form_refuses_a_lot_already_given(client_for, nurse, ward, bedside):
    client = client_for(nurse)
    client.post(ADMINISTER, _form(bedside))
    assert "has already been administered" in _post_refused(client, _form(bedside))


def test_the_form_lists_every_reason_not_only_the_first(client_for, nurse, ward, bedside):
    ward.lot.status = "rejected"
    ward.lot.expires_at = timezone.now() - dt.timedelta(hours=1)
    ward.lot.viable_content = 1.0e6
    ward.lot.save()
    page = _post_refused(client_for(nurse), _form(bedside))
    assert page.count("<li>") >= 3 and "not released" in page and "expired" in page
    assert "needs 7.0 × 10⁷ viable cells" in page


def test_implausible_vitals_are_shown_next_to_their_field(client_for, nurse, ward, bedside):
    page = _post_refused(client_for(nurse), _form(bedside, spo2=40))
    assert "SpO2 must be between 50 and 100" in page


def test_the_ward_lists_open_stays_of_the_site_only(
    client_for, nurse, ward, other_site, doctor, django_assert_max_num_queries
):
    far = make_plan(make_patient(other_site), doctor, admission=timezone.localdate())
    make_stay(far, doctor)
    for _ in range(3):
        plan = make_plan(make_patient(ward.patient.site), doctor, admission=timezone.localdate())
        make_stay(plan, nurse)
    client = client_for(nurse)
    with django_assert_max_num_queries(8):
        page = client.get("/stays/").content.decode()
    assert ward.patient.full_name in page and far.patient.full_name not in page


def test_the_stay_page_shows_what_was_given_and_the_vitals(client_for, nurse, ward, bedside):
    client = client_for(nurse)
    client.post(ADMINISTER, _form(bedside))
    page = client.get(f"/stays/{ward.stay.pk}/").content.decode()
    assert ward.lot.code in page and "120/80" in page


def test_a_stay_of_another_site_is_not_found(client_for, other_site_doctor, ward):
    assert client_for(other_site_doctor).get(f"/stays/{ward.stay.pk}/").status_code == 404


def test_a_nurse_admits_an_expected_patient(client_for, nurse, site, doctor, catalog):
    plan = make_plan(make_patient(site), doctor, admission=timezone.localdate())
    client = client_for(nurse)
    assert plan.patient.full_name in client.get("/stays/").content.decode()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bed = make_bed(site)
    data = {"admitted_at": now, "bed": bed.pk, "doctor": doctor.pk, "weight_kg": "68.5"}
    response = client.post(f"/stays/admit/{plan.pk}/", data)
    assert response.status_code == 302
    stay = Stay.objects.get()
    assert stay.bed == bed and stay.doctor == doctor and stay.weight_kg == 68.5


def test_an_admission_without_a_plausible_weight_is_refused_on_the_form(
    client_for, nurse, site, doctor, catalog
):
    plan = make_plan(make_patient(site), doctor, admission=timezone.localdate())
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {"admitted_at": now, "bed": make_bed(site).pk, "doctor": doctor.pk, "weight_kg": "7"}
    page = client_for(nurse).post(f"/stays/admit/{plan.pk}/", data).content.decode()
    assert "The weight must be between 20 and 250 kg." in page and not Stay.objects.exists()


def test_an_early_admission_is_refused_on_the_form(client_for, nurse, site, doctor, catalog):
    plan = make_plan(make_patient(site), doctor)  # admission in two weeks
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {"admitted_at": now, "bed": make_bed(site).pk, "doctor": doctor.pk, "weight_kg": "70"}
    response = client_for(nurse).post(f"/stays/admit/{plan.pk}/", data)
    assert b'class="refusal"' in response.content and not Stay.objects.exists()


def test_a_doctor_reports_an_event_and_a_grade_4_must_be_serious(client_for, doctor, ward):
    client = client_for(doctor)
    url = f"/stays/{ward.stay.pk}/adverse-events/new/"
    data = {
        "term": "fever",
        "onset_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "ctcae_grade": "4",
        "serious": "no",
        "relatedness": "possible",
        "outcome": "recovering",
    }
    response = client.post(url, data)
    assert b"must be reported as serious" in response.content and not AdverseEvent.objects.exists()
    assert client.post(url, {**data, "serious": "yes"}).status_code == 302
    assert AdverseEvent.objects.get().serious


def test_a_doctor_discharges_and_follow_up_is_scheduled(client_for, doctor, nurse, ward):
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    url = f"/stays/{ward.stay.pk}/discharge/"
    data = {
        "discharged_at": now,
        "missed_doses_reason": "The patient declined the dose.",
        "early_discharge_reason": "The patient asked to go home.",
        "password": PASSWORD,
    }
    assert client_for(nurse).post(url, data).status_code == 403
    wrong = client_for(doctor).post(url, {**data, "password": "guess"})
    assert wrong.status_code == 200 and "Wrong password." in wrong.content.decode()
    ward.stay.refresh_from_db()
    assert ward.stay.is_open and not FollowUpItem.objects.exists()
    assert not Signature.objects.filter(meaning="discharge").exists()
    assert client_for(doctor).post(url, data).status_code == 302
    assert FollowUpItem.objects.filter(stay=ward.stay).count() == 4  # check-ups only
    # The stay page shows the discharge's signature: name, meaning, time (21 CFR 11.50).
    page = client_for(nurse).get(f"/stays/{ward.stay.pk}/").content.decode()
    assert "Electronic signature" in page and "Dan Doctor" in page and "Discharge" in page
    assert "matches the signed record" in page
    (signature,) = Signature.objects.filter(meaning="discharge")
    assert signature.record == ward.stay
    assert verify_signatures() == []
    Stay.objects.filter(pk=ward.stay.pk).update(early_discharge_reason="Rewritten later.")
    (finding,) = verify_signatures()
    assert (finding.record, finding.changed) == ("stays.Stay", ("stay.early_discharge_reason",))
    page = client_for(nurse).get(f"/stays/{ward.stay.pk}/").content.decode()
    assert "changed after signing" in page


def test_the_nurse_is_told_a_lot_was_released_pending_sterility(client_for, nurse, ward, bedside):
    ward.lot.sterility_pending = True
    ward.lot.save()
    scan = {"patient_code": bedside["patient_code"], "lot_code": bedside["lot_code"]}
    page = client_for(nurse).post(ADMINISTER, scan).content.decode()
    assert "released pending sterility" in page
    response = client_for(nurse).post(ADMINISTER, _form(bedside))
    assert response.status_code == 302


def test_the_form_refuses_a_lot_blocked_after_release(client_for, nurse, ward, bedside):
    ward.lot.blocked_at = timezone.now()
    ward.lot.blocked_reason = "Sterility (bacterial) failed after release."
    ward.lot.save()
    page = _post_refused(client_for(nurse), _form(bedside))
    assert "is blocked: Sterility (bacterial) failed after release." in page
