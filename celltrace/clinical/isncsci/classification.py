"""Classify one ISNCSCI exam: levels, NLI, completeness, AIS, ZPP and totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .exam import Exam, SideValues
from .impairment import impairment_scale, injury_completeness
from .levels import (
    first_finding,
    motor_level,
    neurological_level_of_injury,
    search_start,
    sensory_level,
)
from .segments import S4_5
from .totals import SideTotals, Totals, totals_values
from .zones import motor_zpp, sensory_zpp


@dataclass(frozen=True, slots=True)
class NeurologicalLevels:
    """Sensory and motor level per side, each a comma list of possible levels."""

    sensory_right: str
    sensory_left: str
    motor_right: str
    motor_left: str


@dataclass(frozen=True, slots=True)
class ZonesOfPartialPreservation:
    """Sensory and motor ZPP per side; 'NA' where the zone does not apply."""

    sensory_right: str
    sensory_left: str
    motor_right: str
    motor_left: str


@dataclass(frozen=True, slots=True)
class Classification:
    """The classification of one exam, in the reference's strings.

    Where untested (NT) or starred findings leave a result open, the value lists every
    possibility, rostral to caudal (e.g. 'C5,C6'); a '*' marks a possibility that rests on
    impairment not due to the spinal cord injury.
    """

    neurological_levels: NeurologicalLevels
    neurological_level_of_injury: str
    injury_complete: str
    asia_impairment_scale: str
    zones_of_partial_preservation: ZonesOfPartialPreservation
    totals: Totals


def classify(exam: Exam) -> Classification:
    """Classify one exam by the International Standards (ISNCSCI, revised 2019)."""
    r, lf = exam.right, exam.left
    v = classify_values(
        (r.motor, r.light_touch, r.pin_prick, r.lowest_non_key_muscle),
        (lf.motor, lf.light_touch, lf.pin_prick, lf.lowest_non_key_muscle),
        exam.voluntary_anal_contraction,
        exam.deep_anal_pressure,
    )
    return Classification(
        NeurologicalLevels(*v[0:4]),
        v[4],
        v[5],
        v[6],
        ZonesOfPartialPreservation(*v[7:11]),
        Totals(SideTotals(*v[11:16]), SideTotals(*v[16:21]), *v[21:25]),
    )


def classify_values(right: SideValues, left: SideValues, vac: str, dap: str) -> tuple[str, ...]:
    """Classify one exam given as plain values (see read_exam); return 25 strings.

    In order: sensory and motor levels (right, left, right, left), NLI, completeness, AIS,
    the four ZPPs in the same order, then the 14 totals as totals_values() gives them.
    """
    # C1 has no dermatome; it is read as intact so that a level can be C1.
    r = (("2", *right[1]), ("2", *right[2]), right[0], right[3])
    lf = (("2", *left[1]), ("2", *left[2]), left[0], left[3])
    # Above the first abnormal finding every decision is "intact, go on": start there.
    r_start = search_start(first_finding(r[0], r[1], r[2]))
    l_start = search_start(first_finding(lf[0], lf[1], lf[2]))
    motor_right = motor_level(r[0], r[1], r[2], vac, r_start)
    motor_left = motor_level(lf[0], lf[1], lf[2], vac, l_start)
    nli = neurological_level_of_injury(r[:3], lf[:3], min(r_start, l_start))
    s45 = (r[0][S4_5], r[1][S4_5], lf[0][S4_5], lf[1][S4_5])
    completeness = injury_completeness(s45, vac, dap)
    ais = impairment_scale(r, lf, vac, dap, completeness, (motor_right, motor_left, nli))
    return (
        sensory_level(r[0], r[1], r_start),
        sensory_level(lf[0], lf[1], l_start),
        motor_right,
        motor_left,
        nli,
        completeness,
        ais,
        sensory_zpp(r[0], r[1], dap),
        sensory_zpp(lf[0], lf[1], dap),
        motor_zpp(r, vac, ais, motor_right),
        motor_zpp(lf, vac, ais, motor_left),
        *totals_values(right[:3], left[:3]),
    )


def to_reference_dict(result: Classification) -> dict[str, Any]:
    """Return the result as {"classification": ..., "totals": ...} in the reference shape."""
    levels = result.neurological_levels
    zones = result.zones_of_partial_preservation
    totals = result.totals
    return reference_dict(
        (
            levels.sensory_right, levels.sensory_left, levels.motor_right, levels.motor_left,
            result.neurological_level_of_injury, result.injury_complete,
            result.asia_impairment_scale,
            zones.sensory_right, zones.sensory_left, zones.motor_right, zones.motor_left,
            *(getattr(totals.right, f) for f in _SIDE_FIELDS),
            *(getattr(totals.left, f) for f in _SIDE_FIELDS),
            totals.upper_extremity, totals.lower_extremity, totals.light_touch, totals.pin_prick,
        )
    )  # fmt: skip


_SIDE_FIELDS = ("upper_extremity", "lower_extremity", "light_touch", "pin_prick", "motor")


def reference_dict(v: tuple[str, ...]) -> dict[str, Any]:
    """Return classify_values() output as {"classification": ..., "totals": ...}."""
    return {
        "classification": {
            "neurologicalLevels": {
                "sensoryRight": v[0], "sensoryLeft": v[1], "motorRight": v[2], "motorLeft": v[3],
            },
            "neurologicalLevelOfInjury": v[4],
            "injuryComplete": v[5],
            "ASIAImpairmentScale": v[6],
            "zoneOfPartialPreservations": {
                "sensoryRight": v[7], "sensoryLeft": v[8], "motorRight": v[9], "motorLeft": v[10],
            },
        },
        "totals": {
            "left": {
                "upperExtremity": v[16], "lowerExtremity": v[17], "lightTouch": v[18],
                "pinPrick": v[19], "motor": v[20],
            },
            "right": {
                "upperExtremity": v[11], "lowerExtremity": v[12], "lightTouch": v[13],
                "pinPrick": v[14], "motor": v[15],
            },
            "upperExtremity": v[21],
            "lowerExtremity": v[22],
            "lightTouch": v[23],
            "pinPrick": v[24],
        },
    }  # fmt: skip
