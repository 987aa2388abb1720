import datetime as dt

import pytest
from django.utils import timezone

from celltrace.outcomes.actions import (
    record_edss_exam,
    record_isncsci_exam,
    record_mri_scan,
    record_relapse,
)
from celltrace.outcomes.models import Measurement, MriScan, Relapse
from celltrace.outcomes.tests.exams import normal_exam, reference_case
from celltrace.refusal import Refused
from testkit.journey import make_patient

TODAY = timezone.localdate
SHEET = {
    "visual": 0,
    "brainstem": 0,
    "pyramidal": 3,
    "cerebellar": 2,
    "sensory": 0,
    "bowel_bladder": 0,
    "cerebral": 0,
    "ambulation": 0,
}


@pytest.fixture
def patient(catalog, site):
    return make_patient(site, condition="sci")


def test_an_isncsci_exam_records_its_motor_score_with_the_exam_and_classification(patient, doctor):
    case = reference_case(1)
    m = record_isncsci_exam(
        patient, doctor, exam=case["exam"], timepoint="baseline", measured_on=TODAY()
    )
    assert (m.instrument, m.value) == ("isncsci_motor", 25.0)  # UEMS 25 + LEMS 0
    assert m.details["classification"] == case["expected"]["classification"]
    assert m.details["totals"] == case["expected"]["totals"]
    assert m.details["exam"] == case["exam"] and m.details["standard"] == "ISNCSCI 2019"
    assert m.history.first().history_user == doctor


def test_an_invalid_grade_is_refused_naming_its_field_and_nothing_is_saved(patient, doctor):
    exam = normal_exam()
    exam["left"]["pinPrick"]["T4"] = "3"
    with pytest.raises(Refused) as refused:
        record_isncsci_exam(patient, doctor, exam=exam, timepoint="baseline", measured_on=TODAY())
    assert refused.value.field_errors == {"left.pinPrick.T4": "'3' is not a sensory grade"}
    assert not Measurement.objects.exists()


def test_an_exam_whose_motor_score_is_not_determinable_is_not_stored_as_a_number(patient, doctor):
    exam = normal_exam()
    exam["right"]["motor"]["L3"] = "NT"
    with pytest.raises(Refused) as refused:
        record_isncsci_exam(patient, doctor, exam=exam, timepoint="baseline", measured_on=TODAY())
    assert "not determinable (ND)" in refused.value.field_errors["motor_score"]
    assert not Measurement.objects.exists()


def test_exam_and_date_problems_are_reported_together(patient, doctor):
    exam = normal_exam()
    exam["voluntaryAnalContraction"] = "Maybe"
    with pytest.raises(Refused) as refused:
        record_isncsci_exam(
            patient,
            doctor,
            exam=exam,
            timepoint="baseline",
            measured_on=TODAY() + dt.timedelta(days=1),
        )
    assert set(refused.value.field_errors) == {"voluntaryAnalContraction", "measured_on"}


def test_another_sites_doctor_cannot_record_an_exam(patient, other_site_doctor):
    with pytest.raises(Refused):
        record_isncsci_exam(
            patient,
            other_site_doctor,
            exam=normal_exam(),
            timepoint="baseline",
            measured_on=TODAY(),
        )
    assert not Measurement.objects.exists()


def test_an_edss_sheet_records_the_computed_step_and_the_grades(patient, doctor):
    m = record_edss_exam(patient, doctor, grades=SHEET, timepoint="baseline", measured_on=TODAY())
    assert (m.instrument, m.value) == ("edss", 3.5)  # one grade 3 and one grade 2
    assert m.details["functional_systems"] == SHEET
    assert m.details["functional_step"] == 3.5 and m.details["scale"] == "Neurostatus-EDSS"


def test_a_grade_out_of_its_scale_is_refused_and_nothing_is_saved(patient, doctor):
    with pytest.raises(Refused) as refused:
        record_edss_exam(
            patient,
            doctor,
            grades=SHEET | {"brainstem": 6},
            timepoint="baseline",
            measured_on=TODAY(),
        )
    assert refused.value.field_errors == {"brainstem": "Must be a whole grade from 0 to 5."}
    assert not Measurement.objects.exists()


def test_a_sheet_missing_a_system_is_refused(patient, doctor):
    grades = {k: v for k, v in SHEET.items() if k != "cerebral"}
    with pytest.raises(Refused) as refused:
        record_edss_exam(patient, doctor, grades=grades, timepoint="baseline", measured_on=TODAY())
    assert refused.value.field_errors == {"cerebral": "Missing."}


def test_a_relapse_is_recorded_once_per_onset_and_never_in_the_future(patient, doctor):
    record_relapse(patient, doctor, onset=TODAY(), confirmed=True)
    with pytest.raises(Refused) as twice:
        record_relapse(patient, doctor, onset=TODAY(), confirmed=True)
    with pytest.raises(Refused) as future:
        record_relapse(patient, doctor, onset=TODAY() + dt.timedelta(days=1), confirmed=True)
    assert "already recorded" in twice.value.field_errors["onset"]
    assert "future" in future.value.field_errors["onset"]
    assert Relapse.objects.count() == 1


def test_a_relapse_says_whether_a_doctor_confirmed_it_and_is_audited(patient, doctor):
    relapse = record_relapse(patient, doctor, onset=TODAY(), confirmed=False)
    assert relapse.confirmed is False
    assert relapse.history.first().history_user == doctor


def test_a_relapse_before_birth_or_without_the_confirmation_answer_is_refused(patient, doctor):
    with pytest.raises(Refused) as unborn:
        record_relapse(patient, doctor, onset=dt.date(1970, 1, 1), confirmed=True)
    with pytest.raises(Refused) as unanswered:
        record_relapse(patient, doctor, onset=TODAY(), confirmed=None)
    assert "before the patient was born" in unborn.value.field_errors["onset"]
    assert "confirmed" in unanswered.value.field_errors
    assert not Relapse.objects.exists()


def test_an_mri_scan_records_its_lesion_counts_and_tells_activity(patient, doctor):
    quiet = record_mri_scan(patient, doctor, scanned_on=TODAY(), new_t2_lesions=0)
    active = record_mri_scan(
        patient, doctor, scanned_on=TODAY() - dt.timedelta(days=200), new_t2_lesions=0,
        gd_lesions=1,
    )  # fmt: skip
    assert (quiet.gd_lesions, quiet.active, active.active) == (None, False, True)
    assert str(quiet) == f"MRI of {TODAY()}: 0 new/enlarging T2, Gd not done"
    assert quiet.history.first().history_user == doctor


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"scanned_on": TODAY() + dt.timedelta(days=1)}, "scanned_on", "future"),
        ({"scanned_on": dt.date(1979, 12, 31)}, "scanned_on", "before the patient was born"),
        ({"new_t2_lesions": -1}, "new_t2_lesions", "from 0 to 999"),
        ({"gd_lesions": -2}, "gd_lesions", "from 0 to 999"),
        ({"new_t2_lesions": 1.5}, "new_t2_lesions", "whole number"),
    ],
)
def test_a_bad_mri_scan_is_refused_and_nothing_is_saved(patient, doctor, fields, field, says):
    given = {"scanned_on": TODAY(), "new_t2_lesions": 0, "gd_lesions": 0} | fields
    with pytest.raises(Refused) as refused:
        record_mri_scan(patient, doctor, **given)
    assert says in refused.value.field_errors[field]
    assert not MriScan.objects.exists()


def test_a_second_mri_of_the_same_day_and_a_nurse_are_refused(patient, doctor, nurse):
    record_mri_scan(patient, doctor, scanned_on=TODAY(), new_t2_lesions=2)
    with pytest.raises(Refused) as twice:
        record_mri_scan(patient, doctor, scanned_on=TODAY(), new_t2_lesions=0)
    with pytest.raises(Refused):
        record_mri_scan(patient, nurse, scanned_on=TODAY() - dt.timedelta(days=1), new_t2_lesions=0)
    assert "already recorded" in twice.value.field_errors["scanned_on"]
    assert MriScan.objects.count() == 1


def test_a_doctor_of_another_site_cannot_record_an_mri(patient, other_site_doctor):
    with pytest.raises(Refused):
        record_mri_scan(patient, other_site_doctor, scanned_on=TODAY(), new_t2_lesions=0)
    assert not MriScan.objects.exists()
