"""The QC panels of the starting catalog, and the migration that gives them to a clinic."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from celltrace.catalog.models import CellProduct, QCSpecification
from testkit.journey import make_lot, make_patient, make_plan

panels = importlib.import_module("celltrace.catalog.migrations.0009_qc_panels")
ISCT = {"cd105", "cd73", "cd90", "cd45", "cd34", "cd14_cd11b", "cd79a_cd19", "hla_dr"}


def specs(code):
    return {s.test: s for s in QCSpecification.objects.filter(product__code=code)}


def test_every_msc_product_tests_each_isct_marker(catalog):
    for product in CellProduct.objects.filter(kind="msc"):
        panel = specs(product.code)
        assert set(panel) >= ISCT, product.code
        assert {panel[m].minimum for m in ("cd105", "cd73", "cd90")} == {95.0}
        assert {panel[m].maximum for m in ISCT - {"cd105", "cd73", "cd90"}} == {2.0}
        assert "purity" not in panel and "identity_phenotype" not in panel


def test_exosomes_and_secretome_are_not_tested_as_cells(catalog):
    for product in CellProduct.objects.filter(kind__in=["exosome", "secretome"]):
        panel = specs(product.code)
        assert not {"viability", "cell_count"} & set(panel) and not ISCT & set(panel)
        assert "2.6.1" in panel["sterility_bacterial"].method
        assert not panel["sterility_bacterial"].release_before_result


def test_short_lived_cell_products_may_be_released_before_their_rapid_culture(catalog):
    panel = specs("mac-auto")
    assert panel["sterility_fungal"].release_before_result
    assert "2.6.27" in panel["sterility_fungal"].method
    assert "2.6.7" in panel["mycoplasma"].method
    assert panel["endotoxin"].limit_from_dose and panel["endotoxin"].maximum is None
    assert specs("msc-uc-allo")["endotoxin"].maximum == 0.5  # donor stock: a fixed ceiling


def test_the_migration_gives_an_existing_clinic_the_panels_and_keeps_its_own_limits(
    catalog, site, doctor, lab_technician
):
    old = CellProduct.objects.get(code="msc-bm-auto")
    QCSpecification.objects.filter(product=old, test__in=ISCT | {"mycoplasma"}).delete()
    QCSpecification.objects.filter(product=old).update(
        method="", release_before_result=False, limit_from_dose=False
    )
    QCSpecification.objects.filter(product=old, test="viability").update(minimum=80.0)
    QCSpecification.objects.create(product=old, test="purity", minimum=90.0, unit="%")
    used = CellProduct.objects.get(code="msc-uc-allo")
    purity = QCSpecification.objects.create(product=used, test="purity", minimum=90.0, unit="%")
    lot = make_lot(make_plan(make_patient(site), doctor), lab_technician, status="in_process")
    lot.qc_results.create(
        specification=purity, value=95.0, passed=True, tested_by=lab_technician,
        tested_at=lot.made_at,
    )  # fmt: skip

    panels.add_panels(apps, None)

    panel = specs("msc-bm-auto")
    assert ISCT | {"mycoplasma"} <= set(panel) and "purity" not in panel
    assert panel["viability"].minimum == 80.0
    assert panel["sterility_bacterial"].release_before_result
    assert panel["endotoxin"].limit_from_dose
    assert "purity" in specs("msc-uc-allo")  # a lot's result keeps its specification


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"test": "viability", "minimum": 150.0, "unit": "%"}, "minimum"),
        ({"test": "cell_count", "minimum": -1.0, "unit": "cells"}, "minimum"),
        ({"test": "viability", "minimum": 70.0, "unit": "%", "release_before_result": True},
         "release_before_result"),
        ({"test": "viability", "minimum": 70.0, "unit": "%", "limit_from_dose": True},
         "limit_from_dose"),
    ],
)  # fmt: skip
def test_the_admin_refuses_an_impossible_specification(catalog, fields, field):
    spec = QCSpecification(product=CellProduct.objects.first(), **fields)
    with pytest.raises(ValidationError) as error:
        spec.clean()
    assert field in error.value.message_dict
