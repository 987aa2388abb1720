# The dose given is in the product's unit (viable cells, particles or µg protein per kg).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("stays", "0006_admission_weight_and_dose_day_changes")]

    operations = [
        migrations.RenameField("administration", "dose_cells_per_kg", "dose_per_kg"),
        migrations.RenameField("historicaladministration", "dose_cells_per_kg", "dose_per_kg"),
    ]
