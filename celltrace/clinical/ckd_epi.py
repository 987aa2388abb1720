"""eGFR from serum creatinine by the CKD-EPI 2021 equation, without a race term.

Inker LA, Eneanya ND, Coresh J, et al. New creatinine- and cystatin C-based equations to
estimate GFR without race. N Engl J Med 2021;385:1737-49 (doi:10.1056/NEJMoa2102953):

    eGFR = 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age x 1.012 [if female]

k = 0.7 (female) or 0.9 (male), a = -0.241 (female) or -0.302 (male), Scr in mg/dL
(IDMS-traceable), age in years; eGFR in mL/min/1.73 m2. The equation was developed in
adults: below 18 years it is refused rather than extrapolated.
"""

from __future__ import annotations

from dataclasses import dataclass

UMOL_PER_MG_DL = 88.4  # creatinine: 1 mg/dL = 88.4 umol/L
FEMALE = "female"
MALE = "male"
ADULT_AGE = 18
# Creatinine the equation is asked about: outside, a typing error is likelier than a patient.
LOWEST_MG_DL = 0.2
HIGHEST_MG_DL = 25.0

_COEFFICIENTS = {FEMALE: (0.7, -0.241, 1.012), MALE: (0.9, -0.302, 1.0)}


class CkdEpiError(ValueError):
    """An input the equation cannot take; `field` names it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True, slots=True)
class CreatinineSample:
    """One serum creatinine (mg/dL) with the patient's age and sex on the day it was drawn."""

    creatinine_mg_dl: float
    age_years: int
    sex: str  # FEMALE or MALE

    def __post_init__(self) -> None:
        if self.sex not in _COEFFICIENTS:
            raise CkdEpiError("sex", "The equation needs the sex recorded as female or male.")
        if not isinstance(self.age_years, int) or isinstance(self.age_years, bool):
            raise CkdEpiError("age_years", "The age must be whole years.")
        if self.age_years < ADULT_AGE:
            raise CkdEpiError("age_years", "CKD-EPI 2021 is an equation for adults (18 or over).")
        if not LOWEST_MG_DL <= self.creatinine_mg_dl <= HIGHEST_MG_DL:
            raise CkdEpiError(
                "creatinine",
                f"Serum creatinine must be between {LOWEST_MG_DL:g} and {HIGHEST_MG_DL:g} mg/dL.",
            )


def mg_dl_from_umol_l(umol_l: float) -> float:
    """Convert creatinine from umol/L to mg/dL (divide by 88.4)."""
    return umol_l / UMOL_PER_MG_DL


def egfr_ckd_epi_2021(sample: CreatinineSample) -> float:
    """Return eGFR in mL/min/1.73 m2, unrounded (round for display, not before statistics)."""
    k, a, sex_factor = _COEFFICIENTS[sample.sex]
    ratio = sample.creatinine_mg_dl / k
    return (
        142
        * min(ratio, 1.0) ** a
        * max(ratio, 1.0) ** -1.200
        * 0.9938**sample.age_years
        * sex_factor
    )
