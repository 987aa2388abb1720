"""Where exam input becomes the clinical engines' typed values, for the actions and previews.

Each function raises Refused naming the field the engine found wrong, so a form, a preview
and the API report the same problem in the same words.
"""

from celltrace.clinical.edss import EdssScore, FunctionalSystems, FunctionalSystemsError, score_edss
from celltrace.clinical.isncsci import Classification, Exam, ExamError, classify, parse_exam
from celltrace.refusal import Refused

EDSS_FIELDS = tuple(FunctionalSystems.__dataclass_fields__)
ISNCSCI_STANDARD = "ISNCSCI 2019"
EDSS_SCALE = "Neurostatus-EDSS"


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


def score_sheet(grades: dict) -> tuple[FunctionalSystems, EdssScore]:
    """Score one Neurostatus sheet given as {system: grade}; refuse naming the bad grade."""
    missing = [name for name in EDSS_FIELDS if name not in grades]
    extra = sorted(set(grades) - set(EDSS_FIELDS))
    if missing or extra:
        field = missing[0] if missing else extra[0]
        raise Refused(
            "The scoring sheet is incomplete.",
            code="invalid",
            field_errors={field: "Missing." if missing else "Not a functional system."},
        )
    try:
        systems = FunctionalSystems(**{name: grades[name] for name in EDSS_FIELDS})
    except FunctionalSystemsError as error:
        raise Refused(
            "The EDSS cannot be scored.",
            code="invalid",
            field_errors={error.field: f"Must be a whole grade from 0 to {error.highest}."},
        ) from None
    return systems, score_edss(systems)
