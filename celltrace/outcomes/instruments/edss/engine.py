"""Where a Neurostatus-EDSS scoring sheet becomes the EDSS engine's typed values."""

from celltrace.clinical.edss import EdssScore, FunctionalSystems, FunctionalSystemsError, score_edss
from celltrace.outcomes.instruments.base import Measured
from celltrace.refusal import Refused

EDSS_FIELDS = tuple(FunctionalSystems.__dataclass_fields__)
EDSS_SCALE = "Neurostatus-EDSS"


def score_sheet(grades: dict) -> tuple[FunctionalSystems, EdssScore]:
    """Score one Neurostatus sheet given as {system: grade}; refuse naming the bad grade."""
    missing = [name for name in EDSS_FIELDS if grades.get(name) is None]
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


def score(data: dict) -> list[Measured]:
    """Score the sheet: the EDSS step, with the grades and the steps behind it."""
    systems, result = score_sheet({name: data.get(name) for name in EDSS_FIELDS})
    details = {
        "scale": EDSS_SCALE,
        "functional_systems": {name: getattr(systems, name) for name in EDSS_FIELDS},
        "converted_grades": list(systems.converted_grades()),
        "functional_step": result.functional_step,
        "ambulation_step": result.ambulation_step,
    }
    return [Measured("edss", result.edss, details)]
