"""The Expanded Disability Status Scale (EDSS) step from a Neurostatus-EDSS scoring sheet.

Kurtzke JF, Neurology 1983;33:1444-52, as standardised by Neurostatus (Kappos, scoring
definitions 04/10.2). Below step 5.0 the step follows the functional system (FS) grades; the
ambulation score sets the least step the patient can have. Every choice where public
calculators disagree is written down, with its source, in docs/clinical/edss.md.
"""

from __future__ import annotations

from dataclasses import dataclass

# Neurostatus converts the raw visual and bowel/bladder grades before the EDSS is read.
VISUAL_CONVERSION = (0, 1, 2, 2, 3, 3, 4)
BOWEL_BLADDER_CONVERSION = (0, 1, 2, 3, 3, 4, 5)

# Neurostatus ambulation score 0-16 -> the least EDSS step it allows. Scores 0 (unrestricted)
# and 1 (fully ambulatory, >= 500 m) leave the step to the FS grades, but 1 means the patient
# is no longer unrestricted, so at least 2.0 (the two reference calculators; see the docs).
AMBULATION_FLOOR = (
    0.0, 2.0, 4.5, 5.0, 5.5, 6.0, 6.0, 6.0, 6.5, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0,
)  # fmt: skip

EDSS_STEPS = (0.0, *(step / 2 for step in range(2, 21)))

_HIGHEST = {
    "visual": 6,
    "brainstem": 5,
    "pyramidal": 6,
    "cerebellar": 5,
    "sensory": 6,
    "bowel_bladder": 6,
    "cerebral": 5,
    "ambulation": 16,
}


class FunctionalSystemsError(ValueError):
    """A grade on the scoring sheet is not an integer within its scale."""

    def __init__(self, field: str, value: object) -> None:
        self.field = field
        self.value = value
        self.highest = _HIGHEST[field]
        super().__init__(
            f"{field} must be an integer from 0 to {self.highest}, got {value!r}",
        )


@dataclass(frozen=True, slots=True)
class FunctionalSystems:
    """One scoring sheet: seven FS grades (visual, bowel/bladder raw) and the ambulation score."""

    visual: int
    brainstem: int
    pyramidal: int
    cerebellar: int
    sensory: int
    bowel_bladder: int
    cerebral: int
    ambulation: int

    def __post_init__(self) -> None:
        for name, highest in _HIGHEST.items():
            value = getattr(self, name)
            # bool is an int in Python, but True is no grade.
            if type(value) is not int or not 0 <= value <= highest:
                raise FunctionalSystemsError(name, value)

    def converted_grades(self) -> tuple[int, ...]:
        """Return the seven grades as the EDSS reads them."""
        return (
            VISUAL_CONVERSION[self.visual],
            self.brainstem,
            self.pyramidal,
            self.cerebellar,
            self.sensory,
            BOWEL_BLADDER_CONVERSION[self.bowel_bladder],
            # Kurtzke 1983, EDSS 0.0 and 1.0: "Cerebral grade 1 acceptable" / "excluding
            # Cerebral grade 1"; Neurostatus keeps that rule. The reference calculators do not.
            0 if self.cerebral == 1 else self.cerebral,
        )


@dataclass(frozen=True, slots=True)
class EdssScore:
    """The EDSS step and the two readings it is the larger of."""

    edss: float
    functional_step: float
    ambulation_step: float


def score_edss(systems: FunctionalSystems) -> EdssScore:
    """Score the EDSS step of one Neurostatus-EDSS scoring sheet."""
    functional = functional_step(systems.converted_grades())
    floor = AMBULATION_FLOOR[systems.ambulation]
    return EdssScore(edss=max(functional, floor), functional_step=functional, ambulation_step=floor)


def functional_step(grades: tuple[int, ...]) -> float:
    """Return the step the converted FS grades reach on their own (0.0 to 5.0)."""
    top = max(grades)
    if top >= 5:
        return 5.0
    fours, threes, twos = grades.count(4), grades.count(3), grades.count(2)
    if top == 4:
        return _step_with_a_grade_4(fours, threes, twos)
    if top == 3:
        return _step_with_a_grade_3(threes, twos)
    if top == 2:
        return _step_with_grade_2s(twos)
    ones = grades.count(1)
    return 0.0 if ones == 0 else 1.0 if ones == 1 else 1.5


def _step_with_a_grade_4(fours: int, threes: int, twos: int) -> float:
    """Step 4.0 to 5.0 when the worst FS is grade 4."""
    # Kurtzke 5.0: lesser grades "usually exceeding specifications for step 4.0".
    if fours >= 2 or threes >= 3:
        return 5.0
    # Kurtzke gives 4.0 and 4.5 the same FS wording; the reference cases put any grade 2 or 3
    # beside the grade 4 at 4.5 (docs/clinical/edss.md, decision 4).
    if threes or twos:
        return 4.5
    return 4.0


def _step_with_a_grade_3(threes: int, twos: int) -> float:
    """Step 3.0 to 5.0 when the worst FS is grade 3."""
    if threes >= 6:
        return 5.0
    if threes == 5:
        return 4.5
    if threes >= 3:
        return 4.0
    if threes == 2:
        # Kurtzke 3.5: "two FS grade 3 (others 0 or 1)"; any grade 2 beside them exceeds it.
        return 4.0 if twos else 3.5
    # Kurtzke 3.0: one grade 3, others 0 or 1; 3.5: one grade 3 and one or two grade 2.
    if twos >= 3:
        return 4.0
    return 3.5 if twos else 3.0


def _step_with_grade_2s(twos: int) -> float:
    """Step 2.0 to 4.0 when the worst FS is grade 2 (Kurtzke 2.0 to 3.5, then 4.0)."""
    if twos >= 6:
        return 4.0
    return {1: 2.0, 2: 2.5, 3: 3.0, 4: 3.0, 5: 3.5}[twos]
