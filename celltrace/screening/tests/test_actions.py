import pytest

from celltrace.refusal import Refused
from celltrace.screening.actions import record_screening
from celltrace.screening.models import Contraindication, Screening, ScreeningAnswer


def record(patient, doctor, answers, decision="eligible", reasons="No contraindication found."):
    return record_screening(patient, doctor, answers=answers, decision=decision, reasons=reasons)


def assert_nothing_saved():
    assert Screening.objects.count() == 0
    assert ScreeningAnswer.objects.count() == 0


def test_a_doctor_records_an_eligible_screening_with_every_answer(patient, doctor, all_no):
    all_no["age-70"] = ("no", "Born 1980")
    screening = record(patient, doctor, all_no)
    assert screening.decision == Screening.Decision.ELIGIBLE
    assert screening.doctor == doctor
    assert not screening.donor_products_only
    assert screening.answers.count() == Contraindication.objects.filter(active=True).count()
    assert screening.answers.get(contraindication__code="age-70").note == "Born 1980"
    assert screening.history.first().history_user == doctor


def test_eligible_is_refused_when_an_exclusion_is_present(patient, doctor, all_no):
    all_no["cancer"] = ("yes", "Breast cancer under treatment")
    with pytest.raises(Refused) as refusal:
        record(patient, doctor, all_no)
    assert "excludes treatment" in refusal.value.field_errors["decision"]
    assert_nothing_saved()


def test_eligible_is_refused_while_an_answer_is_unknown(patient, doctor, all_no):
    all_no["blood-tests"] = ("unknown", "")
    with pytest.raises(Refused, match="not known yet"):
        record(patient, doctor, all_no)
    assert_nothing_saved()


def test_a_harvest_exclusion_means_donor_products_only(patient, doctor, all_no):
    all_no["bleeding"] = ("yes", "On anticoagulants")
    screening = record(patient, doctor, all_no, reasons="Donor cells only.")
    assert screening.donor_products_only


def test_a_not_eligible_decision_needs_reasons(patient, doctor, all_no):
    all_no["cancer"] = ("yes", "")
    with pytest.raises(Refused) as refusal:
        record(patient, doctor, all_no, decision="not_eligible", reasons="  ")
    assert refusal.value.field_errors == {"reasons": "Say why the patient is not eligible."}
    assert_nothing_saved()


def test_every_active_question_must_be_answered(patient, doctor, all_no):
    del all_no["pregnancy"]
    with pytest.raises(Refused) as refusal:
        record(patient, doctor, all_no, decision="needs_review")
    assert refusal.value.field_errors == {"answers.pregnancy": "Answer “Pregnancy or lactation”."}
    assert_nothing_saved()


def test_an_inactive_question_is_not_asked(patient, doctor, all_no):
    Contraindication.objects.filter(code="mental").update(active=False)
    del all_no["mental"]
    screening = record(patient, doctor, all_no)
    assert not screening.answers.filter(contraindication__code="mental").exists()


def test_an_answer_to_an_unknown_question_is_refused(patient, doctor, all_no):
    all_no["made-up"] = ("no", "")
    with pytest.raises(Refused) as refusal:
        record(patient, doctor, all_no)
    assert "answers.made-up" in refusal.value.field_errors
    assert_nothing_saved()


def test_an_answer_other_than_yes_no_unknown_is_refused(patient, doctor, all_no):
    all_no["cancer"] = ("maybe", "")
    with pytest.raises(Refused) as refusal:
        record(patient, doctor, all_no, decision="needs_review")
    assert "answers.cancer" in refusal.value.field_errors
    assert_nothing_saved()


def test_only_a_doctor_records_a_screening(patient, nurse, all_no):
    with pytest.raises(Refused, match="Only a doctor"):
        record(patient, nurse, all_no)
    assert_nothing_saved()


def test_a_doctor_cannot_screen_another_sites_patient(other_patient, doctor, all_no):
    with pytest.raises(Refused, match="own site"):
        record(other_patient, doctor, all_no)
    assert_nothing_saved()
