"""Unit conversions, ICD-10 code matching and the CKD-EPI estimate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from celltrace.clinical.eligibility import LabResult, Outcome, Person, UnitError
from celltrace.clinical.eligibility.codes import CodePattern
from celltrace.clinical.eligibility.facts import Sex
from celltrace.clinical.eligibility.kidney import egfr_ckd_epi_2021
from celltrace.clinical.eligibility.units import to_canonical

from .test_eligibility_patients import healthy_patient, lab, screen


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "canonical"),
    [
        ("haemoglobin", 120, "g/L", "12"),
        ("haemoglobin", 13.5, "g/dL", "13.5"),
        ("haemoglobin", 8, "mmol/L", "12.8912"),  # 8 x 1.6114
        ("platelets", 250, "10^9/L", "250"),
        ("platelets", 250, "x10^9/L", "250"),
        ("platelets", 250, "10*9/L", "250"),
        ("platelets", 250, "10^3/µL", "250"),
        ("platelets", 250000, "/uL", "250"),
        ("white_cells", 6.5, "K/uL", "6.5"),
        ("inr", 1.1, "", "1.1"),
        ("creatinine", 1.0, "mg/dL", "88.4"),
        ("creatinine", 0.09, "mmol/L", "90"),
        ("creatinine", 80, "µmol/L", "80"),
        ("egfr", 75, "mL/min/1.73 m2", "75"),
        ("alt", 0.5, "µkat/L", "30"),
        ("ast", 0.5, "μkat/L", "30"),  # Greek mu, as some reports write it
        ("alt", 30, "IU/L", "30"),
        ("crp", 1.2, "mg/dL", "12"),
        ("crp", 3, "ug/mL", "3"),
    ],
)
def test_it_converts_each_usual_unit_to_the_canonical_one(analyte, value, unit, canonical):
    assert to_canonical(analyte, value, unit) == Decimal(canonical)


def test_a_value_on_the_bound_in_another_unit_is_not_out_of_range():
    # 165 g/L is exactly the male upper limit 16.5 g/dL; float arithmetic would say 16.500000004.
    man = Person(Sex.MALE, date(1981, 3, 15), date(2026, 11, 4), "id")
    facts = healthy_patient() + [man, lab("haemoglobin", 165, "g/L", on=date(2026, 11, 4))]

    assert screen(facts).result("haemoglobin").outcome is Outcome.NOT_MET


@pytest.mark.parametrize("unit", ["g/dL", "g/L", "mmol/L"])
def test_the_same_haemoglobin_in_any_unit_gives_the_same_outcome(unit):
    value = {"g/dL": 11.0, "g/L": 110, "mmol/L": 6.83}[unit]
    facts = healthy_patient() + [lab("haemoglobin", value, unit, on=date(2026, 11, 4))]

    assert screen(facts).result("haemoglobin").outcome is Outcome.MET


def test_it_refuses_a_result_in_an_unknown_unit():
    with pytest.raises(UnitError, match="unknown unit 'mg' for platelets"):
        LabResult("platelets", 250, "mg", date(2026, 11, 2), "lab")


def test_it_refuses_an_unknown_analyte():
    with pytest.raises(UnitError, match="unknown analyte 'glucose'"):
        LabResult("glucose", 5.5, "mmol/L", date(2026, 11, 2), "lab")


@pytest.mark.parametrize(
    ("pattern", "code", "matches"),
    [
        ("I63", "I63.9", True),
        ("I63", "I64", False),
        ("C00-D09", "C50.9", True),
        ("C00-D09", "D05.1", True),
        ("C00-D09", "D09", True),
        ("C00-D09", "D10.0", False),
        ("C00-D09", "B99", False),
        ("K22.7", "K22.70", True),
        ("K22.7", "K22.2", False),
        ("N89.0-N89.1", "N89.1", True),
        ("N89.0-N89.1", "N89.2", False),
        ("I60-I64", "i61.0", True),
    ],
)
def test_icd10_codes_match_by_prefix_and_range(pattern, code, matches):
    assert CodePattern.parse(pattern).matches(code) is matches


@pytest.mark.parametrize("text", ["", "63", "C00-", "C00-D09-E00", "D09-C00", "cancer"])
def test_it_refuses_what_is_not_an_icd10_code_or_range(text):
    with pytest.raises(ValueError, match="ICD-10"):
        CodePattern.parse(text)


@pytest.mark.parametrize(
    ("creatinine_mg_dl", "sex", "age", "egfr"),
    [
        # By hand, Inker 2021: 142 x min(S/k,1)^a x max(S/k,1)^-1.2 x 0.9938^age (x 1.012 F)
        (0.8, Sex.FEMALE, 50, "89.7"),  # 142 x (0.8/0.7)^-1.2 x 0.9938^50 x 1.012
        (1.0, Sex.MALE, 60, "86.2"),  # 142 x (1.0/0.9)^-1.2 x 0.9938^60
        (0.6, Sex.FEMALE, 30, "123.8"),  # 142 x (0.6/0.7)^-0.241 x 0.9938^30 x 1.012
    ],
)
def test_egfr_follows_ckd_epi_2021(creatinine_mg_dl, sex, age, egfr):
    creatinine = to_canonical("creatinine", creatinine_mg_dl, "mg/dL")

    assert egfr_ckd_epi_2021(creatinine, sex=sex, age=age) == Decimal(egfr)
