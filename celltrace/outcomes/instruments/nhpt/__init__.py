"""9-Hole Peg Test: two trials per hand, the MSFC's combined time in seconds (MS)."""

from celltrace.outcomes.instruments.base import InstrumentDefinition, Measured
from celltrace.outcomes.instruments.nhpt.forms import NHPT, NhptForm


def score(data: dict) -> list[Measured]:
    """Average each hand's two trials, average the reciprocals, and store its reciprocal.

    The MSFC manual scores the 9HPT as the mean of the reciprocals of the two hands' mean
    times (1/s, higher is better). The registry stores seconds (lower is better, as the plan
    says), so the value is the reciprocal of that score: the harmonic mean of the two hands'
    mean times. The MSFC score itself is kept in the details.
    """
    dominant = (data["dominant_1"] + data["dominant_2"]) / 2
    non_dominant = (data["non_dominant_1"] + data["non_dominant_2"]) / 2
    msfc_score = (1 / dominant + 1 / non_dominant) / 2
    details = {
        "dominant_hand": data["dominant_hand"],
        "dominant_seconds": [data["dominant_1"], data["dominant_2"]],
        "non_dominant_seconds": [data["non_dominant_1"], data["non_dominant_2"]],
        "dominant_mean": dominant,
        "non_dominant_mean": non_dominant,
        "msfc_score_per_second": msfc_score,
    }
    return [Measured(NHPT.code, round(1 / msfc_score, 2), details)]


INSTRUMENT = InstrumentDefinition(
    code="nhpt",
    label="9-Hole Peg Test",
    measures=(NHPT,),
    form_class=NhptForm,
    score=score,
    template="instruments/nhpt/form.html",
    conditions=("ms",),
    reference="MSFC Administration and Scoring Manual (Fischer et al., NMSS, revised 2001): "
    "two trials per hand, score = mean of the reciprocals of each hand's mean time; 300 s "
    "limit. MCID 20 %, Hobart 2013 / Feys 2017.",
)
