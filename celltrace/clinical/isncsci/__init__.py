"""ISNCSCI 2019: classify a spinal cord injury exam (levels, NLI, AIS, ZPP, totals)."""

from .classification import (
    Classification,
    NeurologicalLevels,
    ZonesOfPartialPreservation,
    classify,
    to_reference_dict,
)
from .exam import Exam, ExamError, ExamSide, parse_exam
from .impairment import AIS_GRADES
from .totals import SideTotals, Totals

__all__ = [
    "AIS_GRADES",
    "Classification",
    "Exam",
    "ExamError",
    "ExamSide",
    "NeurologicalLevels",
    "SideTotals",
    "Totals",
    "ZonesOfPartialPreservation",
    "classify",
    "parse_exam",
    "to_reference_dict",
]
