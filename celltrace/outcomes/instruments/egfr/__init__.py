"""eGFR computed from serum creatinine by CKD-EPI 2021, race-free (T2D, CKD).

Age (at the measurement date, from the birth date) and sex come from the patient's record:
the action supplies them, so a form cannot disagree with the record.
"""

from celltrace.clinical.ckd_epi import (
    CkdEpiError,
    CreatinineSample,
    egfr_ckd_epi_2021,
    mg_dl_from_umol_l,
)
from celltrace.outcomes.instruments.base import (
    AGE_YEARS,
    SEX,
    InstrumentDefinition,
    Measured,
)
from celltrace.outcomes.instruments.egfr.forms import EGFR, UMOL_L, EgfrForm
from celltrace.refusal import Refused

UNKNOWN = {
    AGE_YEARS: "The patient's date of birth is not recorded: the equation needs the age.",
    SEX: "The patient's sex is not recorded: the equation needs it.",
}


def score(data: dict) -> list[Measured]:
    """Compute eGFR from the creatinine and the record's age and sex; refuse what is unknown."""
    unknown = {fact: text for fact, text in UNKNOWN.items() if data.get(fact) in (None, "")}
    if unknown:
        raise Refused("The eGFR cannot be computed.", code="invalid", field_errors=unknown)
    entered = data["creatinine"]
    mg_dl = mg_dl_from_umol_l(entered) if data["creatinine_unit"] == UMOL_L else entered
    try:
        sample = CreatinineSample(mg_dl, data[AGE_YEARS], data[SEX])
    except CkdEpiError as error:
        raise Refused(
            "The eGFR cannot be computed.",
            code="invalid",
            field_errors={error.field: error.problem},
        ) from None
    details = {
        "equation": "CKD-EPI 2021 creatinine, race-free (Inker, NEJM 2021)",
        "creatinine_entered": entered,
        "creatinine_unit": data["creatinine_unit"],
        "creatinine_mg_dl": round(mg_dl, 3),
        "age_years": sample.age_years,
        "sex": sample.sex,
    }
    return [Measured(EGFR.code, round(egfr_ckd_epi_2021(sample), 1), details)]


INSTRUMENT = InstrumentDefinition(
    code="egfr",
    label="eGFR (CKD-EPI 2021)",
    measures=(EGFR,),
    form_class=EgfrForm,
    score=score,
    template="instruments/egfr/form.html",
    conditions=("t2d", "ckd"),
    reference="CKD-EPI 2021 creatinine equation without race (Inker, N Engl J Med "
    "2021;385:1737-49); creatinine umol/L / 88.4 = mg/dL. MCID 30 % change (Levey AJKD 2020).",
    patient_facts=(AGE_YEARS, SEX),
)
