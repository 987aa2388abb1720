"""The engine: time windows, stale data, reference ranges, explanations and precedence."""

from __future__ import annotations

from datetime import date

from celltrace.clinical.eligibility import (
    Decision,
    Diagnosis,
    HistoryReview,
    Outcome,
    Person,
    Sex,
    Source,
    ruleset_from_dict,
)

from .test_eligibility_patients import (
    TREATMENT,
    answer,
    days_before,
    healthy_patient,
    lab,
    screen,
    woman_45,
)


def _without(facts, predicate):
    return [fact for fact in facts if not predicate(fact)]


def _stroke(days: int) -> Diagnosis:
    return Diagnosis("I63.9", days_before(days), "discharge letter", "Cerebral infarction")


def _one_rule(test: dict, kind: str = "excludes"):
    return ruleset_from_dict(
        {
            "version": 7,
            "rules": [{"id": "only", "label": "The only rule", "kind": kind, "test": test}],
        }
    )


# Time windows


def test_it_excludes_a_stroke_80_days_before_treatment():
    evaluation = screen(healthy_patient() + [_stroke(80)])

    assert evaluation.result("stroke-or-tia-3-months").outcome is Outcome.MET
    assert evaluation.decision is Decision.NOT_ELIGIBLE


def test_it_does_not_exclude_a_stroke_100_days_before_treatment():
    evaluation = screen(healthy_patient() + [_stroke(100)])

    result = evaluation.result("stroke-or-tia-3-months")
    assert result.outcome is Outcome.NOT_MET
    assert "100 days before the treatment date, outside 92" in result.reason
    assert evaluation.decision is Decision.ELIGIBLE


def test_the_stroke_window_includes_its_last_day_and_not_the_next():
    assert screen(healthy_patient() + [_stroke(92)]).decision is Decision.NOT_ELIGIBLE
    assert screen(healthy_patient() + [_stroke(93)]).decision is Decision.ELIGIBLE


def test_a_transient_ischaemic_attack_counts_like_a_stroke():
    tia = Diagnosis("G45.9", days_before(30), "emergency report", "TIA")

    assert screen(healthy_patient() + [tia]).decision is Decision.NOT_ELIGIBLE


def test_a_recorded_stroke_excludes_even_without_a_history_review():
    facts = _without(healthy_patient(), lambda f: isinstance(f, HistoryReview)) + [_stroke(10)]

    evaluation = screen(facts)

    assert evaluation.result("stroke-or-tia-3-months").outcome is Outcome.MET
    assert evaluation.decision is Decision.NOT_ELIGIBLE


def test_facts_dated_after_the_treatment_date_are_ignored():
    later_stroke = Diagnosis("I63.9", date(2026, 12, 1), "discharge letter")

    evaluation = screen(healthy_patient() + [later_stroke])

    assert evaluation.result("stroke-or-tia-3-months").outcome is Outcome.NOT_MET


# Stale and missing data


def test_without_a_fresh_history_review_no_diagnosis_can_be_ruled_out():
    facts = _without(healthy_patient(), lambda f: isinstance(f, HistoryReview))
    facts.append(HistoryReview(days_before(31), "Dr Novak, first consultation"))

    evaluation = screen(facts)

    assert evaluation.result("cancer-diagnosis").outcome is Outcome.UNKNOWN
    assert evaluation.decision is Decision.INCOMPLETE
    assert evaluation.needed == (
        f"A review of the coded medical history dated on or after {days_before(30)}",
    )


def test_a_lab_result_older_than_its_allowed_age_counts_as_missing():
    facts = _without(healthy_patient(), lambda f: getattr(f, "analyte", "") == "platelets")
    facts.append(lab("platelets", 250, "x10^9/L", on=days_before(31)))

    evaluation = screen(facts)

    result = evaluation.result("platelets")
    assert result.outcome is Outcome.UNKNOWN
    assert "31 days before the treatment date" in result.reason
    assert evaluation.decision is Decision.INCOMPLETE
    assert evaluation.needed == (
        f"Platelets result from a sample taken on or after {days_before(30)}",
    )


def test_a_lab_result_exactly_at_its_allowed_age_still_counts():
    facts = _without(healthy_patient(), lambda f: getattr(f, "analyte", "") == "platelets")
    facts.append(lab("platelets", 85, "x10^9/L", on=days_before(30)))

    assert screen(facts).result("platelets").outcome is Outcome.MET


def test_a_stale_out_of_range_result_does_not_exclude_but_leaves_it_incomplete():
    facts = _without(healthy_patient(), lambda f: getattr(f, "analyte", "") == "platelets")
    facts.append(lab("platelets", 40, "x10^9/L", on=days_before(60)))

    assert screen(facts).decision is Decision.INCOMPLETE


def test_an_answer_older_than_its_allowed_age_counts_as_missing():
    facts = _without(healthy_patient(), lambda f: getattr(f, "question", "") == "acute_infection")
    facts.append(answer("acute_infection", yes=False, on=days_before(8)))

    evaluation = screen(facts)

    assert evaluation.result("acute-infection").outcome is Outcome.UNKNOWN
    assert evaluation.decision is Decision.INCOMPLETE


def test_the_latest_fresh_result_decides_not_an_older_bad_one():
    facts = healthy_patient() + [lab("platelets", 90, "x10^9/L", on=days_before(20))]

    assert screen(facts).result("platelets").outcome is Outcome.NOT_MET


def test_disagreeing_results_of_the_same_day_are_read_the_safe_way():
    facts = healthy_patient() + [lab("platelets", 90, "x10^9/L"), answer("pregnant", yes=True)]

    evaluation = screen(facts)

    assert evaluation.result("platelets").outcome is Outcome.MET
    assert evaluation.result("pregnancy").outcome is Outcome.MET


# Reference ranges, explanations, derived values


def test_it_explains_a_low_platelet_count_in_plain_words():
    facts = healthy_patient() + [lab("platelets", 85, "x10^9/L", on=date(2026, 11, 4))]

    result = screen(facts).result("platelets")

    assert result.reason == (
        "Platelets 85 x10^9/L on 2026-11-04 is below 150 x10^9/L (reference for female, 45 y)."
    )
    assert lab("platelets", 85, "x10^9/L", on=date(2026, 11, 4)) in result.facts


def test_it_quotes_a_converted_value_in_both_units():
    facts = healthy_patient() + [lab("haemoglobin", 7.0, "mmol/L", on=date(2026, 11, 4))]

    result = screen(facts).result("haemoglobin")

    assert result.outcome is Outcome.MET
    assert result.reason.startswith("Haemoglobin 7 mmol/L (11.28 g/dL) on 2026-11-04 is below 12")


def test_the_reference_range_follows_the_patients_sex():
    man = Person(Sex.MALE, date(1981, 3, 15), date(2026, 11, 4), "passport copy")
    alt_50 = lab("alt", 50, "U/L", on=date(2026, 11, 4))

    assert screen(healthy_patient() + [alt_50]).result("alt").outcome is Outcome.MET
    assert screen(healthy_patient() + [alt_50, man]).result("alt").outcome is Outcome.NOT_MET


def test_a_sex_dependent_range_is_unknown_without_the_sex():
    no_sex = Person(None, date(1981, 3, 15), date(2026, 1, 10), "web form")
    facts = _without(healthy_patient(), lambda f: isinstance(f, Person)) + [no_sex]

    evaluation = screen(facts)

    assert evaluation.result("alt").outcome is Outcome.UNKNOWN
    assert "The patient's sex" in evaluation.needed


def test_the_reference_range_can_follow_age_bands():
    ruleset = _one_rule(
        {
            "type": "lab",
            "analyte": "egfr",
            "unit": "mL/min/1.73m2",
            "max_age_days": 30,
            "ranges": [
                {"min_age_years": 18, "below_age_years": 65, "low": 60},
                {"min_age_years": 65, "low": 45},
            ],
        }
    )
    egfr_50 = lab("egfr", 50, "mL/min/1.73m2")
    older = Person(Sex.FEMALE, date(1950, 1, 1), date(2026, 1, 10), "passport copy")

    young = screen([woman_45(), egfr_50], ruleset=ruleset).result("only")
    old = screen([older, egfr_50], ruleset=ruleset).result("only")

    assert young.outcome is Outcome.MET
    assert old.outcome is Outcome.NOT_MET
    assert "(reference for female, 76 y)" in old.reason


def test_adult_ranges_do_not_judge_a_child():
    child = Person(Sex.FEMALE, date(2010, 6, 1), date(2026, 1, 10), "birth certificate")
    facts = _without(healthy_patient(), lambda f: isinstance(f, Person)) + [child]

    result = screen(facts).result("platelets")

    assert result.outcome is Outcome.UNKNOWN
    assert "no reference range for female, 16 y" in result.reason


def test_egfr_is_estimated_from_creatinine_when_none_was_reported():
    facts = healthy_patient() + [lab("creatinine", 2.0, "mg/dL", on=date(2026, 11, 4))]

    result = screen(facts).result("egfr-severely-reduced")

    # CKD-EPI 2021, woman of 45, 2.0 mg/dL: 142 x (2.0/0.7)^-1.2 x 0.9938^45 x 1.012 = 30.8.
    assert result.outcome is Outcome.NOT_MET
    assert result.reason.startswith("eGFR 30.8 mL/min/1.73m2 (CKD-EPI 2021 from creatinine 2 mg/dL")
    assert screen(facts).result("egfr-reduced").outcome is Outcome.MET


def test_egfr_is_not_estimated_without_the_patients_sex():
    no_sex = Person(None, date(1981, 3, 15), date(2026, 1, 10), "web form")
    facts = _without(healthy_patient(), lambda f: isinstance(f, Person)) + [no_sex]

    result = screen(facts).result("egfr-reduced")

    assert result.outcome is Outcome.UNKNOWN
    assert result.needed.startswith("eGFR or creatinine result")


def test_pregnancy_is_not_asked_of_a_man():
    man = Person(Sex.MALE, date(1970, 1, 1), date(2026, 1, 10), "passport copy")
    facts = _without(healthy_patient(), lambda f: getattr(f, "question", "") == "pregnant")

    result = screen(facts + [man]).result("pregnancy")

    assert result.outcome is Outcome.NOT_MET
    assert "asked of female patients only" in result.reason


def test_a_resolved_cancer_is_a_caution_not_an_exclusion():
    cancer = Diagnosis("C50.9", date(2015, 1, 1), "oncology letter", "", date(2016, 1, 1))

    evaluation = screen(healthy_patient() + [cancer])

    assert evaluation.decision is Decision.ELIGIBLE_WITH_CAUTIONS
    assert [r.rule_id for r in evaluation.cautions] == ["cancer-history"]


def test_age_over_70_starts_the_day_after_the_70th_birthday():
    def born(on):
        return Person(Sex.FEMALE, on, date(2026, 1, 10), "passport copy")

    base = _without(healthy_patient(), lambda f: isinstance(f, Person))
    on_birthday = screen(base + [born(date(1956, 11, 5))]).result("age-over-70")
    day_after = screen(base + [born(date(1956, 11, 4))]).result("age-over-70")

    assert on_birthday.outcome is Outcome.NOT_MET
    assert day_after.outcome is Outcome.MET
    assert day_after.reason.startswith("Aged 70 on the treatment date 2026-11-05")


# Decision precedence


def test_a_met_exclusion_decides_even_when_other_data_is_missing():
    evaluation = screen([woman_45(), answer("pregnant", yes=True)])

    assert evaluation.decision is Decision.NOT_ELIGIBLE
    assert evaluation.allowed_sources == ()
    assert evaluation.needed == ()
    assert [r.rule_id for r in evaluation.exclusions] == ["pregnancy"]


def test_an_unknown_caution_keeps_the_decision_incomplete():
    facts = _without(healthy_patient(), lambda f: getattr(f, "question", "") == "clotting_disorder")

    evaluation = screen(facts)

    assert evaluation.decision is Decision.INCOMPLETE
    assert len(evaluation.needed) == 1
    assert "blood-clotting disorder" in evaluation.needed[0]


def test_a_harvest_exclusion_with_an_own_cells_request_leaves_donor_products_only():
    facts = healthy_patient() + [answer("high_bleeding_risk", yes=True, on=date(2026, 11, 4))]

    evaluation = screen(facts, source=Source.AUTOLOGOUS)

    assert evaluation.decision is Decision.DONOR_ONLY
    assert evaluation.allowed_sources == (Source.ALLOGENEIC,)


def test_an_unknown_harvest_rule_blocks_own_cells_but_not_donor_products():
    facts = _without(
        healthy_patient(), lambda f: getattr(f, "question", "") == "biopsy_site_disease"
    )

    own = screen(facts, source=Source.AUTOLOGOUS)
    donor = screen(facts, source=Source.ALLOGENEIC)

    assert own.decision is Decision.INCOMPLETE
    assert own.needed == (
        f"An answer to 'Is there disease at the intended biopsy (harvest) site?' given on or "
        f"after {days_before(30)}",
    )
    assert donor.decision is Decision.ELIGIBLE
    assert donor.allowed_sources == (Source.ALLOGENEIC,)


def test_an_unknown_harvest_rule_does_not_matter_once_another_excludes_harvest():
    facts = _without(
        healthy_patient(), lambda f: getattr(f, "question", "") == "biopsy_site_disease"
    )
    facts.append(answer("anaesthesia_contraindication", yes=True, on=date(2026, 11, 4)))

    assert screen(facts).decision is Decision.DONOR_ONLY


def test_donor_only_needs_every_exclusion_and_caution_known():
    facts = _without(healthy_patient(), lambda f: getattr(f, "question", "") == "immunocompromised")
    facts.append(answer("anaesthesia_contraindication", yes=True, on=date(2026, 11, 4)))

    assert screen(facts).decision is Decision.INCOMPLETE


def test_a_caution_with_a_harvest_exclusion_is_still_donor_only():
    facts = healthy_patient() + [
        answer("anaesthesia_contraindication", yes=True, on=date(2026, 11, 4)),
        answer("immunocompromised", yes=True, on=date(2026, 11, 4)),
    ]

    evaluation = screen(facts)

    assert evaluation.decision is Decision.DONOR_ONLY
    assert [r.rule_id for r in evaluation.cautions] == ["immunocompromise"]


def test_every_decision_records_the_rule_set_version_and_request():
    ruleset = _one_rule({"type": "age", "older_than_years": 70}, kind="caution")

    evaluation = screen([woman_45()], ruleset=ruleset, source=Source.ALLOGENEIC)

    assert evaluation.ruleset_version == 7
    assert evaluation.treatment_date == TREATMENT
    assert evaluation.source is Source.ALLOGENEIC
    assert evaluation.decision is Decision.ELIGIBLE


def test_the_source_may_be_given_as_plain_text():
    evaluation = screen(healthy_patient(), source="allogeneic")  # type: ignore[arg-type]

    assert evaluation.source is Source.ALLOGENEIC
