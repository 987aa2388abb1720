"""The 39-item Parkinson's Disease Questionnaire (PDQ-39): eight dimensions and the summary index.

Peto V, Jenkinson C, Fitzpatrick R, Greenhall R. The development and validation of a short
measure of functioning and well being for individuals with Parkinson's disease. Qual Life Res
1995;4:241-8; Jenkinson C, Fitzpatrick R, Peto V, et al. The PDQ-39: development and validation
of a Parkinson's disease summary index score. Age Ageing 1997;26:353-7. Each item is answered
0 (never) to 4 (always, or cannot do at all); a dimension is its sum / (4 x items) x 100 and the
summary index (PDQ-39 SI) is the mean of the eight dimensions, higher meaning worse.

Item 28 asks about support from a spouse or partner: a patient without one scores it 0
("never"), as the PDQ-39 user manual directs. Any other blank item is refused: the developers
impute missing dimensions only across a data set (expectation maximisation, Jenkinson 2006),
never within one patient's sheet (docs/clinical/pdq39.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from celltrace.clinical.item_scores import ItemError, check_items, check_score, item_name

ITEM_COUNT = 39
ANSWERS = (0, 1, 2, 3, 4)
SPOUSE_ITEM = 28
DIMENSIONS = {
    "mobility": tuple(range(1, 11)),
    "activities_of_daily_living": tuple(range(11, 17)),
    "emotional_wellbeing": tuple(range(17, 23)),
    "stigma": tuple(range(23, 27)),
    "social_support": tuple(range(27, 30)),
    "cognition": tuple(range(30, 34)),
    "communication": tuple(range(34, 37)),
    "bodily_discomfort": tuple(range(37, 40)),
}


@dataclass(frozen=True, slots=True)
class Pdq39Answers:
    """The 39 answers in item order (0-4); item 28 is None when there is no spouse or partner."""

    items: tuple[int | None, ...]
    no_spouse_or_partner: bool = False

    def __post_init__(self) -> None:
        if type(self.no_spouse_or_partner) is not bool:
            raise ItemError("no_spouse_or_partner", "Must be true or false.")
        for number, value in enumerate(check_items(self.items, ITEM_COUNT), start=1):
            may_be_blank = number == SPOUSE_ITEM and self.no_spouse_or_partner
            check_score(item_name(number), value, ANSWERS, optional=may_be_blank)
        if self.no_spouse_or_partner and self.items[SPOUSE_ITEM - 1] is not None:
            raise ItemError(
                item_name(SPOUSE_ITEM),
                "Answered, but the patient has no spouse or partner: leave it blank.",
            )

    def scored_answer(self, number: int) -> int:
        """Return the score an item counts with (item 28 without a partner counts as never)."""
        value = self.items[number - 1]
        return 0 if value is None else value


@dataclass(frozen=True, slots=True)
class Pdq39Score:
    """The summary index and the eight dimension scores, each 0-100."""

    summary_index: float
    dimensions: dict[str, float]


def score_pdq39(answers: Pdq39Answers) -> Pdq39Score:
    """Score the eight PDQ-39 dimensions and their mean, the summary index."""
    exact = {name: dimension_score(answers, numbers) for name, numbers in DIMENSIONS.items()}
    summary = sum(exact.values()) / len(exact)
    return Pdq39Score(
        summary_index=float(summary),
        dimensions={name: float(score) for name, score in exact.items()},
    )


def dimension_score(answers: Pdq39Answers, numbers: tuple[int, ...]) -> Fraction:
    """Return one dimension as sum / (4 x items) x 100, exactly."""
    total = sum(answers.scored_answer(n) for n in numbers)
    return Fraction(total * 100, ANSWERS[-1] * len(numbers))
