"""A healthy screening patient and the starting rule set, shared by the eligibility tests."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from celltrace.clinical.eligibility import (
    QUESTIONS,
    Answer,
    Decision,
    Diagnosis,
    Evaluation,
    Fact,
    HistoryReview,
    LabResult,
    Person,
    RuleSet,
    Sex,
    Source,
    evaluate,
    load_ruleset,
)

STARTING_RULESET = Path(__file__).resolve().parents[2] / "screening" / "rulesets" / "starting.json"
TREATMENT = date(2026, 11, 5)
LAB_DAY = date(2026, 11, 2)
ANSWER_DAY = date(2026, 11, 3)
LAB = "lab report 2026-4411"

# Results inside every adult reference range of the starting set, for a 45-year-old woman.
HEALTHY_LABS = {
    "haemoglobin": (13.5, "g/dL"),
    "platelets": (250, "x10^9/L"),
    "white_cells": (6.5, "x10^9/L"),
    "inr": (1.0, "INR"),
    "creatinine": (70, "umol/L"),
    "alt": (20, "U/L"),
    "ast": (22, "U/L"),
    "crp": (2, "mg/L"),
}


def starting_ruleset() -> RuleSet:
    """Load the clinic's starting rule set from the screening app's data folder."""
    return load_ruleset(STARTING_RULESET)


def days_before(days: int) -> date:
    return TREATMENT - timedelta(days=days)


def woman_45() -> Person:
    return Person(Sex.FEMALE, date(1981, 3, 15), date(2026, 1, 10), "passport copy")


def lab(analyte: str, value: float, unit: str, on: date = LAB_DAY) -> LabResult:
    return LabResult(analyte, value, unit, on, LAB)


def answer(question: str, *, yes: bool, on: date = ANSWER_DAY) -> Answer:
    return Answer(question, yes, on, "Dr Novak, screening interview")


def healthy_patient() -> list[Fact]:
    """Return a 45-year-old woman with MS whom no rule of the starting set stops."""
    return [
        woman_45(),
        HistoryReview(date(2026, 11, 1), "Dr Novak, pre-admission history review"),
        Diagnosis("G35", date(2015, 4, 1), "neurology letter", "Multiple sclerosis"),
        *(lab(name, value, unit) for name, (value, unit) in HEALTHY_LABS.items()),
        *(answer(question, yes=False) for question in QUESTIONS),
    ]


def screen(
    facts: list[Fact],
    *,
    source: Source = Source.AUTOLOGOUS,
    ruleset: RuleSet | None = None,
) -> Evaluation:
    return evaluate(ruleset or starting_ruleset(), facts, treatment_date=TREATMENT, source=source)


def test_the_healthy_patient_is_eligible_for_both_sources():
    evaluation = screen(healthy_patient())

    assert evaluation.decision is Decision.ELIGIBLE
    assert evaluation.allowed_sources == (Source.AUTOLOGOUS, Source.ALLOGENEIC)
    assert evaluation.needed == ()


def test_an_empty_record_is_incomplete_and_lists_what_is_needed():
    evaluation = screen([])

    assert evaluation.decision is Decision.INCOMPLETE
    assert evaluation.allowed_sources == ()
    assert "The date of birth" in evaluation.needed
    assert any("history" in need for need in evaluation.needed)
