"""Timed 25-Foot Walk: the mean of two trials in seconds (MSFC, multiple sclerosis)."""

from statistics import fmean

from celltrace.outcomes.instruments.base import InstrumentDefinition, Measured
from celltrace.outcomes.instruments.t25fw.forms import T25FW, T25fwForm


def score(data: dict) -> list[Measured]:
    """The MSFC manual scores the T25FW as the average of the two completed trials."""
    trials = [data["trial_1"], data["trial_2"]]
    details = {"trials_seconds": trials, "assistive_device": data["assistive_device"]}
    return [Measured(T25FW.code, round(fmean(trials), 2), details)]


INSTRUMENT = InstrumentDefinition(
    code="t25fw",
    label="Timed 25-Foot Walk",
    measures=(T25FW,),
    form_class=T25fwForm,
    score=score,
    template="instruments/t25fw/form.html",
    conditions=("ms",),
    reference="MSFC Administration and Scoring Manual (Fischer et al., NMSS, revised 2001): "
    "two consecutive trials, score = their mean; 180 s limit. MCID 20 %, Schwid 2002.",
)
