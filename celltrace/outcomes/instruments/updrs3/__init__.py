"""MDS-UPDRS part III (motor examination): the total of 33 scores, 0-132 (Parkinson's)."""

from celltrace.outcomes.instruments.base import InstrumentDefinition, Measured
from celltrace.outcomes.instruments.updrs3.forms import ITEMS, UPDRS3, Updrs3Form, item_field
from celltrace.refusal import Refused


def score(data: dict) -> list[Measured]:
    """The total is the sum of the 33 items; a total entered beside them must agree."""
    items = {number: data.get(item_field(number)) for number, _ in ITEMS}
    details = {"medication_state": data["medication_state"]}
    if all(value is not None for value in items.values()):
        total = sum(items.values())
        if data.get("updrs3") is not None and data["updrs3"] != total:
            raise Refused(
                "The MDS-UPDRS III was not recorded.",
                code="invalid",
                field_errors={"updrs3": f"The items add up to {total}, not {data['updrs3']}."},
            )
        details["items"] = items
    else:
        total = data["updrs3"]
    return [Measured(UPDRS3.code, float(total), details)]


INSTRUMENT = InstrumentDefinition(
    code="updrs3",
    label="MDS-UPDRS part III",
    measures=(UPDRS3,),
    form_class=Updrs3Form,
    score=score,
    template="instruments/updrs3/form.html",
    conditions=("parkinsons",),
    reference="MDS-UPDRS (Goetz, Mov Disord 2008;23:2129-70), part III motor examination, "
    "33 scores 0-4. MCID -3.25 improvement, +4.63 worsening, Horvath 2015.",
)
