import datetime as dt
from dataclasses import replace

import pytest

from celltrace.clinical.administration import (
    MAX_BACKDATING,
    AdministrationRequest,
    HeldBy,
    LotFacts,
    PatientFacts,
    PlannedDose,
    VitalSigns,
    administration_refusals,
    adverse_event_problems,
    lot_notices,
    matching_planned_dose,
    off_planned_time,
    vital_sign_problems,
)
from celltrace.clinical.dosing import DayDose, DoseLimit

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
# Admitted yesterday on the plan's admission date: today is day 2 of the stay.
PATIENT = PatientFacts(
    patient_id=7,
    code="PT-7",
    open_stay_plan_id=70,
    admitted_at=NOW - dt.timedelta(days=1),
    first_day=NOW.date() - dt.timedelta(days=1),
    weight_kg=70.0,
)


def planned_dose(pk=1, dose=1e6, maximum=2e6, *, given=False, day=2, **changes):
    """A planned dose of msc-uc-allo by infusion; the catalog's day and course ceilings
    are the single maximum and three times it, as in the starting catalog."""
    limit = (
        DoseLimit("msc-uc-allo", "intravenous", maximum, maximum, 3 * maximum)
        if maximum is not None
        else None
    )
    fields = dict(limit=limit, already_given=given, day_of_stay=day)
    fields.update(changes)
    return PlannedDose(pk, "msc-uc-allo", "intravenous", dose, **fields)


PLANNED = [planned_dose()]


def lot(**changes):
    fields = dict(
        code="LOT-1",
        status="released",
        status_label="Released",
        expires_at=NOW + dt.timedelta(days=2),
        plan_id=70,
        product_code="msc-uc-allo",
        product_name="Donor umbilical cord MSCs",
        autologous=False,
        source_patient_id=None,
        already_administered=False,
        released_at=NOW - dt.timedelta(days=1),
        content=1e10,
    )
    fields.update(changes)
    return LotFacts(**fields)


def request(**changes):
    fields = dict(
        patient_code="PT-7",
        lot_code="LOT-1",
        route="intravenous",
        dose_per_kg=1e6,
        given_at=NOW,
        now=NOW,
        given_on=NOW.date(),
    )
    fields.update(changes)
    return AdministrationRequest(**fields)


def refusals(patient=PATIENT, the_lot=None, planned=PLANNED, req=None, given=()):
    return administration_refusals(
        patient=patient,
        lot=the_lot or lot(),
        planned=planned,
        request=req or request(),
        given=given,
    )


def test_a_released_lot_made_for_the_patients_plan_at_the_planned_dose_may_be_given():
    assert refusals() == []


def test_it_refuses_a_lot_that_is_not_released():
    assert refusals(the_lot=lot(status="in_process", status_label="In process")) == [
        "Lot LOT-1 is not released (status: in process)."
    ]


def test_it_refuses_a_lot_that_expired_before_the_time_given():
    reasons = refusals(the_lot=lot(expires_at=NOW - dt.timedelta(minutes=1)))
    assert reasons == ["Lot LOT-1 expired on 2026-03-10 11:59 UTC."]


def test_a_lot_expiring_exactly_when_given_counts_as_expired():
    assert refusals(the_lot=lot(expires_at=NOW))[0].startswith("Lot LOT-1 expired on")


def test_it_refuses_a_lot_made_for_another_patients_plan():
    assert refusals(the_lot=lot(plan_id=71)) == ["Lot LOT-1 was made for another patient."]


def test_a_lot_on_the_chain_of_identity_of_the_patients_plan_may_be_given():
    patient = replace(PATIENT, plan_chain="CHX999126000001")
    assert refusals(patient, lot(chain="CHX999126000001")) == []


def test_it_refuses_a_lot_of_another_chain_of_identity_even_for_the_same_plan():
    patient = replace(PATIENT, plan_chain="CHX999126000001")
    assert refusals(patient, lot(chain="CHX999126000002")) == [
        "Lot LOT-1 belongs to Chain of Identity CHX999126000002, not to the patient's plan's "
        "(CHX999126000001)."
    ]
    assert "plan's (none)" in refusals(PATIENT, lot(chain="CHX999126000002"))[0]


def test_a_lot_without_a_chain_is_judged_by_plan_and_patient_as_before():
    assert refusals(replace(PATIENT, plan_chain="CHX999126000001"), lot()) == []


def test_it_refuses_a_lot_split_into_divisions():
    assert refusals(the_lot=lot(divided=True)) == [
        "Lot LOT-1 was split into divisions: scan the part to give."
    ]


def test_it_refuses_an_autologous_lot_harvested_from_someone_else():
    reasons = refusals(the_lot=lot(autologous=True, source_patient_id=8))
    assert reasons == ["Lot LOT-1 is autologous and holds cells harvested from another patient."]


def test_an_autologous_lot_of_the_patients_own_cells_may_be_given():
    assert refusals(the_lot=lot(autologous=True, source_patient_id=7)) == []


def test_it_refuses_a_dose_above_the_planned_dose():
    assert refusals(req=request(dose_per_kg=1.5e6)) == [
        "Dose 1.5 × 10⁶ viable cells/kg is above the planned dose 1.0 × 10⁶ viable cells/kg."
    ]


def test_it_refuses_a_dose_above_the_catalog_limit_even_if_planned():
    planned = [planned_dose(dose=3e6)]
    reasons = refusals(planned=planned, req=request(dose_per_kg=3e6))
    assert reasons == [
        "Dose 3.0 × 10⁶ viable cells/kg is above the maximum safe dose 2.0 × 10⁶ viable cells/kg "
        "for intravenous use."
    ]


def test_it_refuses_a_route_that_is_not_planned_for_the_product():
    assert refusals(req=request(route="intrathecal")) == [
        "Route intrathecal is not planned for Donor umbilical cord MSCs (planned: intravenous)."
    ]


def test_it_refuses_a_product_that_is_not_in_the_plan():
    reasons = refusals(the_lot=lot(product_code="exo-uc", product_name="Exosomes"))
    assert reasons == ["Exosomes is not in this patient's treatment plan."]


def test_it_refuses_a_lot_already_administered():
    assert refusals(the_lot=lot(already_administered=True)) == [
        "Lot LOT-1 has already been administered."
    ]


def test_it_refuses_a_lot_still_in_cryostorage():
    assert refusals(the_lot=lot(stored_at="BOX1-A01")) == [
        "Lot LOT-1 is still in cryostorage (BOX1-A01): the lab retrieves and thaws it first."
    ]


def test_it_refuses_a_lot_retrieved_but_not_thawed():
    assert refusals(the_lot=lot(awaiting_thaw=True)) == [
        "Lot LOT-1 is frozen: the lab records its thaw first."
    ]


def test_it_refuses_a_time_given_before_the_thaw_and_allows_one_after():
    later = NOW + dt.timedelta(minutes=1)
    assert refusals(the_lot=lot(thawed_at=later)) == [
        f"The time given is before lot LOT-1 was thawed ({later:%Y-%m-%d %H:%M})."
    ]
    assert refusals(the_lot=lot(thawed_at=NOW - dt.timedelta(hours=1))) == []


def test_it_refuses_a_patient_who_is_not_admitted():
    patient = PatientFacts(7, "PT-7", open_stay_plan_id=None, admitted_at=None)
    assert refusals(patient=patient) == ["Patient PT-7 is not admitted on your ward."]


def test_it_refuses_an_unknown_wristband_and_an_unknown_lot_together():
    reasons = administration_refusals(patient=None, lot=None, planned=[], request=request())
    assert reasons == ["No patient has the wristband ID PT-7.", "No lot has the ID LOT-1."]


def test_it_lists_every_reason_that_applies_not_just_the_first():
    bad_lot = lot(
        status="rejected",
        status_label="Rejected",
        expires_at=NOW - dt.timedelta(days=1),
        plan_id=99,
        autologous=True,
        source_patient_id=8,
        already_administered=True,
    )
    reasons = refusals(the_lot=bad_lot, req=request(dose_per_kg=5e6))
    assert len(reasons) == 7


def test_it_refuses_a_time_given_in_the_future_or_before_admission():
    assert "The time given is in the future." in refusals(
        req=request(given_at=NOW + dt.timedelta(hours=1), now=NOW)
    )
    early = request(given_at=NOW - dt.timedelta(days=2))
    assert "The time given is before the patient was admitted." in refusals(req=early)


def test_it_refuses_a_dose_of_zero():
    assert "The dose must be a positive number per kg." in refusals(req=request(dose_per_kg=0))


def test_a_second_planned_dose_of_the_same_product_is_matched_once_the_first_was_given():
    planned = [
        planned_dose(given=True),
        planned_dose(2),
    ]
    assert matching_planned_dose(planned, lot(), "intravenous").planned_product_id == 2
    assert refusals(planned=planned) == []


def test_it_refuses_when_every_planned_dose_was_given():
    planned = [planned_dose(given=True)]
    assert refusals(planned=planned) == [
        "Every planned dose of Donor umbilical cord MSCs by intravenous was given."
    ]


def test_it_refuses_a_product_and_route_without_a_catalog_limit():
    planned = [planned_dose(maximum=None)]
    assert refusals(planned=planned) == [
        "The catalog sets no maximum safe dose of Donor umbilical cord MSCs by intravenous."
    ]


GOOD_VITALS = dict(temperature_c=36.8, heart_rate=72, systolic_bp=120, diastolic_bp=80, spo2=98)


def test_plausible_vital_signs_pass():
    assert vital_sign_problems(VitalSigns(**GOOD_VITALS)) == {}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature_c", 29.9),
        ("temperature_c", 45.1),
        ("heart_rate", 19),
        ("heart_rate", 251),
        ("systolic_bp", 49),
        ("systolic_bp", 261),
        ("diastolic_bp", 19),
        ("diastolic_bp", 161),
        ("spo2", 49),
        ("spo2", 101),
    ],
)
def test_implausible_vital_signs_are_refused(field, value):
    vitals = VitalSigns(**{**GOOD_VITALS, field: value, "systolic_bp": 250})
    if field == "systolic_bp":
        vitals = VitalSigns(**{**GOOD_VITALS, "systolic_bp": value, "diastolic_bp": 30})
    assert field in vital_sign_problems(vitals)


def test_range_boundaries_are_accepted():
    vitals = VitalSigns(temperature_c=45, heart_rate=20, systolic_bp=260, diastolic_bp=160, spo2=50)
    assert vital_sign_problems(vitals) == {}


def test_a_diastolic_pressure_not_below_the_systolic_is_refused():
    vitals = VitalSigns(**{**GOOD_VITALS, "systolic_bp": 90, "diastolic_bp": 90})
    assert vital_sign_problems(vitals) == {
        "diastolic_bp": "Diastolic blood pressure must be below the systolic."
    }


def test_a_grade_4_event_must_be_reported_as_serious():
    problems = adverse_event_problems(grade=4, serious=False, outcome="recovering")
    assert set(problems) == {"serious"}
    assert adverse_event_problems(grade=4, serious=True, outcome="recovering") == {}


def test_a_grade_5_event_is_serious_and_fatal_and_a_fatal_outcome_is_grade_5():
    assert set(adverse_event_problems(grade=5, serious=False, outcome="unknown")) == {
        "serious",
        "outcome",
    }
    assert set(adverse_event_problems(grade=3, serious=True, outcome="fatal")) == {"ctcae_grade"}
    assert adverse_event_problems(grade=5, serious=True, outcome="fatal") == {}


def test_a_mild_event_may_be_non_serious_and_grades_outside_1_to_5_are_refused():
    assert adverse_event_problems(grade=1, serious=False, outcome="recovered") == {}
    assert set(adverse_event_problems(grade=0, serious=False, outcome="recovered")) == {
        "ctcae_grade"
    }
    assert set(adverse_event_problems(grade=6, serious=True, outcome="recovered")) == {
        "ctcae_grade"
    }


def test_it_refuses_every_product_while_the_day_one_screening_blocks_the_stay():
    reason = "Day-one screening found Platelets out of range: administration blocked until the doctors' team reviews it."  # noqa: E501
    patient = PatientFacts(7, "PT-7", 70, NOW - dt.timedelta(days=1), day_one_refusal=reason)
    assert refusals(patient=patient) == [reason]


@pytest.mark.parametrize("dose", [float("nan"), float("inf"), float("-inf"), -1.0])
def test_it_refuses_a_dose_that_is_not_a_finite_number_above_zero(dose):
    assert refusals(req=request(dose_per_kg=dose)) == ["The dose must be a positive number per kg."]


def test_a_nan_temperature_is_refused():
    vitals = VitalSigns(float("nan"), 72, 120, 80, 98)
    assert "temperature_c" in vital_sign_problems(vitals)


def test_it_refuses_a_lot_expired_now_even_when_the_time_given_is_before_expiry():
    the_lot = lot(expires_at=NOW - dt.timedelta(minutes=1))
    req = request(given_at=NOW - dt.timedelta(minutes=30))
    assert refusals(the_lot=the_lot, req=req) == ["Lot LOT-1 expired on 2026-03-10 11:59 UTC."]


def test_it_refuses_a_time_given_before_the_lot_was_released():
    the_lot = lot(released_at=NOW - dt.timedelta(minutes=10))
    reasons = refusals(the_lot=the_lot, req=request(given_at=NOW - dt.timedelta(minutes=30)))
    assert reasons == ["The time given is before lot LOT-1 was released (2026-03-10 11:50)."]


def test_a_time_given_in_the_minute_of_release_is_accepted():
    the_lot = lot(released_at=NOW + dt.timedelta(seconds=40))
    assert refusals(the_lot=the_lot, req=request(now=NOW + dt.timedelta(minutes=1))) == []


def test_it_refuses_a_released_lot_without_a_release_time():
    assert refusals(the_lot=lot(released_at=None)) == ["Lot LOT-1 has no release time on record."]


def test_it_refuses_a_time_given_before_the_day_one_screening_cleared_the_stay():
    patient = replace(PATIENT, cleared_at=NOW - dt.timedelta(minutes=10))
    reasons = refusals(patient=patient, req=request(given_at=NOW - dt.timedelta(minutes=30)))
    assert reasons == [
        "The time given is before the day-one screening that cleared the stay (2026-03-10 11:50)."
    ]


def test_it_refuses_a_time_given_more_than_the_backdating_window_ago():
    too_old = request(given_at=NOW - MAX_BACKDATING - dt.timedelta(minutes=1))
    assert refusals(req=too_old) == [
        "The time given is more than 12 hours ago: record an administration when it is given, "
        "not later."
    ]
    assert refusals(req=request(given_at=NOW - MAX_BACKDATING)) == []


def test_it_refuses_every_product_while_the_latest_planning_screening_stops_the_plan():
    patient = replace(PATIENT, screening_refusal="The latest screening decided “Not eligible”.")
    assert refusals(patient=patient) == ["The latest screening decided “Not eligible”."]


def test_a_lot_blocked_by_a_failure_after_release_is_refused():
    blocked = lot(blocked_reason="Sterility (bacterial) of lot LOT-1 failed after release.")
    assert refusals(the_lot=blocked) == [
        "Lot LOT-1 is blocked: Sterility (bacterial) of lot LOT-1 failed after release."
    ]


def test_a_lot_released_pending_sterility_may_be_given_and_the_nurse_is_told():
    pending = lot(sterility_pending=True)
    assert refusals(the_lot=pending) == []
    (notice,) = lot_notices(pending)
    assert "released pending sterility" in notice


def test_an_exceptional_release_may_be_given_and_the_nurse_is_told():
    exceptional = lot(exceptional_release=True)
    assert refusals(the_lot=exceptional) == []
    assert "exceptional release" in lot_notices(exceptional)[0]
    assert lot_notices(lot()) == [] and lot_notices(None) == []


def test_a_lot_on_hold_waits_for_a_doctors_review():
    assert refusals(the_lot=lot(held_by=(HeldBy("LOT-1", "Lisbon clinic"),))) == [
        "Lot LOT-1 is on hold after a serious adverse event at Lisbon clinic: a doctor there "
        "must review and clear it."
    ]


def test_a_sibling_of_a_held_lot_waits_too_and_names_the_held_lot():
    (reason,) = refusals(the_lot=lot(held_by=(HeldBy("LOT-9", "Nicosia clinic"),)))
    assert "at Nicosia clinic with lot LOT-9 from the same donor or harvest" in reason


# --- the planned day, the cumulative ceilings, the lot's content -------------------------


def test_a_dose_planned_for_another_day_is_refused_with_the_planned_date():
    reasons = refusals(planned=[planned_dose(day=3)])
    assert reasons == [
        "Donor umbilical cord MSCs by intravenous is not due today, day 2 of the stay: it is "
        "planned for day 3 of the stay (2026-03-11). Only a doctor may allow another day."
    ]


def test_a_day_allowed_by_a_doctor_replaces_the_planned_day():
    assert refusals(planned=[planned_dose(day=3, allowed_day=2, allowed_reason="Fever")]) == []
    moved_away = refusals(planned=[planned_dose(day=2, allowed_day=4)])
    assert len(moved_away) == 1 and "a doctor allowed day 4 (2026-03-12)" in moved_away[0]


def test_the_dose_due_today_is_matched_before_an_earlier_open_one():
    planned = [planned_dose(1, day=1), planned_dose(2, day=2)]
    assert matching_planned_dose(planned, lot(), "intravenous", 2).planned_product_id == 2
    assert refusals(planned=planned) == []


def test_what_was_given_earlier_today_counts_against_the_daily_ceiling():
    given = [DayDose("msc-uc-allo", "intravenous", 2, 1.5e6)]
    assert refusals(given=given) == [
        "2.5 × 10⁶ viable cells/kg of msc-uc-allo by the intravenous route on day 2 is above "
        "the maximum of 2.0 × 10⁶ viable cells/kg."
    ]


def test_what_was_given_in_the_course_counts_against_the_course_ceiling():
    given = [DayDose("msc-uc-allo", "intravenous", day, 2e6) for day in (1, 3, 4)]
    reasons = refusals(given=given)
    assert len(reasons) == 1 and "in the course" in reasons[0]


def test_a_lot_holding_too_few_cells_for_the_weight_is_refused():
    assert refusals(the_lot=lot(content=5e7)) == [
        "Lot LOT-1 holds 5.0 × 10⁷ viable cells; the dose of 1.0 × 10⁶ viable cells/kg at "
        "70 kg needs 7.0 × 10⁷ viable cells."
    ]
    assert refusals(the_lot=lot(content=7e7)) == []


def test_a_lot_without_a_recorded_content_is_refused():
    reasons = refusals(the_lot=lot(content=None))
    assert reasons == [
        "Lot LOT-1 has no viable content on record: the lab records it at formulation."
    ]


def test_doses_are_written_in_the_products_unit():
    exosomes = planned_dose(dose=1e9, maximum=2e9, unit="particles")
    reasons = refusals(
        planned=[exosomes],
        the_lot=lot(content=1e12, unit="particles"),
        req=request(dose_per_kg=1.5e9),
    )
    assert reasons == [
        "Dose 1.5 × 10⁹ particles/kg is above the planned dose 1.0 × 10⁹ particles/kg."
    ]


@pytest.mark.parametrize(
    ("now", "notice"),
    [
        (dt.time(10, 0), ""),
        (dt.time(12, 0), ""),  # two hours late: still within reach of the plan
        (dt.time(8, 0), ""),
        (dt.time(12, 1), "Planned for 10:00; now 12:01."),
        (dt.time(14, 35), "Planned for 10:00; now 14:35."),
        (dt.time(7, 30), "Planned for 10:00; now 07:30."),
    ],
)
def test_a_dose_more_than_two_hours_from_its_planned_time_gets_a_notice(now, notice):
    assert off_planned_time(dt.time(10, 0), now) == notice


def test_no_notice_when_the_planned_time_is_not_known():
    assert off_planned_time(None, dt.time(23, 0)) == ""
