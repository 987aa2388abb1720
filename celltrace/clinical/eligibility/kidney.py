"""Estimate kidney function from serum creatinine when no eGFR was reported."""

from __future__ import annotations

from decimal import Decimal

from .facts import Sex

# CKD-EPI 2021 creatinine equation without race (Inker et al., N Engl J Med 2021;385:1737-49),
# the equation KDIGO 2024 recommends for adults: kappa, alpha and the sex factor by sex.
_KAPPA = {Sex.FEMALE: 0.7, Sex.MALE: 0.9}
_ALPHA = {Sex.FEMALE: -0.241, Sex.MALE: -0.302}
_SEX_FACTOR = {Sex.FEMALE: 1.012, Sex.MALE: 1.0}
_UMOL_PER_MG_DL = 88.4


def egfr_ckd_epi_2021(creatinine_umol_l: Decimal, *, sex: Sex, age: int) -> Decimal:
    """Return eGFR in mL/min/1.73m2, to one decimal, from creatinine in umol/L."""
    if creatinine_umol_l <= 0:
        raise ValueError("creatinine must be positive")
    ratio = float(creatinine_umol_l) / _UMOL_PER_MG_DL / _KAPPA[sex]
    egfr = (
        142
        * min(ratio, 1.0) ** _ALPHA[sex]
        * max(ratio, 1.0) ** -1.200
        * 0.9938**age
        * _SEX_FACTOR[sex]
    )
    return round(Decimal(str(egfr)), 1)
