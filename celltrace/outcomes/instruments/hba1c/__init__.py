"""HbA1c in NGSP/DCCT percent, entered as % or as IFCC mmol/mol (type 2 diabetes)."""

from celltrace.clinical.lab_units import LabValueError, ngsp_from_ifcc
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measured
from celltrace.outcomes.instruments.hba1c.forms import HBA1C, Hba1cForm
from celltrace.refusal import Refused


def score(data: dict) -> list[Measured]:
    """Store %; a value in mmol/mol is converted by the IFCC-NGSP master equation."""
    if data.get("hba1c") is not None:
        return [Measured(HBA1C.code, data["hba1c"], {"entered": data["hba1c"], "unit": "%"})]
    try:
        percent = ngsp_from_ifcc(data["hba1c_mmol_mol"])
    except LabValueError as error:
        raise Refused(
            "The HbA1c cannot be converted.",
            code="invalid",
            field_errors={error.field: error.problem},
        ) from None
    details = {
        "entered": data["hba1c_mmol_mol"],
        "unit": "mmol/mol",
        "conversion": "IFCC-NGSP master equation: NGSP = 0.09148 x IFCC + 2.152 (Hoelzel 2004)",
    }
    return [Measured(HBA1C.code, percent, details)]


INSTRUMENT = InstrumentDefinition(
    code="hba1c",
    label="HbA1c",
    measures=(HBA1C,),
    form_class=Hba1cForm,
    score=score,
    template="instruments/hba1c/form.html",
    conditions=("t2d",),
    reference="NGSP/DCCT-aligned percent; IFCC mmol/mol converted by the master equation "
    "(Hoelzel, Clin Chem 2004;50:166-74). MCID 0.5 percentage points (conventional).",
)
