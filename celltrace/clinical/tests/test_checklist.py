import pytest

from celltrace.clinical.checklist import (
    CAUTION,
    ELIGIBLE,
    EXCLUDES,
    EXCLUDES_HARVEST,
    NEEDS_REVIEW,
    NO,
    NOT_ELIGIBLE,
    UNKNOWN,
    YES,
    ItemAnswer,
    donor_products_only,
    review_screening,
)

KINDS = {"cancer": EXCLUDES, "bleeding": EXCLUDES_HARVEST, "age-70": CAUTION}


def answers(**given):
    """All three kinds answered no, except the answers given (code with - as _)."""
    result = []
    for code, kind in KINDS.items():
        answer = given.get(code.replace("-", "_"), NO)
        result.append(ItemAnswer(code, code.title(), kind, answer))
    return result


def fields(review):
    return [p.field for p in review.problems]


def test_eligible_with_every_answer_no_and_reasons_passes():
    review = review_screening(answers(), ELIGIBLE, "Nothing found.")
    assert review.ok
    assert review.problems == ()
    assert not review.donor_products_only


def test_eligible_is_refused_when_an_exclusion_is_answered_yes():
    review = review_screening(answers(cancer=YES), ELIGIBLE, "Looks fine.")
    assert fields(review) == ["decision"]
    assert "“Cancer” answered yes excludes treatment" in review.problems[0].message


def test_eligible_is_refused_when_any_item_is_unknown():
    for code in ("cancer", "bleeding", "age_70"):
        review = review_screening(answers(**{code: UNKNOWN}), ELIGIBLE, "Looks fine.")
        assert fields(review) == ["decision"], code
        assert "not known yet" in review.problems[0].message


def test_eligible_with_an_exclusion_and_an_unknown_reports_both():
    review = review_screening(answers(cancer=YES, bleeding=UNKNOWN), ELIGIBLE, "x")
    assert fields(review) == ["decision", "decision"]


def test_eligible_with_a_harvest_exclusion_is_allowed_for_donor_products_only():
    review = review_screening(answers(bleeding=YES), ELIGIBLE, "Donor cells only.")
    assert review.ok
    assert review.donor_products_only


def test_eligible_with_a_caution_needs_reasons_that_name_the_caution():
    review = review_screening(answers(age_70=YES), ELIGIBLE, "  ")
    assert fields(review) == ["reasons"]
    assert "eligible despite “Age-70”" in review.problems[0].message


def test_eligible_with_a_caution_and_reasons_passes_without_reading_them():
    # The thin checklist only requires non-empty reasons; it does not parse them.
    assert review_screening(answers(age_70=YES), ELIGIBLE, "Fit for her age.").ok


def test_eligible_without_a_caution_still_needs_reasons():
    review = review_screening(answers(), ELIGIBLE, "")
    assert fields(review) == ["reasons"]
    assert review.problems[0].message == "Write the reasons for the decision."


def test_not_eligible_needs_a_reason():
    review = review_screening(answers(cancer=YES), NOT_ELIGIBLE, "")
    assert fields(review) == ["reasons"]
    assert review.problems[0].message == "Say why the patient is not eligible."


def test_not_eligible_with_a_reason_passes_whatever_the_answers():
    assert review_screening(answers(cancer=YES, age_70=UNKNOWN), NOT_ELIGIBLE, "Cancer.").ok


def test_needs_review_allows_unknown_answers_and_exclusions():
    assert review_screening(answers(cancer=UNKNOWN, bleeding=YES), NEEDS_REVIEW, "MRI due.").ok


def test_needs_review_needs_reasons():
    assert fields(review_screening(answers(), NEEDS_REVIEW, "")) == ["reasons"]


@pytest.mark.parametrize("decision", ["", "maybe", "Eligible"])
def test_an_unknown_decision_is_refused(decision):
    assert fields(review_screening(answers(), decision, "x")) == ["decision"]


@pytest.mark.parametrize("answer", ["", "y", "perhaps"])
def test_an_answer_other_than_yes_no_unknown_is_refused_on_its_item(answer):
    review = review_screening(answers(cancer=answer), NEEDS_REVIEW, "x")
    assert fields(review) == ["cancer"]


def test_a_full_exclusion_outweighs_a_harvest_exclusion_for_donor_products_only():
    assert not donor_products_only(answers(cancer=YES, bleeding=YES))
    review = review_screening(answers(cancer=YES, bleeding=YES), NOT_ELIGIBLE, "Cancer.")
    assert not review.donor_products_only


def test_a_harvest_exclusion_alone_means_donor_products_only():
    assert donor_products_only(answers(bleeding=YES))


def test_a_harvest_exclusion_answered_unknown_is_not_donor_products_only():
    assert not donor_products_only(answers(bleeding=UNKNOWN))


def test_a_caution_answered_yes_does_not_limit_the_source():
    assert not donor_products_only(answers(age_70=YES))
