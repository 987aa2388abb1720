# The dose unit follows the product (viable cells, particles, µg protein per kg), so the
# limit no longer says "cells" in its name. The starting catalog's exosome and secretome
# limits were written as cell counts; in their own units they are replaced by the new
# starting values, but only where a clinic still has the old starting numbers.

from django.db import migrations

# (product code, route): (old single maximum, new single maximum) in the product's unit.
COURSE_DOSES = 3
EXOSOMES = ("exo-bm", "exo-ad", "exo-uc", "exo-pl")
SECRETOMES = ("sec-bm", "sec-ad", "sec-uc", "sec-pl")
NEW_LIMITS = {
    **{(code, route): (5.0e6, 2.0e10) for code in EXOSOMES for route in ("intravenous", "local")},
    **{(code, route): (5.0e6, 100.0) for code in SECRETOMES for route in ("intravenous", "local")},
    ("exo-home", "local"): (1.0e6, 5.0e9),
}


def use_the_products_units(apps, schema_editor):
    DoseLimit = apps.get_model("catalog", "DoseLimit")
    for limit in DoseLimit.objects.select_related("product"):
        old, new = NEW_LIMITS.get((limit.product.code, limit.route), (None, None))
        if old is None or limit.max_dose_per_kg != old:
            continue
        limit.max_dose_per_kg = new
        limit.max_per_day_per_kg = new
        limit.max_per_course_per_kg = new * COURSE_DOSES
        limit.save()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_dose_units_and_cumulative_limits")]

    operations = [
        migrations.RenameField("doselimit", "max_cells_per_kg", "max_dose_per_kg"),
        migrations.RenameField("historicaldoselimit", "max_cells_per_kg", "max_dose_per_kg"),
        migrations.RunPython(use_the_products_units, migrations.RunPython.noop),
    ]
