"""Motor and sensory totals of the ISNCSCI worksheet."""

from __future__ import annotations

from dataclasses import dataclass

from .segments import MOTOR_GRADES, NOT_DETERMINABLE, NOT_TESTED, SENSORY_GRADES

# A starred grade still counts its number: the star qualifies the cause, not the score.
# An untested point leaves the total not determinable (ND): it weighs more than any sum.
_UNTESTED = -1000
_POINTS = {
    g: (_UNTESTED if g in NOT_TESTED else int(g.rstrip("*"))) for g in MOTOR_GRADES | SENSORY_GRADES
}


@dataclass(frozen=True, slots=True)
class SideTotals:
    """One side's totals: upper and lower extremity motor, motor, light touch, pin prick."""

    upper_extremity: str
    lower_extremity: str
    light_touch: str
    pin_prick: str
    motor: str


@dataclass(frozen=True, slots=True)
class Totals:
    """The 14 worksheet totals, each an integer as text or 'ND'."""

    right: SideTotals
    left: SideTotals
    upper_extremity: str
    lower_extremity: str
    light_touch: str
    pin_prick: str


def side_totals(
    motor: tuple[str, ...], light_touch: tuple[str, ...], pin_prick: tuple[str, ...]
) -> SideTotals:
    """Return one side's totals (light touch and pin prick over C2..S4_5, max 56 each)."""
    upper = _sum(motor[:5])
    lower = _sum(motor[5:])
    return SideTotals(
        upper_extremity=_text(upper),
        lower_extremity=_text(lower),
        light_touch=_text(_sum(light_touch)),
        pin_prick=_text(_sum(pin_prick)),
        motor=_text(None if upper is None or lower is None else upper + lower),
    )


def exam_totals(right: SideTotals, left: SideTotals) -> Totals:
    """Return both sides' totals and their sums."""
    return Totals(
        right=right,
        left=left,
        upper_extremity=_add(right.upper_extremity, left.upper_extremity),
        lower_extremity=_add(right.lower_extremity, left.lower_extremity),
        light_touch=_add(right.light_touch, left.light_touch),
        pin_prick=_add(right.pin_prick, left.pin_prick),
    )


def _sum(grades: tuple[str, ...]) -> int | None:
    total = sum(map(_POINTS.__getitem__, grades))
    return None if total < 0 else total


def _text(total: int | None) -> str:
    return NOT_DETERMINABLE if total is None else str(total)


def _add(a: str, b: str) -> str:
    if a == NOT_DETERMINABLE or b == NOT_DETERMINABLE:
        return NOT_DETERMINABLE
    return str(int(a) + int(b))
