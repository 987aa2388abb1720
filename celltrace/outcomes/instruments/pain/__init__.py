"""Pain intensity on the 0-10 numeric rating scale (NRS), every condition."""

from celltrace.outcomes.instruments.base import InstrumentDefinition
from celltrace.outcomes.instruments.fields import one_value
from celltrace.outcomes.instruments.pain.forms import PAIN, PainForm

INSTRUMENT = InstrumentDefinition(
    code="pain",
    label="Pain (NRS 0-10)",
    measures=(PAIN,),
    self_report=True,
    form_class=PainForm,
    score=one_value(PAIN, "pain", details={"scale": "NRS 0-10, average pain in the last week"}),
    template="instruments/pain/form.html",
    conditions=("ms", "sci", "parkinsons", "lyme"),
    reference="11-point numeric rating scale (0 no pain, 10 worst pain imaginable); "
    "MCID 1.8 points, Hanley 2006 (SCI).",
)
