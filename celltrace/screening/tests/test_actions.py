import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from celltrace.refusal import Refused
from celltrace.screening.actions import (
    publish_ruleset,
    record_fact,
    rescreen_on_admission,
    screen_patient,
    sign_screening,
)
from celltrace.screening.evaluation import DayOneCheck, day_one_check, day_one_problem
from celltrace.screening.loading import starting_ruleset
from celltrace.screening.models import PatientFact, RuleSet, Screening, ScreeningSignature
from testkit import PASSWORD
from testkit.journey import make_plan, make_stay
from testkit.samples import record_normal_facts

TODAY = timezone.localdate


def screened(patient, doctor, treatment_date, source="autologous"):
    return screen_patient(patient, doctor, treatment_date=treatment_date, source=source)


# Facts


def test_a_doctor_records_a_lab_result_with_its_unit_and_provenance(patient, doctor):
    fact = record_fact(
        patient, doctor, kind="lab", on=TODAY(), provenance="Lab report 17",
        analyte="haemoglobin", value=128, unit="g/L",
    )  # fmt: skip
    assert fact.to_domain().unit == "g/L"
    assert fact.recorded_by == doctor


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "lab", "analyte": "haemoglobin", "value": 13, "unit": "furlongs"}, "unit"),
        ({"kind": "lab", "analyte": "unobtainium", "value": 13, "unit": "g/dL"}, "analyte"),
        ({"kind": "diagnosis", "code": "cancer"}, "code"),
        ({"kind": "answer", "question": "likes_cats", "yes": True}, "question"),
        ({"kind": "answer", "question": "pregnant"}, "yes"),
        ({"kind": "history_review", "provenance": ""}, "provenance"),
        ({"kind": "history_review", "on": TODAY() + dt.timedelta(days=1)}, "on"),
    ],
)
def test_a_fact_the_rules_cannot_read_is_refused_and_nothing_saved(patient, doctor, values, field):
    values = {"on": TODAY(), "provenance": "Report", **values}
    with pytest.raises(Refused) as error:
        record_fact(patient, doctor, **values)
    assert field in error.value.field_errors
    assert PatientFact.objects.count() == 0


def test_a_nurse_may_record_facts_but_a_coordinator_may_not(patient, nurse, coordinator):
    record_fact(patient, nurse, kind="history_review", on=TODAY(), provenance="Ward notes")
    with pytest.raises(Refused):
        record_fact(patient, coordinator, kind="history_review", on=TODAY(), provenance="x")
    assert PatientFact.objects.count() == 1


def test_facts_of_another_sites_patient_are_refused(other_patient, doctor):
    with pytest.raises(Refused):
        record_fact(other_patient, doctor, kind="history_review", on=TODAY(), provenance="x")


# Screening and the rule set version


def test_publishing_a_new_version_does_not_change_a_decision_already_made(
    normal_patient, doctor, treatment_date, admin_user
):
    first = screened(normal_patient, doctor, treatment_date)
    rules = starting_ruleset().rules
    stricter = [r for r in rules if r["id"] != "clotting-disorder"]
    draft = RuleSet.objects.create(version=2, rules=stricter)
    publish_ruleset(draft, admin_user)
    second = screened(normal_patient, doctor, treatment_date)
    first.refresh_from_db()
    assert first.ruleset.version == 1
    assert len(first.results) == 26
    assert second.ruleset.version == 2
    assert len(second.results) == 25


def test_a_draft_rule_set_is_not_used(normal_patient, doctor, treatment_date):
    RuleSet.objects.create(version=2, rules=starting_ruleset().rules)
    assert screened(normal_patient, doctor, treatment_date).ruleset.version == 1


def test_without_a_published_rule_set_nobody_is_screened(normal_patient, doctor, treatment_date):
    RuleSet.objects.update(status="draft")
    with pytest.raises(Refused, match="No rule set is published"):
        screened(normal_patient, doctor, treatment_date)
    assert not Screening.objects.filter(patient=normal_patient).exists()


def test_an_invalid_rule_set_cannot_be_published(admin_user):
    draft = RuleSet.objects.create(version=3, rules=[{"id": "x", "kind": "never"}])
    with pytest.raises(Refused, match="rule 'x'"):
        publish_ruleset(draft, admin_user)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_only_a_doctor_screens(normal_patient, nurse, treatment_date):
    with pytest.raises(Refused):
        screened(normal_patient, nurse, treatment_date)
    assert Screening.objects.count() == 0


# The doctors' review


def test_a_decision_is_final_only_after_two_doctors_sign(
    normal_patient, doctor, second_doctor, treatment_date
):
    screening = screened(normal_patient, doctor, treatment_date)
    sign_screening(screening, doctor, password=PASSWORD)
    screening.refresh_from_db()
    assert not screening.is_final
    sign_screening(screening, second_doctor, password=PASSWORD)
    screening.refresh_from_db()
    assert screening.is_final
    signature = screening.signatures.first()
    assert signature.meaning == "I reviewed the evidence and agree with the decision."


@override_settings(CELLTRACE_SCREENING_SIGNATURES=1)
def test_the_number_of_signatures_is_configurable(normal_patient, doctor, treatment_date):
    screening = screened(normal_patient, doctor, treatment_date)
    sign_screening(screening, doctor, password=PASSWORD)
    screening.refresh_from_db()
    assert screening.is_final


def test_the_same_doctor_cannot_sign_twice(normal_patient, doctor, treatment_date):
    screening = screened(normal_patient, doctor, treatment_date)
    sign_screening(screening, doctor, password=PASSWORD)
    with pytest.raises(Refused, match="already signed"):
        sign_screening(screening, doctor, password=PASSWORD)
    assert ScreeningSignature.objects.count() == 1


def test_a_wrong_password_signs_nothing(normal_patient, doctor, treatment_date):
    screening = screened(normal_patient, doctor, treatment_date)
    with pytest.raises(Refused) as error:
        sign_screening(screening, doctor, password="guess")
    assert "password" in error.value.field_errors
    assert ScreeningSignature.objects.count() == 0


def test_a_caution_needs_a_written_justification(patient, doctor, treatment_date):
    record_normal_facts(patient, doctor, yes={"clotting_disorder"})
    screening = screened(patient, doctor, treatment_date)
    with pytest.raises(Refused) as error:
        sign_screening(screening, doctor, password=PASSWORD, justifications={})
    assert "justifications.clotting-disorder" in error.value.field_errors
    with pytest.raises(Refused):
        sign_screening(
            screening, doctor, password=PASSWORD, justifications={"clotting-disorder": "  "}
        )
    assert ScreeningSignature.objects.count() == 0
    text = "INR normal on warfarin bridging; haematology agrees."
    sign_screening(screening, doctor, password=PASSWORD, justifications={"clotting-disorder": text})
    assert ScreeningSignature.objects.get().justifications == {"clotting-disorder": text}


def test_an_exclusion_cannot_be_overridden(patient, doctor, treatment_date):
    record_normal_facts(patient, doctor, yes={"active_cancer"})
    screening = screened(patient, doctor, treatment_date)
    with pytest.raises(Refused, match="cannot be overridden"):
        sign_screening(
            screening, doctor, password=PASSWORD, justifications={"active-cancer": "In remission"}
        )
    assert ScreeningSignature.objects.count() == 0


def test_a_not_eligible_decision_can_be_signed_final(
    patient, doctor, second_doctor, treatment_date
):
    record_normal_facts(patient, doctor, yes={"active_cancer"})
    screening = screened(patient, doctor, treatment_date)
    assert screening.decision == "not_eligible"
    sign_screening(screening, doctor, password=PASSWORD)
    sign_screening(screening, second_doctor, password=PASSWORD)
    screening.refresh_from_db()
    assert screening.is_final


def test_an_incomplete_decision_cannot_be_signed_until_the_missing_facts_are_recorded(
    patient, doctor, second_doctor, treatment_date
):
    record_normal_facts(patient, doctor, skip={"haemoglobin"})
    screening = screened(patient, doctor, treatment_date)
    assert screening.decision == "incomplete"
    for signer in (doctor, second_doctor):
        with pytest.raises(Refused) as error:
            sign_screening(screening, signer, password=PASSWORD)
        assert error.value.code == "incomplete_not_signable"
        assert "Haemoglobin result" in error.value.message
        assert "Haemoglobin result" in error.value.params["needed"]
    screening.refresh_from_db()
    assert not screening.is_final
    assert ScreeningSignature.objects.count() == 0
    # The doctor records the missing result and screens again: that decision can be signed.
    record_fact(
        patient, doctor, kind="lab", on=TODAY(), provenance="Lab report 18",
        analyte="haemoglobin", value=13.4, unit="g/dL",
    )  # fmt: skip
    again = screened(patient, doctor, treatment_date)
    assert again.decision == "eligible"
    sign_screening(again, doctor, password=PASSWORD)
    assert ScreeningSignature.objects.get().screening == again


def test_a_nurse_cannot_sign(normal_patient, doctor, nurse, treatment_date):
    screening = screened(normal_patient, doctor, treatment_date)
    with pytest.raises(Refused):
        sign_screening(screening, nurse, password=PASSWORD)


# Day one of the stay


@pytest.fixture
def stay(normal_patient, doctor, second_doctor, nurse, treatment_date):
    screening = screened(normal_patient, doctor, treatment_date)
    sign_screening(screening, doctor, password=PASSWORD)
    sign_screening(screening, second_doctor, password=PASSWORD)
    plan = make_plan(normal_patient, doctor, admission=TODAY())
    return make_stay(plan, nurse, day_one=False)


def test_administration_needs_a_day_one_screening(stay):
    assert "No day-one screening" in day_one_problem(stay)


def test_a_day_one_screening_with_fresh_normal_results_allows_administration(stay, nurse):
    day_one = rescreen_on_admission(stay, nurse)
    assert day_one.ruleset == stay.plan.screening.ruleset
    assert day_one.based_on == stay.plan.screening
    assert day_one.new_exclusions == []
    assert day_one_problem(stay) == ""


def test_day_one_uses_the_same_rule_set_version_after_a_new_one_is_published(
    stay, nurse, admin_user
):
    rules = starting_ruleset().rules
    publish_ruleset(RuleSet.objects.create(version=2, rules=rules[:5]), admin_user)
    assert rescreen_on_admission(stay, nurse).ruleset.version == 1


def _platelets(stay, nurse, value, *, provenance):
    record_fact(
        stay.patient, nurse, kind="lab", on=TODAY(), provenance=provenance,
        analyte="platelets", value=value, unit="x10^9/L",
    )  # fmt: skip


def test_a_new_exclusion_on_day_one_blocks_administration_until_the_team_reviews_it(
    stay, nurse, doctor, second_doctor
):
    _platelets(stay, nurse, 40, provenance="Admission bloods")
    blocked = rescreen_on_admission(stay, nurse)
    assert blocked.new_exclusions == ["Platelets outside the reference range"]
    problem = day_one_problem(stay)
    assert problem.startswith("Day-one screening found Platelets outside the reference range")
    assert problem.endswith("administration blocked until the doctors' team reviews it.")
    # A repeat sample is normal: still blocked until the doctors sign the new screening.
    _platelets(stay, nurse, 400, provenance="Repeat sample")
    PatientFact.objects.filter(value=40).update(on=TODAY() - dt.timedelta(days=1))
    cleared = rescreen_on_admission(stay, nurse)
    assert cleared.new_exclusions == []
    assert "doctors' team reviews it (0 of 2 signatures" in day_one_problem(stay)
    sign_screening(cleared, doctor, password=PASSWORD)
    sign_screening(cleared, second_doctor, password=PASSWORD)
    assert day_one_problem(stay) == ""


def _on_warfarin(stay, nurse):
    record_fact(
        stay.patient, nurse, kind="answer", on=TODAY(), provenance="Admission: on warfarin",
        question="clotting_disorder", yes=True,
    )  # fmt: skip
    return rescreen_on_admission(stay, nurse)


WARFARIN = {"clotting-disorder": "INR 2.1 on warfarin, bridged; haematology agrees."}


def test_a_new_caution_on_day_one_holds_administration_until_two_doctors_justify_it(
    stay, nurse, doctor, second_doctor
):
    held = _on_warfarin(stay, nurse)
    assert held.decision == "eligible_with_cautions"
    assert held.new_cautions == ["A blood-clotting disorder"]
    assert held.new_exclusions == []
    check = day_one_check(stay)
    assert check.problem == (
        "The day-one re-check found a new caution (A blood-clotting disorder): it needs the "
        "doctors' review with a written justification before any product is given "
        "(0 of 2 signatures)."
    )
    assert (check.review, check.missing) == (held, 2)
    with pytest.raises(Refused) as error:
        sign_screening(held, doctor, password=PASSWORD)
    assert error.value.code == "justification_needed"
    assert ScreeningSignature.objects.filter(screening=held).count() == 0
    sign_screening(held, doctor, password=PASSWORD, justifications=WARFARIN)
    assert "(1 of 2 signatures)" in day_one_problem(stay)
    assert day_one_check(stay).missing == 1
    sign_screening(held, second_doctor, password=PASSWORD, justifications=WARFARIN)
    held.refresh_from_db()
    assert day_one_check(stay) == DayOneCheck(cleared_at=held.finalized_at)


def test_a_caution_the_plan_already_had_needs_no_signature_on_day_one(
    normal_patient, doctor, second_doctor, nurse, treatment_date
):
    PatientFact.objects.filter(question="clotting_disorder").update(yes=True)
    screening = screened(normal_patient, doctor, treatment_date)
    for signer in (doctor, second_doctor):
        sign_screening(screening, signer, password=PASSWORD, justifications=WARFARIN)
    stay = make_stay(make_plan(normal_patient, doctor, admission=TODAY()), nurse, day_one=False)
    day_one = _on_warfarin(stay, nurse)
    assert day_one.decision == "eligible_with_cautions"
    assert day_one.new_cautions == []
    assert day_one_problem(stay) == ""


def test_a_changed_answer_does_not_clear_a_new_caution_nobody_reviewed(
    stay, nurse, doctor, second_doctor
):
    _on_warfarin(stay, nurse)
    PatientFact.objects.filter(question="clotting_disorder", yes=True).update(yes=False)
    cleared = rescreen_on_admission(stay, nurse)
    assert cleared.new_cautions == []
    assert "An earlier day-one re-check found a new caution" in day_one_problem(stay)
    assert day_one_check(stay).review == cleared
    sign_screening(cleared, doctor, password=PASSWORD)
    sign_screening(cleared, second_doctor, password=PASSWORD)
    assert day_one_problem(stay) == ""


def test_a_new_exclusion_with_a_new_caution_stays_blocked_when_signed(
    stay, nurse, doctor, second_doctor
):
    _platelets(stay, nurse, 40, provenance="Admission bloods")
    blocked = _on_warfarin(stay, nurse)
    assert blocked.new_exclusions == ["Platelets outside the reference range"]
    assert blocked.new_cautions == ["A blood-clotting disorder"]
    sign_screening(blocked, doctor, password=PASSWORD, justifications=WARFARIN)
    sign_screening(blocked, second_doctor, password=PASSWORD, justifications=WARFARIN)
    assert day_one_problem(stay).startswith("Day-one screening found Platelets")
    assert day_one_check(stay).review is None


def test_a_discharged_stay_is_not_screened_again(stay, nurse):
    stay.discharged_at = timezone.now()
    stay.save()
    with pytest.raises(Refused):
        rescreen_on_admission(stay, nurse)


def test_a_sign_off_goes_through_the_one_signature_service_bound_to_the_decision(
    normal_patient, doctor, treatment_date
):
    from celltrace.signatures.models import Signature
    from celltrace.signatures.service import signatures_of, verify_signatures

    screening = screened(normal_patient, doctor, treatment_date)
    sign_screening(screening, doctor, password=PASSWORD)
    (signature,) = signatures_of(screening)
    assert (signature.meaning, signature.printed_name) == ("approval", "Dan Doctor")
    assert signature.content["screening"]["decision"] == screening.decision
    assert verify_signatures() == []
    # Rewritten behind the application's back: the signature no longer matches.
    Screening.objects.filter(pk=screening.pk).update(decision=Screening.Decision.NOT_ELIGIBLE)
    (finding,) = verify_signatures()
    assert (finding.signature_id, finding.record, finding.record_id) == (
        signature.pk,
        "screening.Screening",
        screening.pk,
    )
    assert finding.changed == ("screening.decision",)
    assert Signature.objects.count() == 1


def test_five_wrong_sign_off_passwords_lock_signing_for_the_doctor(
    normal_patient, doctor, treatment_date
):
    from celltrace.signatures.models import WrongPassword

    screening = screened(normal_patient, doctor, treatment_date)
    for _ in range(5):
        with pytest.raises(Refused, match="not right"):
            sign_screening(screening, doctor, password="guess")
    assert WrongPassword.objects.filter(user=doctor).count() == 5
    with pytest.raises(Refused, match="Signing is locked for 15 minutes") as locked:
        sign_screening(screening, doctor, password=PASSWORD)
    assert locked.value.code == "signing_locked"
    assert ScreeningSignature.objects.count() == 0
