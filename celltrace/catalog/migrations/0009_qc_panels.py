# QC that cannot be fooled (docs/clinical/qc-release.md): MSC products test the ISCT markers
# one by one (Dominici 2006) instead of one "purity" and a pass/fail "phenotype"; every
# product tests mycoplasma (Ph. Eur. 2.6.7); sterility names its method, and the short
# shelf-life cell products may be released while the rapid culture (2.6.27) runs; the
# endotoxin limit is computed for each lot's patient (K/M). A clinic's own limits are kept:
# missing tests are added, a method or flag is set only where none is, and a replaced test
# is removed only where no lot has a result of it.

from django.db import migrations

CELL_KINDS = ("msc", "neural", "macrophage")
SHORT_SHELF_LIFE_DAYS = 7
RAPID_STERILITY = "Ph. Eur. 2.6.27 (automated culture; final result may follow release)"
COMPENDIAL_STERILITY = "Ph. Eur. 2.6.1 / USP <71> (14-day culture)"
MYCOPLASMA = "Ph. Eur. 2.6.7 (NAT)"
ENDOTOXIN = "Ph. Eur. 2.6.14 / USP <85> (LAL)"
FLOW = "Flow cytometry (ISCT, Dominici 2006)"
ISCT_POSITIVE = ("cd105", "cd73", "cd90")
ISCT_NEGATIVE = ("cd45", "cd34", "cd14_cd11b", "cd79a_cd19", "hla_dr")
REPLACED_BY_ISCT = ("purity", "identity_phenotype")


def _spec(test, *, minimum=None, maximum=None, unit="", method="", **flags):
    return {
        "test": test,
        "minimum": minimum,
        "maximum": maximum,
        "unit": unit,
        "method": method,
        "release_before_result": flags.get("release_before_result", False),
        "limit_from_dose": flags.get("limit_from_dose", False),
    }


def panel(*, kind, source, shelf_life_days):
    """The starting QC panel of a product (also what the starting catalog holds)."""
    cells = kind in CELL_KINDS
    rapid = cells and shelf_life_days <= SHORT_SHELF_LIFE_DAYS
    sterility = RAPID_STERILITY if rapid else COMPENDIAL_STERILITY
    # Donor stock is tested before it has a patient: a fixed ceiling judges it then.
    ceiling = 0.5 if source == "allogeneic" else None
    specs = [
        _spec("sterility_bacterial", method=sterility, release_before_result=rapid),
        _spec("sterility_fungal", method=sterility, release_before_result=rapid),
        _spec("mycoplasma", method=MYCOPLASMA),
        _spec("viral"),
        _spec("endotoxin", maximum=ceiling, unit="EU/mL", method=ENDOTOXIN, limit_from_dose=True),
    ]
    if not cells:
        return [*specs, _spec("purity", minimum=80.0, unit="% vesicle markers")]
    specs += [
        _spec("viability", minimum=70.0, unit="%", method="7-AAD or trypan blue"),
        _spec("cell_count", minimum=1.0e7, unit="cells"),
        _spec("identity_genetic"),
    ]
    if kind != "msc":
        return [
            *specs,
            _spec("purity", minimum=90.0, unit="% marker-positive"),
            _spec("identity_phenotype"),
        ]
    return (
        specs
        + [_spec(m, minimum=95.0, unit="%", method=FLOW) for m in ISCT_POSITIVE]
        + [_spec(m, maximum=2.0, unit="%", method=FLOW) for m in ISCT_NEGATIVE]
    )


def add_panels(apps, schema_editor):
    CellProduct = apps.get_model("catalog", "CellProduct")
    QCSpecification = apps.get_model("catalog", "QCSpecification")
    QCResult = apps.get_model("lab", "QCResult")
    for product in CellProduct.objects.all():
        wanted = panel(
            kind=product.kind, source=product.source, shelf_life_days=product.shelf_life_days
        )
        have = {s.test: s for s in QCSpecification.objects.filter(product=product)}
        for fields in wanted:
            spec = have.get(fields["test"])
            if spec is None:
                QCSpecification.objects.create(product=product, **fields)
                continue
            if not spec.method and fields["method"]:
                spec.method = fields["method"]
                spec.release_before_result = fields["release_before_result"]
                spec.limit_from_dose = fields["limit_from_dose"]
                spec.save()
        if product.kind == "msc":
            for test in REPLACED_BY_ISCT:
                spec = have.get(test)
                if spec and not QCResult.objects.filter(specification=spec).exists():
                    spec.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_qc_methods_and_isct_markers"),
        ("lab", "0006_investigations_alerts_exceptional_release"),
    ]

    operations = [migrations.RunPython(add_panels, migrations.RunPython.noop)]
