"""Spinal segments, key muscles and the grade vocabulary of the ISNCSCI 2019 worksheet."""

from __future__ import annotations

# C1 has no dermatome on the worksheet; it stands for "above C2" so a level can be C1.
SEGMENTS = (
    ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8")
    + tuple(f"T{n}" for n in range(1, 13))
    + ("L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4_5")
)
INDEX = {name: i for i, name in enumerate(SEGMENTS)}
DERMATOMES = SEGMENTS[1:]
KEY_MUSCLES = ("C5", "C6", "C7", "C8", "T1", "L2", "L3", "L4", "L5", "S1")
UPPER_KEY_MUSCLES = KEY_MUSCLES[:5]
LOWER_KEY_MUSCLES = KEY_MUSCLES[5:]
KEY_MUSCLE_INDEXES = tuple(INDEX[m] for m in KEY_MUSCLES)

S3 = INDEX["S3"]
S4_5 = INDEX["S4_5"]
INTACT = "INT"
NOT_APPLICABLE = "NA"
NOT_DETERMINABLE = "ND"

# The 2019 worksheet: '*' marks impairment thought not due to the SCI (the examiner leaves the
# classification open), '**' marks impairment not due to the SCI that is scored as normal.
MOTOR_GRADES = frozenset(
    [str(g) for g in range(6)]
    + [f"{g}*" for g in range(5)]
    + [f"{g}**" for g in range(5)]
    + ["NT", "NT*", "NT**"]
)
SENSORY_GRADES = frozenset(["0", "1", "2", "0*", "1*", "0**", "1**", "NT", "NT*", "NT**"])
ANAL_FINDINGS = frozenset(["Yes", "No", "NT"])

# Motor grades by what they allow the classification to assume.
WEAK = frozenset(["0", "1", "2"])  # below antigravity because of the SCI
STARRED_WEAK = frozenset(["0*", "1*", "2*", "NT*"])
STARRED_NORMAL_WEAK = frozenset(["0**", "1**", "2**"])
AS_NORMAL = frozenset(["5", "0**", "1**", "2**", "3**", "4**", "NT**"])
CAN_BE_WEAK = WEAK | STARRED_WEAK | {"NT"}
STOPS_BLOCK = frozenset(["3", "4", "0*", "1*", "2*", "3*", "4*", "NT*"])
KEEPS_LEVEL_CLEAN = frozenset(["5", "3", "4", "3*", "4*", "NT"])
DOUBLE_STARRED = frozenset(["0**", "1**", "2**", "3**", "4**", "NT**"])

# Sensory grades: only 2 is normal; '**' grades are read as normal but leave a star.
SENSORY_ABNORMAL = frozenset(["0", "1", "0*", "1*"])
SENSORY_STARRED_NORMAL = frozenset(["0**", "1**"])
CAN_BE_ABSENT = frozenset(["0", "NT", "0*", "NT*"])

NOT_TESTED = frozenset(["NT", "NT*", "NT**"])


def first_muscle_below(index: int) -> int:
    """Return the position in KEY_MUSCLES of the first key muscle at or below a segment."""
    if index <= INDEX["C4"]:
        return 0
    if index <= INDEX["T1"]:
        return index - INDEX["C5"]
    if index <= INDEX["L1"]:
        return 5
    if index <= INDEX["S1"]:
        return index - INDEX["L2"] + 5
    return len(KEY_MUSCLES)


# Precomputed: the position of the first key muscle at or below each segment (and past S4_5).
FIRST_MUSCLE_BELOW = tuple(first_muscle_below(i) for i in range(len(SEGMENTS) + 5))


_TOKEN_INDEX = {
    name + mark: i for i, name in enumerate((*SEGMENTS, INTACT)) for mark in ("", "*")
} | {NOT_APPLICABLE: -1}


# token_index('T6*') is the segment index of a level token; 'INT' sorts last, 'NA' first.
# A bound lookup rather than a function: it is called for every token of every level.
token_index = _TOKEN_INDEX.__getitem__
