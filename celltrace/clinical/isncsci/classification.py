"""Classify one ISNCSCI exam: levels, NLI, completeness, AIS, ZPP and totals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .exam import Exam, ExamSide
from .impairment import impairment_scale, injury_completeness
from .levels import (
    first_finding,
    motor_level,
    neurological_level_of_injury,
    search_start,
    sensory_level,
)
from .segments import S4_5
from .totals import SideTotals, Totals, exam_totals, side_totals
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
    right = _by_segment(exam.right)
    left = _by_segment(exam.left)
    vac = exam.voluntary_anal_contraction
    dap = exam.deep_anal_pressure
    # Above the first abnormal finding every decision is "intact, go on": start there.
    r_first = first_finding(right[0], right[1], right[2])
    l_first = first_finding(left[0], left[1], left[2])
    r_start, l_start = search_start(r_first), search_start(l_first)
    levels = NeurologicalLevels(
        sensory_right=sensory_level(right[0], right[1], r_start),
        sensory_left=sensory_level(left[0], left[1], l_start),
        motor_right=motor_level(right[0], right[1], right[2], vac, r_start),
        motor_left=motor_level(left[0], left[1], left[2], vac, l_start),
    )
    nli = neurological_level_of_injury(right[:3], left[:3], min(r_start, l_start))
    s45 = (right[0][S4_5], right[1][S4_5], left[0][S4_5], left[1][S4_5])
    completeness = injury_completeness(s45, vac, dap)
    ais = impairment_scale(
        right, left, vac, dap, completeness, (levels.motor_right, levels.motor_left, nli)
    )
    zones = ZonesOfPartialPreservation(
        sensory_right=sensory_zpp(right[0], right[1], dap),
        sensory_left=sensory_zpp(left[0], left[1], dap),
        motor_right=motor_zpp(right, vac, ais, levels.motor_right),
        motor_left=motor_zpp(left, vac, ais, levels.motor_left),
    )
    totals = exam_totals(
        side_totals(exam.right.motor, exam.right.light_touch, exam.right.pin_prick),
        side_totals(exam.left.motor, exam.left.light_touch, exam.left.pin_prick),
    )
    return Classification(levels, nli, completeness, ais, zones, totals)


def _by_segment(
    side: ExamSide,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None]:
    # C1 has no dermatome; it is read as intact so that a level can be C1.
    return ("2", *side.light_touch), ("2", *side.pin_prick), side.motor, side.lowest_non_key_muscle


def to_reference_dict(result: Classification) -> dict[str, Any]:
    """Return the result as {"classification": ..., "totals": ...} in the reference shape."""
    levels = result.neurological_levels
    zones = result.zones_of_partial_preservation
    totals = result.totals
    return {
        "classification": {
            "neurologicalLevels": {
                "sensoryRight": levels.sensory_right,
                "sensoryLeft": levels.sensory_left,
                "motorRight": levels.motor_right,
                "motorLeft": levels.motor_left,
            },
            "neurologicalLevelOfInjury": result.neurological_level_of_injury,
            "injuryComplete": result.injury_complete,
            "ASIAImpairmentScale": result.asia_impairment_scale,
            "zoneOfPartialPreservations": {
                "sensoryRight": zones.sensory_right,
                "sensoryLeft": zones.sensory_left,
                "motorRight": zones.motor_right,
                "motorLeft": zones.motor_left,
            },
        },
        "totals": {
            "left": _side_dict(totals.left),
            "right": _side_dict(totals.right),
            "upperExtremity": totals.upper_extremity,
            "lowerExtremity": totals.lower_extremity,
            "lightTouch": totals.light_touch,
            "pinPrick": totals.pin_prick,
        },
    }


def _side_dict(side: SideTotals) -> dict[str, str]:
    return {
        "upperExtremity": side.upper_extremity,
        "lowerExtremity": side.lower_extremity,
        "lightTouch": side.light_touch,
        "pinPrick": side.pin_prick,
        "motor": side.motor,
    }
