"""Synthetic ISNCSCI exams of the demo's spinal cord injury patients, baseline and check-ups.

The worksheets are built so that the product's classification engine, not the demo, decides
the AIS grade and the motor score: normal above the injury level; below it, nothing (A),
sensation only down to S4-5 with deep anal pressure (B), voluntary anal contraction and weak
key muscles (C) or mostly antigravity ones (D). The course keeps to the published natural
history of chronic injuries: most keep their grade; a few convert by one grade by the 12-month
check-up (AIS A about 11-30 % in the first year, fewer later: Kirshblum 2004, Spiess 2009),
none by more; muscle grades drift by a point now and then, mostly upward.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from celltrace.clinical.isncsci.segments import DERMATOMES, INDEX, KEY_MUSCLES

# Injury levels (the lowest normal segment) and the baseline grades, shares out of 100.
LEVELS = ("C5", "C6", "C7", "T4", "T6", "T10", "T12")
BASELINE_GRADES = {"A": 45, "B": 20, "C": 25, "D": 10}
# The chance a grade converts to the next by the 12-month check-up; D does not become E.
CONVERSION = {"A": 0.2, "B": 0.3, "C": 0.25, "D": 0.0}
CONVERTS_AT = 2  # the check-up (0: 3 months) a conversion is first seen: 12 months
# Per check-up, the chance a weak key muscle below the level gains (or loses) a grade.
GAIN, LOSS = 0.15, 0.03


@dataclass
class Injury:
    level: str
    grade: str
    muscles: dict[str, list[int]] = field(default_factory=dict)  # side -> grades below level

    @property
    def below(self) -> list[str]:
        return [m for m in KEY_MUSCLES if INDEX[m] > INDEX[self.level]]


def exam_course(rng, visits: int) -> list[dict]:
    """The baseline exam and one exam for each of `visits` check-ups (done or not)."""
    grade = _draw(rng, BASELINE_GRADES)
    injury = Injury(rng.choice(LEVELS), grade)
    for side in ("right", "left"):
        injury.muscles[side] = [_muscle(rng, grade) for _ in injury.below]
    exams = [_exam(injury)]
    converts = rng.random() < CONVERSION[grade]
    for visit in range(visits):
        if converts and visit == CONVERTS_AT:
            _convert(rng, injury)
        _drift(rng, injury)
        exams.append(_exam(injury))
    return exams


def _muscle(rng, grade: str) -> int:
    """A key muscle's grade below the level: none in A and B, weak in C, mostly 3-4 in D."""
    if grade in ("A", "B"):
        return 0
    if grade == "C":
        return rng.choice((0, 0, 1, 1, 2, 2, 3))
    return rng.choice((2, 3, 3, 4, 4, 5))


def _convert(rng, injury: Injury) -> None:
    """One grade better: sacral sensation (A to B), anal contraction and some movement (B to
    C), half the key muscles below the level antigravity (C to D)."""
    injury.grade = "ABCD"[("ABCD".index(injury.grade)) + 1]
    for grades in injury.muscles.values():
        for i, value in enumerate(grades):
            if injury.grade == "C":
                grades[i] = rng.choice((0, 1, 1, 2))
            elif injury.grade == "D":
                grades[i] = max(value, 3)


def _drift(rng, injury: Injury) -> None:
    """A check-up's small changes: C and D muscles gain or lose a grade, within the grade."""
    if injury.grade not in ("C", "D"):
        return
    ceiling = 2 if injury.grade == "C" else 5
    floor = 3 if injury.grade == "D" else 0
    for grades in injury.muscles.values():
        for i, value in enumerate(grades):
            roll = rng.random()
            if roll < GAIN and value < ceiling:
                grades[i] = value + 1
            elif roll > 1 - LOSS and value > floor:
                grades[i] = value - 1


def _exam(injury: Injury) -> dict:
    """The worksheet in the praxis-isncsci JSON form the exam screen and the API take."""
    level = INDEX[injury.level]
    below_sensation = "0" if injury.grade == "A" else "1"
    sides = {}
    for side, grades in injury.muscles.items():
        below = dict(zip(injury.below, grades, strict=True))
        motor = {m: str(below.get(m, 5)) for m in KEY_MUSCLES}
        sensory = {d: "2" if INDEX[d] <= level else below_sensation for d in DERMATOMES}
        sides[side] = {"motor": motor, "lightTouch": sensory, "pinPrick": dict(sensory)}
    return {
        **sides,
        "voluntaryAnalContraction": "Yes" if injury.grade in ("C", "D") else "No",
        "deepAnalPressure": "No" if injury.grade == "A" else "Yes",
    }


def _draw(rng, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
