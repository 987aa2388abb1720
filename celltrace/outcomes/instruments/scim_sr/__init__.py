"""The SCIM self-report (SCIM-SR) as a plug-in: the patient's own total, apart from SCIM III.

A clinician's SCIM III (observed) and a patient's SCIM-SR (self-reported) agree closely but
are not the same measurement, so the self-report is its own measure, `scim_sr`, and the report
never pools them. The locked analysis plan v2 does not report it yet: the answers are
collected at the plan's time points so that a later plan version can (docs/clinical/scim-sr.md).
"""

from dataclasses import asdict

from celltrace.clinical.scim_sr import ALLOWED_SCORES, VERSION, ScimItems, score_scim_sr
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure, Measured
from celltrace.outcomes.instruments.fields import refusing_bad_answers
from celltrace.outcomes.instruments.scim_sr.forms import ScimSrForm


def score(cleaned_data: dict) -> list[Measured]:
    """Score the SCIM-SR total; refuse naming the task left unanswered or answered wrongly."""
    with refusing_bad_answers("SCIM-SR"):
        items = ScimItems(**{name: cleaned_data.get(name) for name in ALLOWED_SCORES})
    result = score_scim_sr(items)
    details = {
        "version": VERSION,
        "subscales": {
            "self_care": result.self_care,
            "respiration_sphincter": result.respiration_sphincter,
            "mobility": result.mobility,
        },
        "items": asdict(items),
    }
    return [Measured(measure="scim_sr", value=float(result.total), details=details)]


INSTRUMENT = InstrumentDefinition(
    code="scim_sr",
    label="SCIM-SR (self-report)",
    measures=(Measure("scim_sr", "SCIM-SR", "points (0-100)", 0, 100, 1, False),),
    form_class=ScimSrForm,
    score=score,
    template="instruments/scim_sr/form.html",
    ahead_of_plan=("sci",),
    reference=(
        "Fekete C, Eriks-Hoogland I, Baumberger M, et al. Development and validation of a "
        "self-report version of the Spinal Cord Independence Measure (SCIM III). Spinal Cord "
        "2013;51:40-47. See docs/clinical/scim-sr.md."
    ),
    self_report=True,
)
