"""Donor eligibility (21 CFR 1271.85): complete and non-reactive may be eligible, any reactive
is ineligible, anything missing leaves the donor undetermined and the lots in quarantine."""

from datetime import date, timedelta

import pytest

from celltrace.clinical.donor_eligibility import (
    ELIGIBLE,
    INELIGIBLE,
    PENDING,
    DonorTest,
    TestResult,
    assess,
    determination_problems,
    lot_blockers,
    lot_state,
    required_tests,
)

PANEL = [
    DonorTest("hiv1-ab", "HIV-1 antibody"),
    DonorTest("hiv1-nat", "HIV-1 NAT"),
    DonorTest("hiv2-ab", "HIV-2 antibody"),
    DonorTest("hbsag", "HBsAg"),
    DonorTest("anti-hbc", "Anti-HBc"),
    DonorTest("hcv-ab", "HCV antibody"),
    DonorTest("hcv-nat", "HCV NAT"),
    DonorTest("treponema", "Treponema pallidum"),
    DonorTest("htlv", "HTLV-I/II", leukocyte_rich_only=True),
    DonorTest("cmv", "CMV", leukocyte_rich_only=True),
]
RECOVERED = date(2026, 3, 10)


def results(*, reactive=(), skip=(), on=RECOVERED):
    return [TestResult(t.code, t.code in reactive, on) for t in PANEL if t.code not in skip]


def base():
    return required_tests(PANEL, leukocyte_rich=False)


def test_htlv_and_cmv_are_required_only_for_leukocyte_rich_products():
    assert [t.code for t in base()] == [t.code for t in PANEL[:8]]
    assert required_tests(PANEL, leukocyte_rich=True) == PANEL


def test_every_required_test_non_reactive_may_be_determined_eligible():
    assessment = assess(base(), results(skip=("htlv", "cmv")), recovered_on=RECOVERED)
    assert assessment.status == "complete" and assessment.may_be_eligible
    assert determination_problems(assessment, ELIGIBLE, reason="") == []


def test_a_missing_test_leaves_the_donor_incomplete_and_not_eligible():
    assessment = assess(base(), results(skip=("hcv-nat",)), recovered_on=RECOVERED)
    assert assessment.status == "incomplete" and assessment.missing == ("HCV NAT",)
    assert determination_problems(assessment, ELIGIBLE, reason="") == ["No result yet: HCV NAT."]


def test_a_leukocyte_rich_product_needs_htlv_and_cmv():
    panel = required_tests(PANEL, leukocyte_rich=True)
    assessment = assess(panel, results(skip=("cmv",)), recovered_on=RECOVERED)
    assert assessment.missing == ("CMV",)


def test_any_reactive_result_makes_the_donor_ineligible_even_after_a_negative_retest():
    later = [TestResult("hbsag", False, RECOVERED + timedelta(days=1))]
    assessment = assess(base(), results(reactive=("hbsag",)) + later, recovered_on=RECOVERED)
    assert assessment.status == "reactive" and assessment.reactive == ("HBsAg",)
    assert determination_problems(assessment, ELIGIBLE, reason="")
    assert determination_problems(assessment, INELIGIBLE, reason="HBsAg reactive") == []


def test_a_reactive_test_outside_the_products_panel_still_counts():
    assessment = assess(base(), results(reactive=("cmv",)), recovered_on=RECOVERED)
    assert assessment.reactive == ("cmv",)


@pytest.mark.parametrize("days, ok", [(7, True), (-7, True), (8, False), (-8, False)])
def test_a_specimen_counts_within_seven_days_of_the_recovery(days, ok):
    on = RECOVERED + timedelta(days=days)
    assessment = assess(base(), results(on=on), recovered_on=RECOVERED)
    assert assessment.may_be_eligible is ok
    assert bool(assessment.out_of_window) is not ok


def test_ineligible_needs_a_reason_and_only_two_decisions_exist():
    assessment = assess(base(), results(), recovered_on=RECOVERED)
    assert determination_problems(assessment, INELIGIBLE, reason=" ") == [
        "Say why the donor is ineligible."
    ]
    assert determination_problems(assessment, "maybe", reason="x")


@pytest.mark.parametrize(
    "autologous, has_donor, determination, state",
    [
        (True, False, "", ""),
        (False, True, PENDING, "quarantine"),
        (False, True, ELIGIBLE, ""),
        (False, True, INELIGIBLE, "segregated"),
    ],
)
def test_a_lots_state_follows_its_donors_determination(autologous, has_donor, determination, state):
    assert lot_state(autologous=autologous, has_donor=has_donor, determination=determination) == (
        state
    )


def test_autologous_lots_need_no_determination_and_donor_lots_need_one():
    assert lot_blockers(autologous=True, has_donor=False, determination="") == []
    assert "no donor record" in lot_blockers(autologous=False, has_donor=False, determination="")[0]
    assert lot_blockers(autologous=False, has_donor=True, determination=PENDING) == [
        "In quarantine: donor determination pending."
    ]
    assert (
        "INELIGIBLE DONOR — segregated"
        in lot_blockers(autologous=False, has_donor=True, determination=INELIGIBLE)[0]
    )
    short = assess(PANEL, results(skip=("cmv",)), recovered_on=RECOVERED)
    assert (
        "do not cover"
        in lot_blockers(autologous=False, has_donor=True, determination=ELIGIBLE, assessment=short)[
            0
        ]
    )
