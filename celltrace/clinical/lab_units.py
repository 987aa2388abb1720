"""Laboratory values in the units the outcome instruments store.

HbA1c: the IFCC-NGSP master equation, NGSP (%) = 0.09148 x IFCC (mmol/mol) + 2.152
(Hoelzel W, Weykamp C, et al. IFCC reference system for measurement of hemoglobin A1c in
human blood and the national standardization schemes in the United States, Japan, and
Sweden: a method-comparison study. Clin Chem 2004;50:166-74; as published by the NGSP,
ngsp.org/ifccngsp.asp). UACR: albumin over creatinine in mg/g, creatinine mg/dL x 10 = mg/L.
"""

from __future__ import annotations


class LabValueError(ValueError):
    """A laboratory value that cannot be converted; `field` names it."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


def ngsp_from_ifcc(ifcc_mmol_mol: float) -> float:
    """HbA1c in NGSP/DCCT % from IFCC mmol/mol, to the 0.1 % a laboratory reports."""
    if not ifcc_mmol_mol > 0:
        raise LabValueError("hba1c_mmol_mol", "Must be above 0 mmol/mol.")
    return round(0.09148 * ifcc_mmol_mol + 2.152, 1)


def uacr_mg_g(albumin_mg_l: float, creatinine_mg_dl: float) -> float:
    """Urine albumin-creatinine ratio in mg/g from a spot urine's albumin and creatinine."""
    if not albumin_mg_l >= 0:
        raise LabValueError("urine_albumin_mg_l", "Must be 0 mg/L or more.")
    if not creatinine_mg_dl > 0:
        raise LabValueError("urine_creatinine_mg_dl", "Must be above 0 mg/dL.")
    creatinine_g_l = creatinine_mg_dl * 10 / 1000
    return albumin_mg_l / creatinine_g_l
