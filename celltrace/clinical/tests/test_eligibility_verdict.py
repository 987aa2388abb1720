"""One verdict on the latest decision: may a plan, a harvest, a treatment go ahead."""

import datetime as dt

import pytest

from celltrace.clinical.eligibility import Decision, RecordedDecision, Source, may_harvest, may_plan

DAY = dt.date(2026, 3, 2)
BOTH = frozenset({Source.AUTOLOGOUS, Source.ALLOGENEIC})


def decision(kind=Decision.ELIGIBLE, *, sources=BOTH, final=True, signatures=2):
    return RecordedDecision(kind, frozenset(sources), DAY, final, signatures, 2)


def test_a_patient_never_screened_may_not_be_planned():
    verdict = may_plan(None)
    assert not verdict
    assert verdict.code == "not_screened"


@pytest.mark.parametrize("kind", [Decision.ELIGIBLE, Decision.ELIGIBLE_WITH_CAUTIONS])
def test_a_final_eligible_decision_allows_a_plan_of_either_source(kind):
    assert may_plan(decision(kind), sources=[Source.AUTOLOGOUS, Source.ALLOGENEIC])


@pytest.mark.parametrize("kind", [Decision.NOT_ELIGIBLE, Decision.INCOMPLETE])
def test_a_decision_that_does_not_allow_treatment_refuses_a_plan_and_names_it(kind):
    verdict = may_plan(decision(kind, sources=()))
    assert not verdict
    assert verdict.code == "decision_not_eligible"
    assert "2026-03-02" in verdict.reason


def test_an_unsigned_decision_refuses_a_plan_and_counts_the_signatures():
    verdict = may_plan(decision(final=False, signatures=1))
    assert not verdict
    assert "1 of 2 doctors have signed it" in verdict.reason


def test_donor_products_only_allows_a_donor_plan_but_no_harvest():
    donor_only = decision(Decision.DONOR_ONLY, sources={Source.ALLOGENEIC})
    assert may_plan(donor_only, sources=[Source.ALLOGENEIC])
    assert may_plan(donor_only, sources=[Source.AUTOLOGOUS]).code == "source_not_allowed"
    assert may_harvest(donor_only).code == "harvest_excluded"


def test_a_harvest_needs_a_final_decision_like_a_plan():
    assert may_harvest(decision())
    assert may_harvest(decision(final=False, signatures=0)).code == "decision_not_final"
