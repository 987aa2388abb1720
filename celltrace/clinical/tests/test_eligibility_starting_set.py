"""Every rule of the clinic's starting set fires on a case that should, and only then."""

from __future__ import annotations

import json
from datetime import date

import pytest

from celltrace.clinical.eligibility import (
    Decision,
    Diagnosis,
    Fact,
    Kind,
    Outcome,
    Person,
    Sex,
    Source,
    ruleset_to_dict,
)

from .test_eligibility_patients import (
    STARTING_RULESET,
    answer,
    days_before,
    healthy_patient,
    lab,
    screen,
    starting_ruleset,
)

LATER = date(2026, 11, 4)  # newer than the healthy patient's answers and labs, so it wins


def _yes_no(question: str) -> tuple[list[Fact], list[Fact]]:
    return [answer(question, yes=True, on=LATER)], [answer(question, yes=False, on=LATER)]


def _lab(analyte: str, unit: str, bad: float, good: float) -> tuple[list[Fact], list[Fact]]:
    return [lab(analyte, bad, unit, on=LATER)], [lab(analyte, good, unit, on=LATER)]


def _born(on: date) -> Person:
    return Person(Sex.FEMALE, on, LATER, "identity card")


def _dx(code: str, on: date, label: str = "", resolved_on: date | None = None) -> Diagnosis:
    return Diagnosis(code, on, "specialist letter", label, resolved_on)


# For each rule id: facts that trigger the rule, and facts that come close but do not.
CASES: dict[str, tuple[list[Fact], list[Fact]]] = {
    "cell-product-reaction": _yes_no("cell_product_reaction"),
    "active-cancer": _yes_no("active_cancer"),
    "cancer-diagnosis": (
        [_dx("C50.9", date(2026, 5, 1), "Breast cancer")],
        [_dx("C50.9", date(2019, 1, 1), "Breast cancer", resolved_on=date(2020, 6, 1))],
    ),
    "precancerous-condition": (
        [_dx("K22.7", date(2025, 1, 1), "Barrett's oesophagus")],
        [_dx("K21.0", date(2025, 1, 1), "Reflux with oesophagitis")],
    ),
    "cancer-history": (
        [_dx("D05.1", date(2012, 3, 1), "Ductal carcinoma in situ", resolved_on=date(2013, 1, 1))],
        [_dx("D10.0", date(2012, 3, 1), "Benign neoplasm of lip")],
    ),
    "terminal-illness": _yes_no("terminal_illness"),
    "acute-infection": _yes_no("acute_infection"),
    "stroke-or-tia-3-months": (
        [_dx("I63.9", days_before(80), "Cerebral infarction")],
        [_dx("I63.9", days_before(100), "Cerebral infarction")],
    ),
    "haemoglobin": _lab("haemoglobin", "g/dL", bad=11.9, good=12.0),
    "platelets": _lab("platelets", "x10^9/L", bad=85, good=150),
    "white-cells": _lab("white_cells", "x10^9/L", bad=11.1, good=11.0),
    "inr": _lab("inr", "INR", bad=1.3, good=1.2),
    "egfr-severely-reduced": _lab("egfr", "mL/min/1.73m2", bad=29, good=30),
    "egfr-reduced": _lab("egfr", "mL/min/1.73m2", bad=59, good=60),
    "alt": _lab("alt", "U/L", bad=42, good=41),
    "ast": _lab("ast", "U/L", bad=35, good=34),
    "crp": _lab("crp", "mg/L", bad=10.1, good=10),
    "pregnancy": _yes_no("pregnant"),
    "breastfeeding": _yes_no("breastfeeding"),
    "mental-disorder-or-addiction": _yes_no("mental_disorder_or_addiction"),
    "anaesthesia-contraindication": _yes_no("anaesthesia_contraindication"),
    "high-bleeding-risk": _yes_no("high_bleeding_risk"),
    "biopsy-site-disease": _yes_no("biopsy_site_disease"),
    # 70 on the treatment date itself is not yet "over 70".
    "age-over-70": ([_born(date(1955, 1, 1))], [_born(date(1956, 11, 5))]),
    "clotting-disorder": _yes_no("clotting_disorder"),
    "immunocompromise": _yes_no("immunocompromised"),
}

# DOMAIN section 2, item by item: the rules that carry it and the kind they must have.
DOMAIN_CONTRAINDICATIONS = {
    "a previous bad reaction to cell products": (["cell-product-reaction"], Kind.EXCLUDES),
    "active cancer": (["active-cancer", "cancer-diagnosis"], Kind.EXCLUDES),
    "a pre-cancerous condition": (["precancerous-condition"], Kind.EXCLUDES),
    "any cancer in the history": (["cancer-history"], Kind.CAUTION),
    "a life-threatening or terminal condition": (["terminal-illness"], Kind.EXCLUDES),
    "an acute infectious disease": (["acute-infection"], Kind.EXCLUDES),
    "stroke or TIA in the last 3 months": (["stroke-or-tia-3-months"], Kind.EXCLUDES),
    "blood tests outside reference ranges": (
        ["haemoglobin", "platelets", "white-cells", "inr", "egfr-severely-reduced", "alt", "ast"]
        + ["crp"],
        Kind.EXCLUDES,
    ),
    "pregnancy and lactation": (["pregnancy", "breastfeeding"], Kind.EXCLUDES),
    "mental disorders and addictions": (["mental-disorder-or-addiction"], Kind.EXCLUDES),
    "anaesthesia, bleeding risk or disease at the biopsy site": (
        ["anaesthesia-contraindication", "high-bleeding-risk", "biopsy-site-disease"],
        Kind.EXCLUDES_HARVEST,
    ),
    "age over 70, clotting disorders, immunocompromise": (
        ["age-over-70", "clotting-disorder", "immunocompromise"],
        Kind.CAUTION,
    ),
}

RULE_IDS = [rule.id for rule in starting_ruleset().rules]


def test_every_rule_of_the_starting_set_has_a_triggering_and_a_clearing_case():
    assert sorted(CASES) == sorted(RULE_IDS)


@pytest.mark.parametrize("item", sorted(DOMAIN_CONTRAINDICATIONS))
def test_the_starting_set_covers_each_contraindication_the_clinic_names(item):
    rule_ids, kind = DOMAIN_CONTRAINDICATIONS[item]
    ruleset = starting_ruleset()

    assert [ruleset.rule(rule_id).kind for rule_id in rule_ids] == [kind] * len(rule_ids)


def test_the_starting_set_is_version_1_and_reads_back_unchanged():
    ruleset = starting_ruleset()
    raw = STARTING_RULESET.read_text(encoding="utf-8")

    assert ruleset.version == 1
    assert ruleset_to_dict(ruleset) == json.loads(raw)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_each_starting_rule_is_met_by_its_triggering_case(rule_id):
    triggering, _ = CASES[rule_id]
    rule = starting_ruleset().rule(rule_id)

    evaluation = screen(healthy_patient() + triggering)

    assert evaluation.result(rule_id).outcome is Outcome.MET, evaluation.result(rule_id).reason
    expected = {
        Kind.EXCLUDES: Decision.NOT_ELIGIBLE,
        Kind.EXCLUDES_HARVEST: Decision.DONOR_ONLY,
        Kind.CAUTION: Decision.ELIGIBLE_WITH_CAUTIONS,
    }[rule.kind]
    assert evaluation.decision is expected


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_each_starting_rule_is_not_met_by_its_near_miss(rule_id):
    _, clearing = CASES[rule_id]

    evaluation = screen(healthy_patient() + clearing)

    assert evaluation.result(rule_id).outcome is Outcome.NOT_MET, evaluation.result(rule_id).reason
    assert evaluation.decision in {Decision.ELIGIBLE, Decision.ELIGIBLE_WITH_CAUTIONS}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_each_starting_rule_is_unknown_without_its_facts(rule_id):
    ruleset = starting_ruleset()
    rule = ruleset.rule(rule_id)

    evaluation = screen([], ruleset=type(ruleset)(ruleset.version, (rule,)))

    assert evaluation.result(rule_id).outcome is Outcome.UNKNOWN
    assert evaluation.result(rule_id).needed


@pytest.mark.parametrize(
    "rule_id", ["anaesthesia-contraindication", "high-bleeding-risk", "biopsy-site-disease"]
)
def test_a_harvest_exclusion_still_allows_donor_products(rule_id):
    triggering, _ = CASES[rule_id]

    evaluation = screen(healthy_patient() + triggering, source=Source.ALLOGENEIC)

    assert evaluation.decision is Decision.ELIGIBLE
    assert evaluation.allowed_sources == (Source.ALLOGENEIC,)
