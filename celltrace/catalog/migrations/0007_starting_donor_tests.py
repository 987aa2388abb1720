# 21 CFR 1271.85: the communicable disease tests of an allogeneic donor, as catalog data, for
# clinics that already have a catalog (a new clinic gets them from starting_catalog.json).
# Macrophages are the starting catalog's only viable leukocyte-rich product.

from django.db import migrations

DONOR_TESTS = [
    ("hiv1-ab", "HIV-1 antibody", False),
    ("hiv1-nat", "HIV-1 NAT", False),
    ("hiv2-ab", "HIV-2 antibody", False),
    ("hbsag", "Hepatitis B surface antigen (HBsAg)", False),
    ("anti-hbc", "Hepatitis B core antibody (anti-HBc, IgG and IgM)", False),
    ("hcv-ab", "HCV antibody", False),
    ("hcv-nat", "HCV NAT", False),
    ("treponema", "Treponema pallidum (syphilis)", False),
    ("htlv", "HTLV-I/II antibody", True),
    ("cmv", "Cytomegalovirus (CMV) antibody", True),
]


def add_donor_tests(apps, schema_editor):
    DonorTest = apps.get_model("catalog", "DonorTest")
    CellProduct = apps.get_model("catalog", "CellProduct")
    if not CellProduct.objects.exists():
        return  # a new clinic: the starting catalog brings them
    for code, name, leukocyte_rich_only in DONOR_TESTS:
        DonorTest.objects.get_or_create(
            code=code, defaults={"name": name, "leukocyte_rich_only": leukocyte_rich_only}
        )
    CellProduct.objects.filter(kind="macrophage").update(leukocyte_rich=True)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_donor_tests")]

    operations = [migrations.RunPython(add_donor_tests, migrations.RunPython.noop)]
