"""Properties of the decision that no list of cases can cover: monotony and no silent unknowns."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from celltrace.clinical.eligibility import (
    PERMISSIVENESS,
    QUESTIONS,
    Decision,
    Kind,
    Outcome,
    Source,
    decide,
)

from .test_eligibility_patients import answer, healthy_patient, screen, starting_ruleset

PASSING = {Decision.ELIGIBLE, Decision.ELIGIBLE_WITH_CAUTIONS, Decision.DONOR_ONLY}

sources = st.sampled_from(list(Source))
kinds = st.sampled_from(list(Kind))
findings = st.lists(st.tuples(kinds, st.sampled_from(list(Outcome))), max_size=8)


def _more_permissive(after: Decision, before: Decision) -> bool:
    return PERMISSIVENESS[after] > PERMISSIVENESS[before]


@given(findings, kinds, sources)
def test_adding_a_met_rule_never_makes_the_decision_more_permissive(found, kind, source):
    before = decide(found, source)
    after = decide([*found, (kind, Outcome.MET)], source)

    assert not _more_permissive(after, before)


@given(
    findings.filter(lambda found: any(o is Outcome.NOT_MET for _, o in found)), st.data(), sources
)
def test_a_clear_rule_turning_met_never_makes_the_decision_more_permissive(found, data, source):
    # Only a clear rule: an unknown one turning met is news, and a met caution rightly
    # moves an incomplete decision to eligible with cautions.
    clear = [n for n, (_, outcome) in enumerate(found) if outcome is Outcome.NOT_MET]
    index = data.draw(st.sampled_from(clear))
    turned = [*found[:index], (found[index][0], Outcome.MET), *found[index + 1 :]]

    assert not _more_permissive(decide(turned, source), decide(found, source))


@given(findings, sources)
def test_an_unknown_exclusion_or_caution_never_passes(found, source):
    if any(k is not Kind.EXCLUDES_HARVEST and o is Outcome.UNKNOWN for k, o in found):
        assert decide(found, source) not in PASSING


@given(findings)
def test_an_unknown_harvest_rule_never_passes_a_request_for_own_cells(found):
    harvest = [o for k, o in found if k is Kind.EXCLUDES_HARVEST]
    if Outcome.UNKNOWN in harvest and Outcome.MET not in harvest:
        assert decide(found, Source.AUTOLOGOUS) not in PASSING


@given(findings, st.data(), sources)
def test_only_an_incomplete_decision_can_change_when_unknowns_become_known(found, data, source):
    known = [
        (kind, data.draw(st.sampled_from([Outcome.MET, Outcome.NOT_MET])))
        if outcome is Outcome.UNKNOWN
        else (kind, outcome)
        for kind, outcome in found
    ]
    decision = decide(found, source)

    if decision is not Decision.INCOMPLETE:
        assert decide(known, source) is decision


@given(findings)
def test_donor_products_only_is_never_the_answer_to_a_donor_request(found):
    assert decide(found, Source.ALLOGENEIC) is not Decision.DONOR_ONLY


# The same properties through the whole engine, on the starting rule set and real facts.

RULESET = starting_ruleset()
HEALTHY = healthy_patient()
LATER = date(2026, 11, 4)
questions = st.sampled_from(sorted(QUESTIONS))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, len(HEALTHY) - 1), unique=True),
    st.lists(questions, unique=True, max_size=4),
    questions,
    sources,
)
def test_the_engine_never_passes_unknowns_and_never_relaxes_on_a_new_yes(
    dropped, yeses, extra_yes, source
):
    facts = [fact for n, fact in enumerate(HEALTHY) if n not in dropped]
    facts += [answer(question, yes=True, on=LATER) for question in yeses]

    evaluation = screen(facts, source=source, ruleset=RULESET)
    worse = screen([*facts, answer(extra_yes, yes=True, on=LATER)], source=source, ruleset=RULESET)

    assert not _more_permissive(worse.decision, evaluation.decision)
    found = [(r.kind, r.outcome) for r in evaluation.results]
    if evaluation.decision in PASSING:
        assert all(o is not Outcome.UNKNOWN for k, o in found if k is not Kind.EXCLUDES_HARVEST)
    assert (source in evaluation.allowed_sources) is (
        evaluation.decision in {Decision.ELIGIBLE, Decision.ELIGIBLE_WITH_CAUTIONS}
    )
