"""EQ-5D-5L as a plug-in: the index by the clinic's value set, the profile and the EQ VAS.

The clinic values every EQ-5D-5L with one value set, so that a patient's change from baseline
and the report's summaries never mix two countries' preferences (docs/clinical/eq5d5l.md says
why it is Portugal's). The set's code is kept in each value's details.
"""

from celltrace.clinical.eq5d5l import (
    DIMENSIONS,
    Eq5d5lResponse,
    load_value_set,
    score_eq5d5l,
)
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure, Measured
from celltrace.outcomes.instruments.eq5d5l.forms import Eq5d5lForm
from celltrace.outcomes.instruments.fields import refusing_bad_answers

CLINIC_VALUE_SET = "portugal"


def score(cleaned_data: dict, *, value_set: str = CLINIC_VALUE_SET) -> list[Measured]:
    """Value one EQ-5D-5L; refuse naming the dimension (or the VAS) the engine found wrong."""
    with refusing_bad_answers("EQ-5D-5L"):
        response = Eq5d5lResponse(
            **{name: cleaned_data.get(name) for name in DIMENSIONS}, vas=cleaned_data.get("vas")
        )
        chosen = load_value_set(value_set)
    result = score_eq5d5l(response, chosen)
    details = {
        "levels": dict(zip(DIMENSIONS, response.levels, strict=True)),
        "profile": result.profile,
        "vas": result.vas,
        "value_set": chosen.code,
        "value_set_label": chosen.label,
    }
    return [Measured(measure="eq5d5l", value=result.index, details=details)]


def _lowest_index() -> float:
    """Return the index of 55555, the worst state, in the clinic's value set."""
    return score_eq5d5l(Eq5d5lResponse(5, 5, 5, 5, 5), load_value_set(CLINIC_VALUE_SET)).index


INSTRUMENT = InstrumentDefinition(
    code="eq5d5l",
    label="EQ-5D-5L",
    measures=(
        Measure(
            "eq5d5l",
            "EQ-5D-5L index",
            "index (value set in the instrument)",
            _lowest_index(),
            1.0,
            None,
            False,
        ),
    ),
    self_report=True,
    form_class=Eq5d5lForm,
    score=score,
    template="outcomes/instruments/eq5d5l/form.html",
    conditions=("ms", "sci", "parkinsons", "t2d", "ckd", "lyme"),
    reference=(
        "Herdman M, Gudex C, Lloyd A, et al. Qual Life Res 2011;20:1727-36; value set: "
        f"{load_value_set(CLINIC_VALUE_SET).citation}. Copyrighted by the EuroQol Research "
        "Foundation; used under licence. See docs/clinical/eq5d5l.md."
    ),
)
