"""ISNCSCI 2019: the motor score and the AIS grade of one exam (spinal cord injury).

The worksheet screen with its live classification is the instrument's own view
(`outcomes:isncsci_new`); the generic API takes the exam in the praxis-isncsci JSON form.
"""

from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure
from celltrace.outcomes.instruments.isncsci import engine
from celltrace.outcomes.instruments.isncsci.forms import IsncsciExamForm

INSTRUMENT = InstrumentDefinition(
    code="isncsci",
    label="ISNCSCI exam",
    measures=(
        Measure("isncsci_motor", "ISNCSCI motor score", "points", 0, 100, 1, False),
        Measure(
            "ais",
            "AIS grade",
            "grade (A=0 to E=4)",
            0,
            4,
            1,
            False,
            grades=engine.AIS_GRADES,
        ),
    ),
    form_class=IsncsciExamForm,
    score=engine.score,
    template="instruments/isncsci/form.html",
    conditions=("sci",),
    reference=(
        "International Standards for Neurological Classification of SCI, 2019 revision "
        "(ASIA/ISCoS); classified by celltrace.clinical.isncsci (docs/clinical/isncsci.md)."
    ),
    entry_view="outcomes:isncsci_new",
)
