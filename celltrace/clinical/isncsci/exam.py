"""The ISNCSCI exam as typed values, read strictly from the reference JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .segments import (
    ANAL_FINDINGS,
    DERMATOMES,
    INDEX,
    KEY_MUSCLES,
    MOTOR_GRADES,
    SENSORY_GRADES,
)

SIDES = ("right", "left")
SIDE_KEYS = frozenset(["motor", "lightTouch", "pinPrick"])
OPTIONAL_SIDE_KEY = "lowestNonKeyMuscleWithMotorFunction"
EXAM_KEYS = frozenset(["right", "left", "voluntaryAnalContraction", "deepAnalPressure"])
# The non-key muscle table of the 2019 worksheet names root levels from C5 to S1.
NON_KEY_MUSCLE_LEVELS = frozenset(n for n, i in INDEX.items() if INDEX["C5"] <= i <= INDEX["S1"])
_NAME_SETS = {KEY_MUSCLES: frozenset(KEY_MUSCLES), DERMATOMES: frozenset(DERMATOMES)}


class ExamError(ValueError):
    """An exam that cannot be classified: a missing, extra or invalid field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}" if field else problem)
        self.field = field
        self.problem = problem


@dataclass(frozen=True, slots=True)
class ExamSide:
    """One side of the worksheet: key muscle grades and dermatome scores."""

    motor: tuple[str, ...]  # C5..T1, L2..S1 in KEY_MUSCLES order
    light_touch: tuple[str, ...]  # C2..S4_5 in DERMATOMES order
    pin_prick: tuple[str, ...]
    lowest_non_key_muscle: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return this side in the reference JSON form."""
        side: dict[str, Any] = {
            "motor": dict(zip(KEY_MUSCLES, self.motor, strict=True)),
            "lightTouch": dict(zip(DERMATOMES, self.light_touch, strict=True)),
            "pinPrick": dict(zip(DERMATOMES, self.pin_prick, strict=True)),
        }
        if self.lowest_non_key_muscle is not None:
            side[OPTIONAL_SIDE_KEY] = self.lowest_non_key_muscle
        return side


@dataclass(frozen=True, slots=True)
class Exam:
    """A complete ISNCSCI exam: both sides plus the anorectal findings."""

    right: ExamSide
    left: ExamSide
    voluntary_anal_contraction: str
    deep_anal_pressure: str

    def to_dict(self) -> dict[str, Any]:
        """Return the exam in the reference JSON form."""
        return {
            "right": self.right.to_dict(),
            "left": self.left.to_dict(),
            "voluntaryAnalContraction": self.voluntary_anal_contraction,
            "deepAnalPressure": self.deep_anal_pressure,
        }


# One side as plain values: (motor, light touch, pin prick, lowest non-key muscle).
SideValues = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None]


def parse_exam(data: Any) -> Exam:
    """Read one exam in the reference JSON form; raise ExamError naming the first bad field."""
    right, left, vac, dap = read_exam(data)
    return Exam(ExamSide(*right), ExamSide(*left), vac, dap)


def read_exam(data: Any) -> tuple[SideValues, SideValues, str, str]:
    """Read one exam as plain tuples (right, left, VAC, DAP), validated as parse_exam does."""
    _require_object(data, "", EXAM_KEYS, frozenset())
    return (
        _read_side(data["right"], "right"),
        _read_side(data["left"], "left"),
        _anal(data, "voluntaryAnalContraction"),
        _anal(data, "deepAnalPressure"),
    )


def _read_side(data: Any, side: str) -> SideValues:
    if type(data) is not dict or data.keys() != SIDE_KEYS:
        _require_object(data, side, SIDE_KEYS, frozenset([OPTIONAL_SIDE_KEY]))
    non_key = data.get(OPTIONAL_SIDE_KEY)
    if non_key is not None and (
        not isinstance(non_key, str) or non_key not in NON_KEY_MUSCLE_LEVELS
    ):
        raise ExamError(f"{side}.{OPTIONAL_SIDE_KEY}", f"{non_key!r} is not a level C5..S1")
    return (
        _grades(data["motor"], side, "motor", KEY_MUSCLES, MOTOR_GRADES),
        _grades(data["lightTouch"], side, "lightTouch", DERMATOMES, SENSORY_GRADES),
        _grades(data["pinPrick"], side, "pinPrick", DERMATOMES, SENSORY_GRADES),
        non_key,
    )


def _grades(
    data: Any, side: str, part: str, names: tuple[str, ...], allowed: frozenset[str]
) -> tuple[str, ...]:
    # JSON objects keep their order: when the keys come in worksheet order (the usual case),
    # one comparison checks them all and the values can be taken as they stand.
    if type(data) is dict and tuple(data) == names:
        values = tuple(data.values())
    else:
        _require_object(data, f"{side}.{part}", _NAME_SETS[names], frozenset())
        values = tuple(map(data.__getitem__, names))
    try:
        if allowed.issuperset(values):
            return values
    except TypeError:  # an unhashable value (a list, an object): named below
        pass
    kind = "motor" if part == "motor" else "sensory"
    for name, value in zip(names, values, strict=True):
        if not isinstance(value, str) or value not in allowed:
            raise ExamError(f"{side}.{part}.{name}", f"{value!r} is not a {kind} grade")
    raise AssertionError("unreachable: some value was not allowed")


def _anal(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or value not in ANAL_FINDINGS:
        raise ExamError(key, f"{value!r} is not one of 'Yes', 'No', 'NT'")
    return value


def _require_object(
    data: Any, field: str, required: frozenset[str], optional: frozenset[str]
) -> None:
    where = field or "exam"
    if type(data) is not dict and not isinstance(data, Mapping):
        raise ExamError(field, f"{where} must be a JSON object, not {type(data).__name__}")
    keys = data.keys()
    if keys == required:
        return
    missing = sorted(required - keys, key=_order)
    if missing:
        raise ExamError(_join(field, missing[0]), "missing")
    extra = sorted(keys - required - optional, key=str)
    if extra:
        raise ExamError(_join(field, str(extra[0])), "unexpected field")


def _join(field: str, key: str) -> str:
    return f"{field}.{key}" if field else key


_DERMATOME_ORDER = {n: i for i, n in enumerate(DERMATOMES)}


def _order(name: str) -> tuple[int, str]:
    return (_DERMATOME_ORDER.get(name, len(_DERMATOME_ORDER)), name)
