"""Urine albumin-creatinine ratio in mg/g, entered as the ratio or from a spot urine (CKD)."""

from celltrace.clinical.lab_units import LabValueError, uacr_mg_g
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measured
from celltrace.outcomes.instruments.uacr.forms import UACR, UacrForm
from celltrace.refusal import Refused


def score(data: dict) -> list[Measured]:
    """Store mg/g; a spot urine's albumin (mg/L) and creatinine (mg/dL) give the ratio."""
    if data.get("uacr") is not None:
        return [Measured(UACR.code, data["uacr"], {"entered": "ratio"})]
    albumin, creatinine = data["urine_albumin_mg_l"], data["urine_creatinine_mg_dl"]
    try:
        ratio = uacr_mg_g(albumin, creatinine)
    except LabValueError as error:
        raise Refused(
            "The UACR cannot be computed.",
            code="invalid",
            field_errors={error.field: error.problem},
        ) from None
    details = {"urine_albumin_mg_l": albumin, "urine_creatinine_mg_dl": creatinine}
    return [Measured(UACR.code, round(ratio, 1), details)]


INSTRUMENT = InstrumentDefinition(
    code="uacr",
    label="Urine albumin-creatinine ratio",
    measures=(UACR,),
    form_class=UacrForm,
    score=score,
    template="instruments/uacr/form.html",
    conditions=("ckd",),
    reference="KDIGO 2024 CKD guideline (albuminuria categories in mg/g). "
    "MCID a 30 % change, Levey AJKD 2020.",
)
