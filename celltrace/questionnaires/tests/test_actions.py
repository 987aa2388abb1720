"""A patient answers a due questionnaire: scored by the instrument, stored as their own report."""

import datetime as dt

import pytest

from celltrace.accounts import site_time
from celltrace.outcomes.actions import record_instrument
from celltrace.outcomes.models import Measurement, Source
from celltrace.questionnaires.actions import answer_questionnaire
from celltrace.questionnaires.queries import questionnaires_for
from celltrace.questionnaires.tests.conftest import portal_patient
from celltrace.refusal import NotAllowed, Refused

EQ5D = {
    "mobility": 2,
    "self_care": 1,
    "usual_activities": 3,
    "pain_discomfort": 2,
    "anxiety_depression": 1,
    "vas": 70,
}


def status(patient, code, timepoint):
    found = questionnaires_for(patient)
    return next(q.status for q in found if q.instrument == code and q.timepoint == timepoint)


def test_a_patient_answers_a_due_eq5d5l_scored_and_dated_the_sites_today(patient):
    (stored,) = answer_questionnaire(patient, patient.portal_user, "eq5d5l", EQ5D)
    assert stored.instrument == "eq5d5l"
    assert stored.source == Source.PATIENT
    assert stored.recorded_by == patient.portal_user
    assert stored.measured_on == site_time.today(patient.site)
    assert stored.timepoint == "follow_up"
    assert stored.details["profile"] == "21321"
    assert 0 < stored.value < 1
    assert status(patient, "eq5d5l", "3 months") == "done"
    assert status(patient, "pain", "3 months") == "due"


def test_msis29_from_the_portal_gives_both_scales(patient):
    answers = {f"item_{n}": 3 for n in range(1, 30)}
    stored = answer_questionnaire(patient, patient.portal_user, "msis29", answers)
    assert {m.instrument: m.value for m in stored} == {
        "msis29_physical": 50.0,
        "msis29_psychological": 50.0,
    }


def test_an_answer_outside_every_window_is_refused_with_a_clear_message(
    catalog, site, doctor, nurse, lab_technician
):
    between = portal_patient(site, doctor, nurse, lab_technician, days_ago=130)
    with pytest.raises(Refused, match="not open for you today") as refused:
        answer_questionnaire(between, between.portal_user, "pain", {"pain": 3})
    assert refused.value.code == "questionnaire_not_due"
    assert not Measurement.objects.exists()


def test_a_questionnaire_answered_once_is_not_open_again_at_that_time_point(patient):
    answer_questionnaire(patient, patient.portal_user, "pain", {"pain": 3})
    with pytest.raises(Refused, match="not open"):
        answer_questionnaire(patient, patient.portal_user, "pain", {"pain": 2})
    assert Measurement.objects.count() == 1


def test_a_value_staff_recorded_in_the_window_answers_it_too(patient, doctor):
    today = site_time.today(patient.site)
    record_instrument(patient, doctor, "pain", {"pain": 4}, today)
    assert status(patient, "pain", "3 months") == "done"


def test_staff_do_not_answer_for_the_patient(patient, doctor):
    with pytest.raises(NotAllowed):
        answer_questionnaire(patient, doctor, "pain", {"pain": 3})


def test_a_patient_answers_only_their_own_questionnaires(
    patient, catalog, site, doctor, nurse, lab_technician
):
    other = portal_patient(site, doctor, nurse, lab_technician, name="other")
    with pytest.raises(NotAllowed, match="only their own"):
        answer_questionnaire(other, patient.portal_user, "pain", {"pain": 3})


def test_a_patient_cannot_self_report_a_clinicians_exam_or_back_date(patient):
    today = site_time.today(patient.site)
    with pytest.raises(Refused) as refused:
        record_instrument(
            patient, patient.portal_user, "sdmt", {"correct": 40}, today, source=Source.PATIENT
        )
    assert "instrument" in refused.value.field_errors
    with pytest.raises(Refused) as refused:
        record_instrument(
            patient,
            patient.portal_user,
            "pain",
            {"pain": 3},
            today - dt.timedelta(days=1),
            source=Source.PATIENT,
        )
    assert "measured_on" in refused.value.field_errors
    with pytest.raises(NotAllowed):
        record_instrument(patient, patient.portal_user, "pain", {"pain": 3}, today)


def test_an_incomplete_answer_is_refused_naming_the_item_and_nothing_is_stored(patient):
    answers = {"mobility": 2, "self_care": 1, "usual_activities": 3, "pain_discomfort": 2}
    with pytest.raises(Refused) as refused:
        answer_questionnaire(patient, patient.portal_user, "eq5d5l", answers)
    assert "anxiety_depression" in refused.value.field_errors
    assert not Measurement.objects.exists()


def test_an_sci_patient_answers_the_scim_self_report(catalog, site, doctor, nurse, lab_technician):
    from celltrace.clinical.scim_sr import ALLOWED_SCORES

    sci = portal_patient(site, doctor, nurse, lab_technician, condition="sci")
    assert status(sci, "scim_sr", "3 months") == "due"
    answers = {item: scores[-1] for item, scores in ALLOWED_SCORES.items()}
    (stored,) = answer_questionnaire(
        sci, sci.portal_user, "scim_sr", answers | {"stair_management": 1}
    )
    assert (stored.instrument, stored.value, stored.source) == ("scim_sr", 98.0, Source.PATIENT)
