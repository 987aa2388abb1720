import datetime as dt
from dataclasses import replace

import pytest

from celltrace.clinical.administration import (
    MAX_BACKDATING,
    AdministrationRequest,
    LotFacts,
    PatientFacts,
    PlannedDose,
    VitalSigns,
    administration_refusals,
    adverse_event_problems,
    matching_planned_dose,
    vital_sign_problems,
)

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
PATIENT = PatientFacts(
    patient_id=7, code="PT-7", open_stay_plan_id=70, admitted_at=NOW - dt.timedelta(days=1)
)
PLANNED = [PlannedDose(1, "msc-uc-allo", "intravenous", 1e6, 2e6, already_given=False)]


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
    )
    fields.update(changes)
    return LotFacts(**fields)


def request(**changes):
    fields = dict(
        patient_code="PT-7",
        lot_code="LOT-1",
        route="intravenous",
        dose_cells_per_kg=1e6,
        given_at=NOW,
        now=NOW,
    )
    fields.update(changes)
    return AdministrationRequest(**fields)


def refusals(patient=PATIENT, the_lot=None, planned=PLANNED, req=None):
    return administration_refusals(
        patient=patient, lot=the_lot or lot(), planned=planned, request=req or request()
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


def test_it_refuses_an_autologous_lot_harvested_from_someone_else():
    reasons = refusals(the_lot=lot(autologous=True, source_patient_id=8))
    assert reasons == ["Lot LOT-1 is autologous and holds cells harvested from another patient."]


def test_an_autologous_lot_of_the_patients_own_cells_may_be_given():
    assert refusals(the_lot=lot(autologous=True, source_patient_id=7)) == []


def test_it_refuses_a_dose_above_the_planned_dose():
    assert refusals(req=request(dose_cells_per_kg=1.5e6)) == [
        "Dose 1.5 × 10⁶ cells/kg is above the planned dose 1.0 × 10⁶ cells/kg."
    ]


def test_it_refuses_a_dose_above_the_catalog_limit_even_if_planned():
    planned = [PlannedDose(1, "msc-uc-allo", "intravenous", 3e6, 2e6, already_given=False)]
    reasons = refusals(planned=planned, req=request(dose_cells_per_kg=3e6))
    assert reasons == [
        "Dose 3.0 × 10⁶ cells/kg is above the maximum safe dose 2.0 × 10⁶ cells/kg "
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
    reasons = refusals(the_lot=bad_lot, req=request(dose_cells_per_kg=5e6))
    assert len(reasons) == 7


def test_it_refuses_a_time_given_in_the_future_or_before_admission():
    assert "The time given is in the future." in refusals(
        req=request(given_at=NOW + dt.timedelta(hours=1), now=NOW)
    )
    early = request(given_at=NOW - dt.timedelta(days=2))
    assert "The time given is before the patient was admitted." in refusals(req=early)


def test_it_refuses_a_dose_of_zero():
    assert "The dose must be a positive number of cells per kg." in refusals(
        req=request(dose_cells_per_kg=0)
    )


def test_a_second_planned_dose_of_the_same_product_is_matched_once_the_first_was_given():
    planned = [
        PlannedDose(1, "msc-uc-allo", "intravenous", 1e6, 2e6, already_given=True),
        PlannedDose(2, "msc-uc-allo", "intravenous", 1e6, 2e6, already_given=False),
    ]
    assert matching_planned_dose(planned, lot(), "intravenous").planned_product_id == 2
    assert refusals(planned=planned) == []


def test_it_refuses_when_every_planned_dose_was_given():
    planned = [PlannedDose(1, "msc-uc-allo", "intravenous", 1e6, 2e6, already_given=True)]
    assert refusals(planned=planned) == [
        "Every planned dose of Donor umbilical cord MSCs by intravenous was given."
    ]


def test_it_refuses_a_product_and_route_without_a_catalog_limit():
    planned = [PlannedDose(1, "msc-uc-allo", "intravenous", 1e6, None, already_given=False)]
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
    assert refusals(req=request(dose_cells_per_kg=dose)) == [
        "The dose must be a positive number of cells per kg."
    ]


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


def test_a_lot_on_hold_waits_for_a_doctors_review():
    assert refusals(the_lot=lot(held_by=("LOT-1",))) == [
        "Lot LOT-1 is on hold after a serious adverse event: a doctor's review must clear it."
    ]


def test_a_sibling_of_a_held_lot_waits_too_and_names_the_held_lot():
    (reason,) = refusals(the_lot=lot(held_by=("LOT-9",)))
    assert "with lot LOT-9 from the same donor or harvest" in reason
