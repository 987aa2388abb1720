"""Sensory, motor and neurological levels of injury (ISNCSCI 2019, steps 1 to 3)."""

from __future__ import annotations

from .segments import INDEX, INTACT, S3, S4_5, SEGMENTS
from .steps import (
    Decision,
    above_key_muscles,
    dermatome_below,
    key_muscle,
    last_key_muscle,
    limb_dermatomes,
    star,
)

C4, C5, T1, L1, L2, S1 = (INDEX[n] for n in ("C4", "C5", "T1", "L1", "L2", "S1"))

# How each segment is judged for the motor level: where no key muscle is tested
# (C1-C4, T2-L1, S2-S5) the Standards take the motor level to follow the sensory level.
SENSORY, ABOVE_MUSCLES, MUSCLE, LAST_MUSCLE, SACRAL = range(5)
_MOTOR_RULE = tuple(
    ABOVE_MUSCLES
    if i in (C4, L1)
    else MUSCLE
    if C5 <= i < T1 or L2 <= i < S1
    else LAST_MUSCLE
    if i in (T1, S1)
    else SACRAL
    if i == S4_5
    else SENSORY
    for i in range(len(SEGMENTS))
)
# Position in the key-muscle tuple of the muscle at a segment (C5..T1 -> 0..4, L2..S1 -> 5..9).
MUSCLE_AT = tuple(
    i - C5 if C5 <= i <= T1 else i - L2 + 5 if L2 <= i <= S1 else -1 for i in range(len(SEGMENTS))
)


def first_finding(lt: tuple[str, ...], pp: tuple[str, ...], motor: tuple[str, ...]) -> int:
    """Return the first segment that is not intact (sensation 2, key muscle 5), or 29."""
    for i in range(1, S4_5 + 1):
        if lt[i] != "2" or pp[i] != "2":
            return i
        at = MUSCLE_AT[i]
        if at >= 0 and motor[at] != "5":
            return i
    return S4_5 + 1


def search_start(first: int) -> int:
    """Return where a level search may start: every decision reads at most one segment ahead."""
    return max(0, first - 1)


def sensory_level(lt: tuple[str, ...], pp: tuple[str, ...], start: int = 0) -> str:
    """Return the sensory level of one side as a comma list of possible levels."""
    found: list[str] = []
    starred = False
    for i in range(start, S4_5):
        below_lt, below_pp = lt[i + 1], pp[i + 1]
        if below_lt == "2" and below_pp == "2":
            continue  # intact below: the search goes on (inlined for speed)
        go_on, mark, met = dermatome_below(below_lt, below_pp, starred)
        starred = starred or met
        if mark is not None:
            found.append(SEGMENTS[i] + mark)
        if not go_on:
            return ",".join(found)
    found.append(INTACT + star(starred))
    return ",".join(found)


def motor_level(
    lt: tuple[str, ...], pp: tuple[str, ...], motor: tuple[str, ...], vac: str, start: int = 0
) -> str:
    """Return the motor level of one side as a comma list of possible levels."""
    found: list[str] = []
    starred = False
    for i in range(start, S4_5):
        if _MOTOR_RULE[i] == SENSORY and lt[i + 1] == "2" and pp[i + 1] == "2":
            continue  # intact below: the search goes on (inlined for speed)
        go_on, mark, met = _motor_decision(i, lt, pp, motor, starred)
        starred = starred or met
        if mark is not None:
            found.append(SEGMENTS[i] + mark)
        if not go_on:
            return ",".join(found)
    return ",".join(_sacral_motor(found, vac, starred))


def _motor_decision(
    i: int, lt: tuple[str, ...], pp: tuple[str, ...], motor: tuple[str, ...], starred: bool
) -> Decision:
    rule = _MOTOR_RULE[i]
    if rule == SENSORY:
        return dermatome_below(lt[i + 1], pp[i + 1], starred)
    if rule == ABOVE_MUSCLES:
        return above_key_muscles(motor[MUSCLE_AT[i + 1]], starred)
    if rule == MUSCLE:
        at = MUSCLE_AT[i]
        return key_muscle(motor[at], motor[at + 1], starred)
    first = C5 if i == T1 else L2
    return last_key_muscle(motor[MUSCLE_AT[i]], limb_dermatomes(lt, pp, first), starred)


def _sacral_motor(found: list[str], vac: str, starred: bool) -> list[str]:
    # Below S1 the motor level follows sensation down to S3; only voluntary anal
    # contraction shows motor function at S4-5, so without it the motor level stops at S3.
    if vac != "Yes" and not any(t.rstrip("*") == "S3" for t in found):
        found.append(SEGMENTS[S3] + star(starred))
    if vac != "No":
        found.append(INTACT + star(starred))
    return found


def neurological_level_of_injury(
    right: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
    left: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
    start: int = 0,
) -> str:
    """Return the NLI: the most rostral of the four levels, searched on both sides at once."""
    r_lt, r_pp, r_mo = right
    l_lt, l_pp, l_mo = left
    found: list[str] = []
    starred = False
    for i in range(start, S4_5):
        rule = _MOTOR_RULE[i]
        if (
            rule == SENSORY
            and r_lt[i + 1] == "2"
            and r_pp[i + 1] == "2"
            and l_lt[i + 1] == "2"
            and l_pp[i + 1] == "2"
        ):
            continue  # intact below on both sides: the search goes on (inlined for speed)
        sensory = _both_sides(
            dermatome_below(r_lt[i + 1], r_pp[i + 1], starred),
            dermatome_below(l_lt[i + 1], l_pp[i + 1], starred),
            starred,
        )
        if rule == SENSORY:
            go_on, mark, met = sensory
        else:
            go_on, mark, met = _with_motor(i, r_mo, l_mo, sensory, starred)
        starred = starred or met
        if mark is not None:
            found.append(SEGMENTS[i] + mark)
        if not go_on:
            return ",".join(found)
    found.append(INTACT + star(starred))
    return ",".join(found)


def _both_sides(right: Decision, left: Decision, starred: bool) -> Decision:
    r_go_on, r_mark, r_met = right
    l_go_on, l_mark, l_met = left
    if r_mark is None and l_mark is None:
        mark = None
    elif r_mark == "*" and l_mark == "*":
        mark = "*"
    else:
        mark = star(starred)
    return r_go_on and l_go_on, mark, starred or r_met or l_met


def _with_motor(
    i: int, r_mo: tuple[str, ...], l_mo: tuple[str, ...], sensory: Decision, starred: bool
) -> Decision:
    rule = _MOTOR_RULE[i]
    if rule == ABOVE_MUSCLES:
        below = MUSCLE_AT[i + 1]
        right = above_key_muscles(r_mo[below], starred)
        left = above_key_muscles(l_mo[below], starred)
    else:
        at = MUSCLE_AT[i]
        # T1 and S1 have no key muscle below: judge them against themselves.
        below = at if rule == LAST_MUSCLE else at + 1
        right = key_muscle(r_mo[at], r_mo[below], starred)
        left = key_muscle(l_mo[at], l_mo[below], starred)
    s_go_on, s_mark, s_met = sensory
    r_go_on, r_mark, r_met = right
    l_go_on, l_mark, l_met = left
    if r_mark is None and l_mark is None and s_mark is None:
        mark = None
    elif r_mark is not None and l_mark is not None and "*" in (r_mark, l_mark):
        mark = "*"
    else:
        mark = star(starred)
    if not s_go_on:
        return False, mark, s_met
    return r_go_on and l_go_on, mark, starred or s_met or r_met or l_met
