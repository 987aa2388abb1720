"""Real evaluations through the action, on facts in the database, for each kind of decision."""

import pytest

from celltrace.screening.actions import screen_patient
from celltrace.screening.loading import starting_ruleset
from testkit.samples import record_normal_facts


def screen(patient, doctor, treatment_date, source="autologous"):
    return screen_patient(patient, doctor, treatment_date=treatment_date, source=source)


def result(screening, rule_id):
    return next(r for r in screening.results if r["rule_id"] == rule_id)


def test_the_starting_rules_are_published_as_version_1(db):
    ruleset = starting_ruleset()
    assert ruleset.status == "published"
    assert len(ruleset.to_domain().rules) == 26


def test_normal_facts_make_an_eligible_decision_for_both_sources(
    normal_patient, doctor, treatment_date
):
    screening = screen(normal_patient, doctor, treatment_date)
    assert screening.decision == "eligible"
    assert screening.ruleset.version == 1
    assert screening.allowed_sources == ["autologous", "allogeneic"]
    assert not screening.is_final
    assert all(r["outcome"] == "not_met" for r in screening.results)


def test_an_exclusion_makes_the_patient_not_eligible(patient, doctor, treatment_date):
    record_normal_facts(patient, doctor, yes={"active_cancer"})
    screening = screen(patient, doctor, treatment_date)
    assert screening.decision == "not_eligible"
    assert screening.allowed_sources == []
    assert result(screening, "active-cancer")["outcome"] == "met"
    assert "active_cancer: yes" in result(screening, "active-cancer")["facts"][0]


def test_a_harvest_exclusion_allows_donor_products_only(patient, doctor, treatment_date):
    record_normal_facts(patient, doctor, yes={"high_bleeding_risk"})
    screening = screen(patient, doctor, treatment_date)
    assert screening.decision == "donor_products_only"
    assert screening.allowed_sources == ["allogeneic"]
    assert screening.donor_products_only


def test_a_caution_makes_the_patient_eligible_with_cautions(patient, doctor, treatment_date):
    record_normal_facts(patient, doctor, yes={"clotting_disorder"})
    screening = screen(patient, doctor, treatment_date)
    assert screening.decision == "eligible_with_cautions"
    assert [r["rule_id"] for r in screening.cautions] == ["clotting-disorder"]


def test_a_missing_lab_result_leaves_the_decision_incomplete_and_says_what_is_needed(
    patient, doctor, treatment_date
):
    record_normal_facts(patient, doctor, skip={"haemoglobin"})
    screening = screen(patient, doctor, treatment_date)
    assert screening.decision == "incomplete"
    assert result(screening, "haemoglobin")["outcome"] == "unknown"
    assert any("Haemoglobin" in item for item in screening.needed)


def test_a_lab_result_out_of_range_excludes(normal_patient, doctor, treatment_date):
    normal_patient.facts.filter(analyte="crp").update(value=40)
    screening = screen(normal_patient, doctor, treatment_date)
    assert screening.decision == "not_eligible"
    assert result(screening, "crp")["outcome"] == "met"
    assert "crp 40 mg/L" in result(screening, "crp")["facts"][0]


@pytest.mark.parametrize("source", ["autologous", "allogeneic"])
def test_the_decision_is_for_the_requested_source(normal_patient, doctor, treatment_date, source):
    assert screen(normal_patient, doctor, treatment_date, source).source == source
