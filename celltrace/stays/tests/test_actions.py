import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from celltrace.clinical import isbt128
from celltrace.followup.models import FollowUpItem
from celltrace.refusal import Refused
from celltrace.stays.actions import (
    admit_patient,
    discharge_patient,
    record_administration,
    report_adverse_event,
)
from celltrace.stays.models import Administration, AdverseEvent, Stay
from testkit import PASSWORD
from testkit.journey import (
    bed_and_doctor,
    make_administration,
    make_lot,
    make_patient,
    make_plan,
)


@pytest.fixture
def planned(catalog, site, doctor):
    patient = make_patient(site)
    return make_plan(patient, doctor, admission=timezone.localdate())


def test_a_nurse_admits_a_planned_patient_at_their_site(planned, nurse):
    place = bed_and_doctor(planned)
    stay = admit_patient(planned, nurse, admitted_at=timezone.now(), **place, weight_kg=70.0)
    assert stay.site == planned.patient.site and stay.is_open
    assert stay.bed == place["bed"] and stay.doctor == planned.created_by
    assert stay.weight_kg == 70.0
    assert stay.history.first().history_user == nurse


def test_a_plan_gets_only_one_stay(planned, nurse):
    admit_patient(
        planned, nurse, admitted_at=timezone.now(), **bed_and_doctor(planned), weight_kg=70.0
    )
    with pytest.raises(Refused, match="one stay per plan"):
        admit_patient(
            planned, nurse, admitted_at=timezone.now(), **bed_and_doctor(planned), weight_kg=70.0
        )
    assert Stay.objects.count() == 1


def test_admission_may_be_the_day_before_the_planned_date_but_not_earlier(
    catalog, site, doctor, nurse
):
    today = timezone.localdate()
    plan = make_plan(make_patient(site), doctor, admission=today + dt.timedelta(days=1))
    assert admit_patient(
        plan, nurse, admitted_at=timezone.now(), **bed_and_doctor(plan), weight_kg=70.0
    )
    early = make_plan(make_patient(site), doctor, admission=today + dt.timedelta(days=2))
    with pytest.raises(Refused) as refused:
        admit_patient(
            early, nurse, admitted_at=timezone.now(), **bed_and_doctor(early), weight_kg=70.0
        )
    assert "admitted_at" in refused.value.field_errors
    assert Stay.objects.count() == 1


def test_a_user_of_another_site_cannot_admit(planned, other_site_doctor):
    with pytest.raises(Refused, match="another site"):
        admit_patient(
            planned,
            other_site_doctor,
            admitted_at=timezone.now(),
            **bed_and_doctor(planned),
            weight_kg=70.0,
        )
    assert not Stay.objects.exists()


def test_a_nurse_records_a_correct_administration(ward, nurse, bedside):
    given = record_administration(nurse, **bedside)
    assert given.stay == ward.stay and given.lot == ward.lot
    assert given.planned_product == ward.plan.products.get()
    assert given.history.first().history_user == nurse


def test_the_nurse_scans_the_lots_isbt_128_barcode(ward, nurse, bedside):
    barcode = isbt128.Din(ward.lot.din).data_string()
    given = record_administration(nurse, **{**bedside, "lot_code": barcode})
    assert given.lot == ward.lot


def test_a_mistyped_din_at_the_bedside_gives_nothing(ward, nurse, bedside):
    check = isbt128.check_character(ward.lot.din)
    wrong = "0" if check != "0" else "1"
    refusal = _refusal(nurse, {**bedside, "lot_code": ward.lot.din + wrong})
    assert "does not fit" in refusal.message


def _refusal(nurse, fields):
    before = Administration.objects.count()
    with pytest.raises(Refused) as refused:
        record_administration(nurse, **fields)
    assert Administration.objects.count() == before
    return refused.value


def test_it_refuses_an_unreleased_lot(ward, nurse, bedside):
    ward.lot.status = "in_process"
    ward.lot.save()
    assert "is not released (status: in process)" in _refusal(nurse, bedside).message


def test_it_refuses_a_lot_blocked_by_a_positive_culture_after_release(ward, nurse, bedside):
    ward.lot.blocked_at = timezone.now()
    ward.lot.blocked_reason = "Sterility (fungal) failed after release."
    ward.lot.save()
    assert "is blocked: Sterility (fungal)" in _refusal(nurse, bedside).message


def test_it_refuses_an_expired_lot(ward, nurse, bedside):
    ward.lot.expires_at = bedside["given_at"] - dt.timedelta(minutes=1)
    ward.lot.save()
    assert f"Lot {ward.lot.code} expired on" in _refusal(nurse, bedside).message


def test_it_refuses_a_lot_made_for_another_patients_plan(
    ward, nurse, bedside, site, doctor, lab_technician
):
    other = make_plan(make_patient(site), doctor, admission=timezone.localdate())
    other_lot = make_lot(other, lab_technician)
    fields = {**bedside, "lot_code": other_lot.code, "given_at": timezone.now()}
    refusal = _refusal(nurse, fields)
    assert refusal.reasons == [f"Lot {other_lot.code} was made for another patient."]


def test_it_refuses_an_autologous_lot_harvested_from_another_patient(
    catalog, site, doctor, nurse, lab_technician, bedside, ward
):
    plan = make_plan(
        make_patient(site), doctor, product="msc-bm-auto", admission=timezone.localdate()
    )
    from testkit.journey import make_stay

    stay = make_stay(plan, nurse, admitted_at=timezone.now() - dt.timedelta(hours=1))
    lot = make_lot(plan, lab_technician)
    lot.source_patient = ward.patient
    lot.save()
    fields = {**bedside, "patient_code": stay.patient.code, "lot_code": lot.code}
    assert "harvested from another patient" in _refusal(nurse, fields).message


def test_it_refuses_a_dose_above_the_planned_dose(ward, nurse, bedside):
    refusal = _refusal(nurse, {**bedside, "dose_per_kg": 1.2e6})
    assert "above the planned dose" in refusal.message


def test_it_refuses_a_route_not_in_the_plan(ward, nurse, bedside):
    refusal = _refusal(nurse, {**bedside, "route": "intrathecal"})
    assert "Route intrathecal is not planned" in refusal.message


def test_it_refuses_a_patient_who_is_not_admitted(ward, nurse, bedside):
    ward.stay.discharged_at = timezone.now() - dt.timedelta(minutes=1)
    ward.stay.save()
    assert "is not admitted on your ward" in _refusal(nurse, bedside).message


def test_it_refuses_a_lot_already_given(ward, nurse, bedside):
    record_administration(nurse, **bedside)
    assert "has already been administered" in _refusal(nurse, bedside).message


def test_it_lists_every_reason_that_applies(ward, nurse, bedside):
    ward.lot.status = "rejected"
    ward.lot.expires_at = timezone.now() - dt.timedelta(days=1)
    ward.lot.save()
    refusal = _refusal(nurse, {**bedside, "dose_per_kg": 9e6})
    assert len(refusal.reasons) == 4  # not released, expired, above plan, above catalog limit


def test_implausible_vital_signs_are_refused_field_by_field(ward, nurse, bedside):
    refusal = _refusal(nurse, {**bedside, "temperature_c": 50, "diastolic_bp": 130})
    assert set(refusal.field_errors) == {"temperature_c", "diastolic_bp"}


def test_a_nurse_of_another_site_cannot_give_the_lot(ward, bedside, other_site):
    from celltrace.accounts.models import User

    far_nurse = User.objects.create_user("far.nurse", role="nurse", site=other_site)
    assert _refusal(far_nurse, bedside).reasons == [
        f"No patient has the wristband ID {ward.patient.code}.",
        f"No lot has the ID {ward.lot.code}.",
    ]


def _event(**changes):
    fields = {
        "term": "fever",
        "onset_at": timezone.now() - dt.timedelta(hours=1),
        "resolved_at": timezone.now() - dt.timedelta(minutes=10),
        "ctcae_grade": 1,
        "serious": False,
        "relatedness": "possible",
        "outcome": "recovered",
        "description": "38.2 C four hours after the infusion.",
    }
    fields.update(changes)
    return fields


def test_a_nurse_reports_an_adverse_event(ward, nurse):
    event = report_adverse_event(ward.stay, nurse, **_event())
    assert event.reported_by == nurse and event.ctcae_grade == 1


def test_a_grade_4_event_not_marked_serious_is_refused(ward, doctor):
    with pytest.raises(Refused) as refused:
        report_adverse_event(ward.stay, doctor, **_event(ctcae_grade=4))
    assert "serious" in refused.value.field_errors
    assert not AdverseEvent.objects.exists()


def test_an_event_before_admission_is_refused(ward, doctor):
    onset = ward.stay.admitted_at - dt.timedelta(hours=1)
    with pytest.raises(Refused):
        report_adverse_event(ward.stay, doctor, **_event(onset_at=onset))
    assert not AdverseEvent.objects.exists()


# The ward patient's planned dose is not given and the plan discharges in five days.
REASONS = {
    "missed_doses_reason": "The patient declined the dose.",
    "early_discharge_reason": "The patient asked to go home.",
}


def test_discharge_schedules_the_check_ups_and_only_the_home_care_the_plan_holds(ward, doctor):
    stay = discharge_patient(
        ward.stay, doctor, password=PASSWORD, discharged_at=timezone.now(), **REASONS
    )
    assert stay.discharged_by == doctor and not stay.is_open
    items = list(FollowUpItem.objects.filter(stay=stay))
    assert [i.kind for i in items] == ["checkup"] * 4
    assert not stay.home_doses.exists()  # the plan holds no home care
    # Nothing was given: the check-ups count from the discharge day.
    assert items[0].due_date == timezone.localdate() + dt.timedelta(days=91)


def test_check_ups_count_from_the_first_administration_once_per_time_point(ward, doctor, nurse):
    """Day 0 is the first administration (the outcome report's), not the discharge; a
    check-up the patient already has (an earlier stay's) is not scheduled twice."""
    given = make_administration(ward.stay, ward.lot, nurse)
    day_zero = timezone.localdate(given.given_at)
    FollowUpItem.objects.create(
        patient=ward.patient,
        stay=ward.stay,
        kind="checkup",
        title="Check-up 6 months after the first administration",
        due_date=day_zero + dt.timedelta(days=182),
    )
    later = timezone.now() + dt.timedelta(days=4)
    with time_machine.travel(later, tick=False):
        discharge_patient(ward.stay, doctor, password=PASSWORD, discharged_at=later, **REASONS)
    checkups = FollowUpItem.objects.filter(stay=ward.stay, kind="checkup")
    days = sorted((item.due_date - day_zero).days for item in checkups)
    assert days == [91, 182, 365, 730]


def test_a_stay_is_discharged_only_once(ward, doctor):
    discharge_patient(ward.stay, doctor, password=PASSWORD, discharged_at=timezone.now(), **REASONS)
    with pytest.raises(Refused, match="already discharged"):
        discharge_patient(
            ward.stay, doctor, password=PASSWORD, discharged_at=timezone.now(), **REASONS
        )
    assert FollowUpItem.objects.count() == 4  # the check-ups, once


def test_a_discharge_before_admission_is_refused_and_schedules_nothing(ward, doctor):
    with pytest.raises(Refused):
        discharge_patient(
            ward.stay,
            doctor,
            password=PASSWORD,
            discharged_at=ward.stay.admitted_at - dt.timedelta(1),
        )
    assert not FollowUpItem.objects.exists()
    ward.stay.refresh_from_db()
    assert ward.stay.is_open
