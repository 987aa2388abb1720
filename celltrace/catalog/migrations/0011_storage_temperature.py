"""Give every product the storage temperature its container label prints.

Existing products get the starting catalog's values by kind: fresh cells 2-8 °C, exosomes
and secretome -80 °C. A clinic that stores a product otherwise (cryopreserved in LN2 vapour)
corrects it in the catalog before printing labels.
"""

from django.db import migrations, models

FROZEN_KINDS = {"exosome", "secretome"}


def give_temperatures(apps, schema_editor):
    for model_name in ("CellProduct", "HistoricalCellProduct"):
        model = apps.get_model("catalog", model_name)
        model.objects.filter(storage_temperature="", kind__in=FROZEN_KINDS).update(
            storage_temperature="-80 °C"
        )
        model.objects.filter(storage_temperature="").update(storage_temperature="2-8 °C")


HELP = (
    "Printed on the container label, e.g. 2-8 °C for a fresh product, "
    "≤ -150 °C (LN2 vapour) for a cryopreserved one, -80 °C for exosomes"
)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_post_thaw_window")]

    operations = [
        migrations.AddField(
            model_name="cellproduct",
            name="storage_temperature",
            field=models.CharField(default="", help_text=HELP, max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalcellproduct",
            name="storage_temperature",
            field=models.CharField(default="", help_text=HELP, max_length=60),
            preserve_default=False,
        ),
        migrations.RunPython(give_temperatures, migrations.RunPython.noop),
    ]
