"""PDQ-39 as a plug-in: the summary index, with the eight dimensions beside it (Peto 1995)."""

from celltrace.clinical.item_scores import item_name
from celltrace.clinical.pdq39 import ITEM_COUNT, Pdq39Answers, score_pdq39
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure, Measured
from celltrace.outcomes.instruments.fields import refusing_bad_answers
from celltrace.outcomes.instruments.pdq39.forms import Pdq39Form


def score(cleaned_data: dict) -> list[Measured]:
    """Score the summary index; refuse naming the item the engine found wrong."""
    answers = [cleaned_data.get(item_name(n)) for n in range(1, ITEM_COUNT + 1)]
    no_partner = bool(cleaned_data.get("no_spouse_or_partner"))
    with refusing_bad_answers("PDQ-39"):
        result = score_pdq39(Pdq39Answers(items=tuple(answers), no_spouse_or_partner=no_partner))
    details = {
        "dimensions": result.dimensions,
        "no_spouse_or_partner": no_partner,
        "items": {item_name(n): answer for n, answer in enumerate(answers, start=1)},
    }
    return [Measured(measure="pdq39", value=result.summary_index, details=details)]


INSTRUMENT = InstrumentDefinition(
    code="pdq39",
    label="PDQ-39",
    measures=(Measure("pdq39", "PDQ-39 summary index", "points (0-100)", 0, 100, None, True),),
    form_class=Pdq39Form,
    score=score,
    template="outcomes/instruments/pdq39/form.html",
    conditions=("parkinsons",),
    reference=(
        "Peto V, Jenkinson C, Fitzpatrick R, Greenhall R. Qual Life Res 1995;4:241-8; "
        "Jenkinson C, Fitzpatrick R, Peto V, et al. Age Ageing 1997;26:353-7. "
        "Copyrighted; used under licence. See docs/clinical/pdq39.md."
    ),
)
