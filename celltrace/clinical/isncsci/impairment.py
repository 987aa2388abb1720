"""Completeness and the ASIA Impairment Scale (ISNCSCI 2019, steps 4 and 5)."""

from __future__ import annotations

from .levels import neurological_level_of_injury
from .segments import (
    CAN_BE_ABSENT,
    FIRST_MUSCLE_BELOW,
    INTACT,
    KEY_MUSCLES,
    MOTOR_GRADES,
    S4_5,
    SENSORY_GRADES,
    token_index,
)

# The ASIA Impairment Scale's grades, from complete (A) to normal (E): a later grade is a
# better one. Stored as the ordinal 0-4; every reader of AIS grades takes them from here.
AIS_GRADES = ("A", "B", "C", "D", "E")

Side = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None]  # lt, pp, motor, nkm

_ZERO_OR_ZERO_STAR = frozenset(["0", "0*"])
_ZERO_OR_ZERO_DOUBLE = frozenset(["0", "0**"])
_ZERO_ANY_STAR = frozenset(["0", "0*", "0**"])
_MAY_HAVE_NO_FUNCTION = frozenset(["0", "NT", "NT*", "0*"])
_BELOW_3 = frozenset(["0", "1", "2", "NT", "NT*"])
_STARRED_BELOW_3 = frozenset(["0*", "1*", "2*"])
_WEAK = frozenset(["0", "1", "2"])
_STARRED_AT_LEAST_3 = frozenset(["0*", "1*", "2*", "0**", "1**", "2**"])
_AT_FACE_VALUE = {g: g.rstrip("*") for g in MOTOR_GRADES | SENSORY_GRADES}


def injury_completeness(s45: tuple[str, str, str, str], vac: str, dap: str) -> str:
    """Return 'C', 'I' or the possibilities: complete means no sacral sparing at S4-5."""
    if vac != "Yes" and dap != "Yes" and all(v in CAN_BE_ABSENT for v in s45):
        if vac == "No" and dap == "No":
            if all(v == "0" for v in s45):
                return "C"
            if all(v in _ZERO_OR_ZERO_STAR for v in s45):
                return "C*,I*"
        return "C,I"
    if vac == "No" and dap == "No" and all(v in _ZERO_OR_ZERO_DOUBLE for v in s45):
        return "I*"
    return "I"


def impairment_scale(
    right: Side, left: Side, vac: str, dap: str, completeness: str, levels: tuple[str, str, str]
) -> str:
    """Return the ASIA Impairment Scale grades the exam allows, as a comma list."""
    motor_right, motor_left, nli = levels
    # Intact levels everywhere and voluntary anal contraction present: normal (E).
    if vac == "Yes" and nli in (INTACT, INTACT + "*"):
        return "E" if nli == INTACT else "E*"
    s45 = (right[0][S4_5], right[1][S4_5], left[0][S4_5], left[1][S4_5])
    sensory_spared = dap != "No" or any(v != "0" for v in s45)
    sparing_starred = (
        dap == "No" and not all(v == "0" for v in s45) and all(v in _ZERO_ANY_STAR for v in s45)
    )
    grades: list[str] = []
    if "C" in completeness:
        grades.append("A*" if "*" in completeness else "A")
    b_possible, b_starred = _motor_complete(right, left, vac, (motor_right, motor_left))
    if sensory_spared and b_possible:
        grades.append("B*" if (sparing_starred or b_starred) else "B")
    incomplete, incomplete_starred = _motor_incomplete(
        right, left, vac, sensory_spared, (motor_right, motor_left)
    )
    if incomplete:
        grades.extend(_c_and_d(right, left, nli, incomplete_starred))
    if INTACT in nli and vac != "No":
        grades.append("E*" if INTACT + "*" in nli else "E")
    return ",".join(grades)


def _motor_complete(
    right: Side, left: Side, vac: str, motor_levels: tuple[str, str]
) -> tuple[bool, bool]:
    # AIS B (2019): no motor function more than three levels below the motor level on
    # either side, counting the lowest non-key muscle with motor function.
    r_ok, r_star = _may_lack_function_below(right[2], motor_levels[0], right[3])
    l_ok, l_star = _may_lack_function_below(left[2], motor_levels[1], left[3])
    return vac != "Yes" and r_ok and l_ok, vac == "No" and (r_star or l_star)


def _may_lack_function_below(
    motor: tuple[str, ...], motor_level: str, non_key: str | None
) -> tuple[bool, bool]:
    starred = False
    for token in motor_level.split(","):
        first = FIRST_MUSCLE_BELOW[_index_for_b(token) + 4]
        for m in range(first, len(KEY_MUSCLES)):
            grade = motor[m]
            if grade in ("0*", "0**"):
                starred = True
            if grade not in _MAY_HAVE_NO_FUNCTION or KEY_MUSCLES[m] == non_key:
                break
        else:
            return True, starred
    return False, False


def _index_for_b(token: str) -> int:
    # An intact motor level searches every key muscle, as if the level were above C5.
    index = token_index(token)
    return -1 if index > S4_5 else index


def _motor_incomplete(
    right: Side, left: Side, vac: str, sensory_spared: bool, motor_levels: tuple[str, str]
) -> tuple[bool, bool]:
    # Motor incomplete: voluntary anal contraction, or sensory sparing with motor function
    # more than three levels below the motor level on either side.
    if vac != "No":
        return True, False
    if not sensory_spared:
        return False, False
    r_ok, r_star = _may_have_function_below(right[2], motor_levels[0], right[3])
    l_ok, l_star = _may_have_function_below(left[2], motor_levels[1], left[3])
    if r_ok or l_ok:
        return True, r_star or l_star
    return False, False


def _may_have_function_below(
    motor: tuple[str, ...], motor_level: str, non_key: str | None
) -> tuple[bool, bool]:
    starred = False
    for token in motor_level.split(","):
        first = FIRST_MUSCLE_BELOW[min(token_index(token) + 4, S4_5)]
        for m in range(first, len(KEY_MUSCLES)):
            if motor[m] == "0**":
                starred = True
            if motor[m] != "0" or KEY_MUSCLES[m] == non_key:
                return True, starred
    return starred, starred


def _c_and_d(right: Side, left: Side, nli: str, incomplete_starred: bool) -> list[str]:
    grades: list[str] = []
    c, c_starred = _fewer_than_half_antigravity(right[2], left[2], nli)
    if c:
        if c_starred or incomplete_starred or not _c_without_stars(right, left):
            grades.append("C*")
        else:
            grades.append("C")
    d, d_starred = _half_or_more_antigravity(right[2], left[2], nli)
    if d:
        grades.append("D*" if d_starred or incomplete_starred else "D")
    return grades


def _c_without_stars(right: Side, left: Side) -> bool:
    # A starred grade may change the grade: C stands unstarred only if it survives
    # reading every starred value at face value.
    if not any("*" in "".join(part) for part in (*right[:3], *left[:3])):
        return True
    r = tuple(tuple(map(_AT_FACE_VALUE.__getitem__, part)) for part in right[:3])
    lf = tuple(tuple(map(_AT_FACE_VALUE.__getitem__, part)) for part in left[:3])
    nli = neurological_level_of_injury(r, lf)
    return _fewer_than_half_antigravity(r[2], lf[2], nli)[0]


def _fewer_than_half_antigravity(
    r_mo: tuple[str, ...], l_mo: tuple[str, ...], nli: str
) -> tuple[bool, bool]:
    # AIS C: fewer than half of the key muscles below the NLI are grade 3 or more.
    for token in nli.split(","):
        first = FIRST_MUSCLE_BELOW[token_index(token) + 1]
        half = len(KEY_MUSCLES) - first
        below = r_mo[first:] + l_mo[first:]
        # Counts only grow muscle by muscle, so the whole range decides as early exits would.
        weak = sum(map(_BELOW_3.__contains__, below))
        if weak > half:
            return True, False
        if weak + sum(map(_STARRED_BELOW_3.__contains__, below)) > half:
            return True, True
    return False, False


def _half_or_more_antigravity(
    r_mo: tuple[str, ...], l_mo: tuple[str, ...], nli: str
) -> tuple[bool, bool]:
    # AIS D: at least half of the key muscles below the NLI are grade 3 or more.
    found = starred_only = False
    for token in nli.split(","):
        index = token_index(token)
        if index > S4_5:
            # An intact NLI is graded E, never D.
            continue
        first = FIRST_MUSCLE_BELOW[index + 1]
        half = len(KEY_MUSCLES) - first
        if half == 0:
            return True, False
        below = r_mo[first:] + l_mo[first:]
        # A starred grade of 3 or more counts as strong and as starred: strong - starred
        # never falls muscle by muscle, so the whole range decides as early exits would.
        strong = len(below) - sum(map(_WEAK.__contains__, below))
        starred = sum(map(_STARRED_AT_LEAST_3.__contains__, below))
        if strong - starred >= half:
            return True, False
        if strong >= half:
            found = True
            starred_only = starred_only or strong - starred < half
    return found, starred_only
