import pytest

from celltrace.clinical.lab_units import LabValueError, ngsp_from_ifcc, uacr_mg_g


@pytest.mark.parametrize(
    ("ifcc", "ngsp"),
    # The NGSP's IFCC-NGSP conversion table: the diagnostic 48 mmol/mol is 6.5 %, 53 is 7.0 %,
    # 31 is 5.0 %, 86 is 10.0 %.
    [(48, 6.5), (53, 7.0), (31, 5.0), (86, 10.0)],
)
def test_ifcc_mmol_per_mol_converts_to_the_ngsp_percent_of_the_published_table(ifcc, ngsp):
    assert ngsp_from_ifcc(ifcc) == ngsp


def test_a_spot_urine_of_30_mg_albumin_per_g_creatinine_is_30_mg_g():
    # 30 mg/L albumin over 100 mg/dL (1 g/L) creatinine; KDIGO's A2 threshold is 30 mg/g.
    assert uacr_mg_g(30, 100) == pytest.approx(30)
    assert uacr_mg_g(15, 50) == pytest.approx(30)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: ngsp_from_ifcc(0), "hba1c_mmol_mol"),
        (lambda: uacr_mg_g(-1, 100), "urine_albumin_mg_l"),
        (lambda: uacr_mg_g(30, 0), "urine_creatinine_mg_dl"),
    ],
)
def test_impossible_values_are_refused_naming_the_field(call, field):
    with pytest.raises(LabValueError) as error:
        call()
    assert error.value.field == field
