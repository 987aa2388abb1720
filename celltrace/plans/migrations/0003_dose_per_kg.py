# The dose is in the product's unit (viable cells, particles or µg protein per kg).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_plan_versions_quote_acceptance")]

    operations = [
        migrations.RenameField("plannedproduct", "dose_cells_per_kg", "dose_per_kg"),
        migrations.RenameField("historicalplannedproduct", "dose_cells_per_kg", "dose_per_kg"),
    ]
