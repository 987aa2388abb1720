"""Zones of partial preservation (ISNCSCI 2019, step 6)."""

from __future__ import annotations

from .segments import (
    CAN_BE_ABSENT,
    INDEX,
    INTACT,
    NOT_APPLICABLE,
    S3,
    S4_5,
    SEGMENTS,
    token_index,
)
from .steps import Decision, star

S1 = INDEX["S1"]
_BELOW_S1 = frozenset(["S2", "S3", INTACT])
# Position in the key-muscle tuple of the muscle at a segment, -1 where there is none.
_MUSCLE_AT = tuple(
    i - 4 if 4 <= i <= 8 else i - 16 if 21 <= i <= 25 else -1 for i in range(len(SEGMENTS))
)
_FUNCTION = frozenset("12345")
_NO_FUNCTION_OR_UNKNOWN = frozenset(["NT", "NT*", "0*"])


def sensory_zpp(lt: tuple[str, ...], pp: tuple[str, ...], dap: str) -> str:
    """Return the sensory ZPP of one side: dermatomes below the sensory level with sensation."""
    # ZPP applies only when S4-5 may lack sensation and deep anal pressure is not felt.
    if dap == "Yes" or lt[S4_5] not in CAN_BE_ABSENT or pp[S4_5] not in CAN_BE_ABSENT:
        return NOT_APPLICABLE
    go_on, mark, _ = _partly_felt(lt[S4_5], pp[S4_5], False)
    zone = [NOT_APPLICABLE] if dap == "NT" or not go_on or mark is not None else []
    found: list[str] = []
    starred = False
    for i in range(S3, 0, -1):
        go_on, mark, met = _partly_felt(lt[i], pp[i], starred)
        starred = starred or met
        if mark is not None:
            found.append(SEGMENTS[i] + mark)
        if not go_on:
            break
    else:
        found.append(SEGMENTS[0])
    zone.extend(reversed(found))
    return ",".join(zone)


def _partly_felt(lt: str, pp: str, starred: bool) -> Decision:
    """Decide whether a dermatome ends the zone, searching from S3 rostrally."""
    if lt == "0" and pp == "0":
        return True, None, starred
    if lt not in CAN_BE_ABSENT or pp not in CAN_BE_ABSENT:
        return False, star(starred), starred
    if lt in ("NT", "NT*") or pp in ("NT", "NT*"):
        return True, star(starred), starred
    return True, "*", True


def motor_zpp(
    side: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None],
    vac: str,
    ais: str,
    motor_level: str,
) -> str:
    """Return the motor ZPP of one side: the lowest segments with motor function."""
    if vac == "Yes":
        return NOT_APPLICABLE
    lt, pp, motor, non_key_name = side
    tokens = motor_level.replace("*", "").split(",")
    top = INDEX.get(tokens[0], S3)
    if _BELOW_S1.intersection(tokens):
        bottom = S3 if tokens[-1] == INTACT else INDEX[tokens[-1]]
    else:
        bottom = S1
    # ISNCSCI 2019: in AIS C a non-key muscle more than three levels below a segment
    # takes its place in the motor ZPP (it is what made the injury motor incomplete).
    non_key = INDEX[non_key_name] if non_key_name is not None and "C" in ais else None
    stars = _star_range(lt, pp, motor, top, bottom)
    zone, use_non_key, non_key_named = _walk_up(side, set(tokens), top, bottom, non_key, stars)
    if use_non_key and not non_key_named and non_key is not None:
        zone.append(SEGMENTS[non_key])
    zone.sort(key=token_index)
    if vac == "NT":
        zone.insert(0, NOT_APPLICABLE)
    return ",".join(zone)


def _walk_up(
    side: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None],
    levels: set[str],
    top: int,
    bottom: int,
    non_key: int | None,
    stars: tuple[int, int] | None,
) -> tuple[list[str], bool, bool]:
    lt, pp, motor, _ = side
    zone: list[str] = []
    use_non_key = non_key_named = False
    for i in range(bottom, top - 1, -1):
        replaced = non_key is not None and non_key - i > 3
        at = _MUSCLE_AT[i]
        if at < 0:
            if SEGMENTS[i] not in levels:
                continue
            mark = star(_sensory_starred(lt[i], pp[i], i, stars))
        else:
            grade = motor[at]
            has_function = grade[0] in _FUNCTION or grade in ("NT**", "0**")
            if not has_function and grade not in _NO_FUNCTION_OR_UNKNOWN:
                continue
            mark = star(stars is not None and "0*" in grade)
            if has_function and replaced:
                return zone, True, non_key_named
            if has_function:
                zone.append(SEGMENTS[i] + mark)
                return zone, use_non_key, non_key_named or i == non_key
        if replaced:
            use_non_key = True
        else:
            zone.append(SEGMENTS[i] + mark)
            non_key_named = non_key_named or (at >= 0 and i == non_key)
    return zone, use_non_key, non_key_named


def _sensory_starred(lt: str, pp: str, i: int, stars: tuple[int, int] | None) -> bool:
    if stars is None:
        return False
    if lt[0].isdigit() and lt.endswith("*") or pp[0].isdigit() and pp.endswith("*"):
        return True
    return stars[0] <= i <= stars[1]


def _star_range(
    lt: tuple[str, ...], pp: tuple[str, ...], motor: tuple[str, ...], top: int, bottom: int
) -> tuple[int, int] | None:
    """Return where starred findings reach: the first starred segment to the last normal one."""
    first = next(
        (
            i
            for i in range(1, bottom + 1)
            if "*" in lt[i] or "*" in pp[i] or (_MUSCLE_AT[i] >= 0 and "*" in motor[_MUSCLE_AT[i]])
        ),
        None,
    )
    if first is None:
        return None
    last = bottom
    for i in range(top, bottom + 1):
        at = _MUSCLE_AT[i]
        normal = _normal_sensory(lt[i]) and _normal_sensory(pp[i])
        if at >= 0:
            normal = normal and (motor[at] == "5" or motor[at].endswith("**"))
        if not normal:
            last = i - 1 if i > top else bottom
            break
    return first, last


def _normal_sensory(grade: str) -> bool:
    return grade == "2" or grade.endswith("**")
