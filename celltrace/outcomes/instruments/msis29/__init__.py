"""MSIS-29 version 1 as a plug-in: the physical and psychological scores (Hobart 2001)."""

from celltrace.clinical.item_scores import item_name
from celltrace.clinical.msis29 import (
    ITEM_COUNT,
    Msis29Answers,
    ScaleScore,
    score_msis29,
)
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure, Measured
from celltrace.outcomes.instruments.fields import refusing_bad_answers
from celltrace.outcomes.instruments.msis29.forms import Msis29Form

VERSION = "MSIS-29v1"


def score(cleaned_data: dict) -> list[Measured]:
    """Score both scales of one sheet; refuse naming the item the engine found wrong."""
    answers = [cleaned_data.get(item_name(n)) for n in range(1, ITEM_COUNT + 1)]
    with refusing_bad_answers("MSIS-29"):
        result = score_msis29(Msis29Answers(items=tuple(answers)))
    items = {item_name(n): answer for n, answer in enumerate(answers, start=1)}
    return [
        _measured("msis29_physical", result.physical, items),
        _measured("msis29_psychological", result.psychological, items),
    ]


def _measured(measure: str, scale: ScaleScore, items: dict) -> Measured:
    details = {
        "version": VERSION,
        "raw_sum": scale.raw_sum,
        "imputed_items": [item_name(n) for n in scale.imputed_items],
        "items": items,
    }
    return Measured(measure=measure, value=scale.score, details=details)


INSTRUMENT = InstrumentDefinition(
    code="msis29",
    label="MSIS-29 (version 1)",
    measures=(
        Measure("msis29_physical", "MSIS-29 physical", "points (0-100)", 0, 100, None, True),
        Measure(
            "msis29_psychological", "MSIS-29 psychological", "points (0-100)", 0, 100, None, True
        ),
    ),
    self_report=True,
    form_class=Msis29Form,
    score=score,
    template="outcomes/instruments/msis29/form.html",
    conditions=("ms",),
    reference=(
        "Hobart J, Lamping D, Fitzpatrick R, Riazi A, Thompson A. The Multiple Sclerosis Impact "
        "Scale (MSIS-29): a new patient-based outcome measure. Brain 2001;124:962-73. "
        "Copyrighted; used under licence. See docs/clinical/msis29.md."
    ),
)
