"""SCIM III as a plug-in: the total, with the three subscales beside it (Itzkovich 2007)."""

from dataclasses import asdict

from celltrace.clinical.scim3 import ALLOWED_SCORES, ScimItems, score_scim3
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure, Measured
from celltrace.outcomes.instruments.fields import refusing_bad_answers
from celltrace.outcomes.instruments.scim3.forms import Scim3Form


def score(cleaned_data: dict) -> list[Measured]:
    """Score the SCIM III total; refuse naming the item whose score the form does not allow."""
    with refusing_bad_answers("SCIM III"):
        items = ScimItems(**{name: cleaned_data.get(name) for name in ALLOWED_SCORES})
    result = score_scim3(items)
    details = {
        "subscales": {
            "self_care": result.self_care,
            "respiration_sphincter": result.respiration_sphincter,
            "mobility": result.mobility,
        },
        "items": asdict(items),
    }
    return [Measured(measure="scim3", value=float(result.total), details=details)]


INSTRUMENT = InstrumentDefinition(
    code="scim3",
    label="SCIM III",
    measures=(Measure("scim3", "SCIM III", "points (0-100)", 0, 100, 1, False),),
    form_class=Scim3Form,
    score=score,
    template="outcomes/instruments/scim3/form.html",
    conditions=("sci",),
    reference=(
        "Itzkovich M, Gelernter I, Biering-Sorensen F, et al. The Spinal Cord Independence "
        "Measure (SCIM) version III. Disabil Rehabil 2007;29:1926-33. See docs/clinical/scim3.md."
    ),
)
