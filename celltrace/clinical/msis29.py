"""The Multiple Sclerosis Impact Scale, version 1 (MSIS-29v1): physical and psychological scores.

Hobart J, Lamping D, Fitzpatrick R, Riazi A, Thompson A. The Multiple Sclerosis Impact Scale
(MSIS-29): a new patient-based outcome measure. Brain 2001;124:962-73. Each of the 29 items is
answered 1 ("not at all") to 5 ("extremely"); items 1-20 make the physical scale and 21-29 the
psychological one; each sum is transformed to 0-100, (sum - lowest) / (highest - lowest) x 100,
higher meaning a greater impact. Version 2 (answers 1-4) is a different instrument.

Missing answers (docs/clinical/msis29.md): a scale is scored when at least half of its items
are answered, each unanswered item taking the mean of the person's answered items of that
scale (Hobart 2001); with fewer answers the scale is refused, naming the first blank item.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from celltrace.clinical.item_scores import ItemError, check_items, check_score, item_name

ITEM_COUNT = 29
ANSWERS = (1, 2, 3, 4, 5)
PHYSICAL_ITEMS = tuple(range(1, 21))
PSYCHOLOGICAL_ITEMS = tuple(range(21, 30))


@dataclass(frozen=True, slots=True)
class Msis29Answers:
    """The 29 answers in item order, each 1 to 5, or None where the patient left it blank."""

    items: tuple[int | None, ...]

    def __post_init__(self) -> None:
        for number, value in enumerate(check_items(self.items, ITEM_COUNT), start=1):
            check_score(item_name(number), value, ANSWERS, optional=True)

    def answer(self, number: int) -> int | None:
        return self.items[number - 1]


@dataclass(frozen=True, slots=True)
class ScaleScore:
    """One scale on 0-100, the summed answers it came from, and the items given the mean."""

    score: float
    raw_sum: float
    imputed_items: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Msis29Score:
    physical: ScaleScore
    psychological: ScaleScore


def score_msis29(answers: Msis29Answers) -> Msis29Score:
    """Score both MSIS-29 scales; refuse a scale with more than half of its items blank."""
    return Msis29Score(
        physical=score_scale(answers, PHYSICAL_ITEMS, name="physical"),
        psychological=score_scale(answers, PSYCHOLOGICAL_ITEMS, name="psychological"),
    )


def score_scale(answers: Msis29Answers, numbers: tuple[int, ...], *, name: str) -> ScaleScore:
    """Transform one scale's sum to 0-100, the blanks taking the person's mean of that scale."""
    given = [answers.answer(n) for n in numbers if answers.answer(n) is not None]
    blank = tuple(n for n in numbers if answers.answer(n) is None)
    if 2 * len(given) < len(numbers):
        raise ItemError(
            item_name(blank[0]),
            f"Unanswered: {len(blank)} of the {len(numbers)} {name} items are blank; the scale "
            "is scored only when at least half of its items are answered.",
        )
    # Exact arithmetic, so that a full sheet's score is the published transformation exactly.
    total = sum(given) + Fraction(sum(given), len(given)) * len(blank)
    lowest, highest = ANSWERS[0] * len(numbers), ANSWERS[-1] * len(numbers)
    score = (total - lowest) * 100 / (highest - lowest)
    return ScaleScore(score=float(score), raw_sum=float(total), imputed_items=blank)
