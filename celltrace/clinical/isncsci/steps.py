"""One-segment decisions shared by the sensory, motor and neurological levels.

Every decision looks at one segment and the one below it and answers three things:
whether the search goes on caudally, whether this segment is a possible level (and
whether that possibility is starred), and whether a starred finding has been met so far.
A decision is the tuple (go_on, mark, starred) where mark is None (not a level), '' or '*'.
"""

from __future__ import annotations

from .segments import (
    AS_NORMAL,
    CAN_BE_WEAK,
    KEEPS_LEVEL_CLEAN,
    SENSORY_ABNORMAL,
    SENSORY_STARRED_NORMAL,
    STARRED_NORMAL_WEAK,
    STARRED_WEAK,
    STOPS_BLOCK,
    WEAK,
)

Decision = tuple[bool, str | None, bool]


def star(starred: bool) -> str:
    """Return the mark for a level found after a starred finding."""
    return "*" if starred else ""


def dermatome_below(lt: str, pp: str, starred: bool) -> Decision:
    """Decide a sensory level from both modalities of the next dermatome."""
    if lt == "2" and pp == "2":
        return True, None, starred
    # The sensory level is the most caudal dermatome with intact (2) light touch and pin prick.
    if lt in SENSORY_ABNORMAL or pp in SENSORY_ABNORMAL:
        return False, star(starred), starred
    # NT*: untestable for a reason other than the SCI; the level stops here, starred.
    if lt == "NT*" or pp == "NT*":
        return False, "*", True
    if lt == "NT" or pp == "NT":
        # Untested: this dermatome may be the level, and so may any below it.
        met = starred or lt in SENSORY_STARRED_NORMAL or pp in SENSORY_STARRED_NORMAL
        return True, star(starred), met
    # '**' grades are scored as normal for the classification but leave a star.
    return True, None, True


def above_key_muscles(below: str, starred: bool) -> Decision:
    """Decide C4 or L1 from the first key muscle below it (C5 or L2)."""
    mark = star(starred) if below in CAN_BE_WEAK else None
    return below not in WEAK, mark, starred or below in STARRED_NORMAL_WEAK


def key_muscle(grade: str, below: str, starred: bool) -> Decision:
    """Decide a motor level at a key muscle graded at least 3, from the muscle below it."""
    # The motor level is the lowest key muscle graded >= 3 with every muscle above it at 5.
    go_on = grade not in STOPS_BLOCK and below not in WEAK
    if grade in AS_NORMAL and below not in CAN_BE_WEAK:
        mark = None
    elif grade in STARRED_WEAK or (grade in STARRED_NORMAL_WEAK and below in CAN_BE_WEAK - WEAK):
        mark = "*"
    else:
        mark = star(starred)
    if grade not in KEEPS_LEVEL_CLEAN:
        met = starred or below not in WEAK or grade in STARRED_WEAK
    else:
        met = starred or (grade == "5" and below in STARRED_NORMAL_WEAK)
    return go_on, mark, met


def last_key_muscle(grade: str, block: Decision, starred: bool) -> Decision:
    """Decide T1 or S1, the last key muscle of a limb, with the sensory block beside it.

    With no key muscle below T1 (or S1) the Standards read the dermatomes instead, so
    `block` is the sensory decision over the limb's dermatomes.
    """
    block_go_on, block_mark, block_starred = block
    go_on = block_go_on and grade not in STOPS_BLOCK
    clean_block = block_go_on and block_mark is None
    if grade != "NT" and grade in AS_NORMAL and clean_block:
        mark = None
    elif grade in STARRED_WEAK or (grade in STARRED_NORMAL_WEAK and not clean_block):
        mark = "*"
    else:
        mark = star(starred)
    met = (
        starred
        or grade in STARRED_WEAK
        or grade in STARRED_NORMAL_WEAK
        or (grade in ("3**", "4**", "NT**") and block_go_on)
        or (grade in ("5", "NT") and clean_block and block_starred)
    )
    return go_on, mark, met


def limb_dermatomes(lt: tuple[str, ...], pp: tuple[str, ...], first: int) -> Decision:
    """Summarise the sensory decisions from the segment above a limb's first key muscle."""
    go_on, mark, starred = True, None, False
    for i in range(first - 1, first + 5):
        step_go_on, step_mark, step_starred = dermatome_below(lt[i + 1], pp[i + 1], False)
        go_on = go_on and step_go_on
        if step_mark is not None:
            mark = step_mark
        starred = starred or step_starred
    return go_on, mark, starred
