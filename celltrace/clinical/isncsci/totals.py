"""Motor and sensory totals of the ISNCSCI worksheet."""

from __future__ import annotations

from dataclasses import dataclass

from .segments import MOTOR_GRADES, NOT_DETERMINABLE, NOT_TESTED

# A starred grade still counts its number: the star qualifies the cause, not the score.
# An untested point leaves the total not determinable (ND): it weighs more than any sum.
_UNTESTED = -1000
_MOTOR_POINTS = {g: (_UNTESTED if g in NOT_TESTED else int(g.rstrip("*"))) for g in MOTOR_GRADES}


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
    return SideTotals(*_text(_side_sums(motor, light_touch, pin_prick)))


def exam_totals(right: SideTotals, left: SideTotals) -> Totals:
    """Return both sides' totals and their sums."""
    return Totals(
        right,
        left,
        *(
            _add(a, b)
            for a, b in (
                (right.upper_extremity, left.upper_extremity),
                (right.lower_extremity, left.lower_extremity),
                (right.light_touch, left.light_touch),
                (right.pin_prick, left.pin_prick),
            )
        ),
    )


def totals_values(
    right: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
    left: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
) -> tuple[str, ...]:
    """Return the 14 totals as text: right side, left side (as SideTotals), then the sums.

    Each side is (motor, light touch, pin prick), the dermatomes C2..S4_5 as on the worksheet.
    """
    r = _side_sums(*right)
    lf = _side_sums(*left)
    both = (_plus(r[0], lf[0]), _plus(r[1], lf[1]), _plus(r[2], lf[2]), _plus(r[3], lf[3]))
    return tuple(map(_TEXT.__getitem__, r + lf + both))


def _plus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _side_sums(
    motor: tuple[str, ...], light_touch: tuple[str, ...], pin_prick: tuple[str, ...]
) -> tuple[int | None, ...]:
    points = _MOTOR_POINTS.__getitem__
    upper = sum(map(points, motor[:5]))
    lower = sum(map(points, motor[5:]))
    if upper < 0 or lower < 0:
        both = None
        upper = None if upper < 0 else upper
        lower = None if lower < 0 else lower
    else:
        both = upper + lower
    return upper, lower, _sensory_sum(light_touch), _sensory_sum(pin_prick), both


def _sensory_sum(grades: tuple[str, ...]) -> int | None:
    # Sensory grades carry one digit (0, 1 or 2) or none (NT): count the digits at once.
    text = "".join(grades)
    if "N" in text:
        return None
    return text.count("1") + 2 * text.count("2")


# Every total as text, looked up rather than formatted: no sum exceeds 2 x 56.
_TEXT = {None: NOT_DETERMINABLE} | {t: str(t) for t in range(113)}


def _text(totals: tuple[int | None, ...]) -> tuple[str, ...]:
    return tuple(map(_TEXT.__getitem__, totals))


def _add(a: str, b: str) -> str:
    if a == NOT_DETERMINABLE or b == NOT_DETERMINABLE:
        return NOT_DETERMINABLE
    return str(int(a) + int(b))
