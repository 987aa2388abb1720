"""Where an ISNCSCI exam becomes the classification engine's typed values.

Each function raises Refused naming the field the engine found wrong, so the worksheet, its
preview and the API report the same problem in the same words.
"""

from celltrace.clinical.isncsci import (
    AIS_GRADES,
    Classification,
    Exam,
    ExamError,
    classify,
    parse_exam,
    to_reference_dict,
)
from celltrace.outcomes.instruments.base import Measured
from celltrace.refusal import Refused

ISNCSCI_STANDARD = "ISNCSCI 2019"

# A motor score left ND by untested or starred key muscles has no number to store: storing
# 0 or a partial sum would enter the outcome statistics as a real (and wrong) score.
MOTOR_NOT_DETERMINABLE = (
    "The motor score is not determinable (ND): a key muscle is not tested (NT, NT* or NT**). "
    "Test every key muscle to record the exam; the classification is shown above."
)


def classify_isncsci(data) -> tuple[Exam, Classification]:
    """Read an exam in the praxis JSON form and classify it; refuse naming the bad field."""
    try:
        exam = parse_exam(data)
    except ExamError as error:
        raise Refused(
            "The exam cannot be classified.",
            code="invalid",
            field_errors={error.field or "exam": error.problem},
        ) from None
    return exam, classify(exam)


def motor_score(result: Classification) -> int | None:
    """Return the upper plus lower extremity motor score, or None where it is ND."""
    upper, lower = result.totals.upper_extremity, result.totals.lower_extremity
    if not (upper.isdigit() and lower.isdigit()):
        return None
    return int(upper) + int(lower)


def ais_grade(result: Classification) -> str | None:
    """Return the single AIS letter, or None when the engine leaves it open (e.g. 'C,D', ND)."""
    grade = to_reference_dict(result)["classification"]["ASIAImpairmentScale"]
    return grade if grade in AIS_GRADES else None


def score(data: dict) -> list[Measured]:
    """Classify the exam: the motor score, and the AIS grade as an ordinal with its letter.

    An AIS the engine cannot settle to one letter is not stored as a number (the exam and its
    classification stay in the motor score's details); a motor score that is ND refuses the
    exam, as it always has.
    """
    parsed, result = classify_isncsci(data["exam"])
    total = motor_score(result)
    if total is None:
        raise Refused(
            "The exam was not recorded.",
            code="invalid",
            field_errors={"motor_score": MOTOR_NOT_DETERMINABLE},
        )
    reference = to_reference_dict(result)
    details = {"standard": ISNCSCI_STANDARD, "exam": parsed.to_dict(), **reference}
    values = [Measured("isncsci_motor", float(total), details)]
    if (grade := ais_grade(result)) is not None:
        ais_details = {"standard": ISNCSCI_STANDARD, "classification": reference["classification"]}
        values.append(Measured("ais", float(AIS_GRADES.index(grade)), ais_details, grade))
    return values
