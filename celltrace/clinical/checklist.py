"""The screening checklist: which eligibility decisions the answers allow (DOMAIN section 2).

A thin first version: every contraindication is a yes/no/unknown question of one kind.
"Eligible" needs every question answered and no exclusion present; an exclusion of
harvesting alone still allows treatment, with donor cell products only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EXCLUDES = "excludes"
EXCLUDES_HARVEST = "excludes_harvest"
CAUTION = "caution"
KINDS = (EXCLUDES, EXCLUDES_HARVEST, CAUTION)

YES = "yes"
NO = "no"
UNKNOWN = "unknown"
ANSWERS = (YES, NO, UNKNOWN)

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_REVIEW = "needs_review"
DECISIONS = (ELIGIBLE, NOT_ELIGIBLE, NEEDS_REVIEW)


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    """The answer to one question of the checklist."""

    code: str
    label: str
    kind: str
    answer: str


@dataclass(frozen=True, slots=True)
class Problem:
    """Why the decision cannot be recorded; `field` is "decision", "reasons" or an item code."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class Review:
    """What the checklist allows: the problems (none means the decision stands) and the source."""

    problems: tuple[Problem, ...]
    donor_products_only: bool

    @property
    def ok(self) -> bool:
        return not self.problems


def review_screening(answers: Iterable[ItemAnswer], decision: str, reasons: str) -> Review:
    """Return the problems of recording this decision on these answers."""
    answers = tuple(answers)
    problems = [*_answer_problems(answers), *_decision_problems(answers, decision)]
    problems += _reason_problems(answers, decision, reasons)
    return Review(tuple(problems), donor_products_only(answers))


def donor_products_only(answers: Iterable[ItemAnswer]) -> bool:
    """Tell whether only donor products may be used: harvesting is excluded, treatment is not."""
    answers = tuple(answers)
    return _any_yes(answers, EXCLUDES_HARVEST) and not _any_yes(answers, EXCLUDES)


def _answer_problems(answers: tuple[ItemAnswer, ...]) -> list[Problem]:
    return [
        Problem(a.code, f"Answer “{a.label}” with yes, no or not known yet.")
        for a in answers
        if a.answer not in ANSWERS
    ]


def _decision_problems(answers: tuple[ItemAnswer, ...], decision: str) -> list[Problem]:
    if decision not in DECISIONS:
        return [Problem("decision", "Choose eligible, not eligible or needs review.")]
    if decision != ELIGIBLE:
        return []
    problems = []
    exclusions = _labels(answers, kind=EXCLUDES, answer=YES)
    if exclusions:
        problems.append(
            Problem(
                "decision",
                f"The patient cannot be eligible: {exclusions} answered yes excludes treatment. "
                "Decide not eligible, or needs review if the answer is in doubt.",
            )
        )
    unknown = _labels(answers, kind=None, answer=UNKNOWN)
    if unknown:
        problems.append(
            Problem(
                "decision",
                f"The patient cannot be eligible while {unknown} is not known yet. "
                "Find out first, or decide needs review.",
            )
        )
    return problems


def _reason_problems(answers: tuple[ItemAnswer, ...], decision: str, reasons: str) -> list[Problem]:
    if reasons.strip():
        return []
    cautions = _labels(answers, kind=CAUTION, answer=YES)
    if decision == ELIGIBLE and cautions:
        # A caution calls for careful assessment: the record must say how it was weighed.
        # (Checked only for non-empty reasons; no attempt is made to parse what they say.)
        message = f"Explain why the patient is eligible despite {cautions}."
    elif decision == NOT_ELIGIBLE:
        message = "Say why the patient is not eligible."
    else:
        message = "Write the reasons for the decision."
    return [Problem("reasons", message)]


def _any_yes(answers: tuple[ItemAnswer, ...], kind: str) -> bool:
    return any(a.kind == kind and a.answer == YES for a in answers)


def _labels(answers: tuple[ItemAnswer, ...], *, kind: str | None, answer: str) -> str:
    """Return the matching questions' labels as one quoted, comma-separated phrase."""
    return ", ".join(
        f"“{a.label}”" for a in answers if a.answer == answer and kind in (None, a.kind)
    )
