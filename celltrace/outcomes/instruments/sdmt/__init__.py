"""Symbol Digit Modalities Test: correct answers in 90 seconds (multiple sclerosis)."""

from celltrace.outcomes.instruments.base import InstrumentDefinition, Measured
from celltrace.outcomes.instruments.sdmt.forms import SDMT, SdmtForm


def score(data: dict) -> list[Measured]:
    """The number correct is the score; the version (oral or written) is kept beside it."""
    return [Measured(SDMT.code, float(data["sdmt"]), {"version": data["version"]})]


INSTRUMENT = InstrumentDefinition(
    code="sdmt",
    label="Symbol Digit Modalities Test",
    measures=(SDMT,),
    form_class=SdmtForm,
    score=score,
    template="instruments/sdmt/form.html",
    conditions=("ms",),
    reference="Smith 1982 (WPS manual); 110 symbols, correct answers in 90 s. "
    "MCID 4 points or 20 % of baseline, Benedict 2017.",
)
