"""EDSS from a Neurostatus-EDSS scoring sheet (multiple sclerosis).

The sheet screen and the disability-course pages are the instrument's own views
(`outcomes:edss_new`, `outcomes:edss_course`); the generic API takes the sheet's grades.
"""

from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure
from celltrace.outcomes.instruments.edss import engine
from celltrace.outcomes.instruments.edss.forms import EdssSheetForm

INSTRUMENT = InstrumentDefinition(
    code="edss",
    label="EDSS (Neurostatus)",
    measures=(Measure("edss", "EDSS", "points", 0, 10, 0.5, True),),
    form_class=EdssSheetForm,
    score=engine.score,
    template="instruments/edss/form.html",
    conditions=("ms",),
    reference=(
        "Kurtzke 1983, Neurostatus-EDSS scoring definitions (Kappos, 04/10.2); "
        "scored by celltrace.clinical.edss (docs/clinical/edss.md)."
    ),
    entry_view="outcomes:edss_new",
)
