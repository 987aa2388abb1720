"""Give every product its dose unit and every dose limit a per-day and a per-course ceiling.

Existing rows get what the starting catalog sets (docs/clinical/dosing.md): exosomes count
particles, secretome µg of protein, every other product viable cells; a day allows one full
dose (the single-dose maximum) and a course three.
"""

import django.core.validators
from django.db import migrations, models

COURSE_DOSES = 3
UNIT_OF_KIND = {"exosome": "particles", "secretome": "ug_protein"}
UNIT_CHOICES = [
    ("viable_cells", "viable cells/kg"),
    ("particles", "particles/kg"),
    ("ug_protein", "µg protein/kg"),
]


def fill(apps, schema_editor):
    for product in apps.get_model("catalog", "CellProduct").objects.all():
        product.dose_unit = UNIT_OF_KIND.get(product.kind, "viable_cells")
        product.save(update_fields=["dose_unit"])
    for limit in apps.get_model("catalog", "DoseLimit").objects.all():
        limit.max_per_day_per_kg = limit.max_cells_per_kg
        limit.max_per_course_per_kg = limit.max_cells_per_kg * COURSE_DOSES
        limit.save(update_fields=["max_per_day_per_kg", "max_per_course_per_kg"])


def _unit(**kwargs):
    return models.CharField(
        choices=UNIT_CHOICES,
        help_text="What doses, limits and lot contents of this product count",
        max_length=20,
        **kwargs,
    )


def _ceiling(help_text, **kwargs):
    return models.FloatField(
        help_text=help_text,
        validators=[django.core.validators.MinValueValidator(0)],
        **kwargs,
    )


DAY = "What all doses on one day may add up to"
COURSE = "What all doses of the stay may add up to"


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_adverse_event_terms")]

    operations = [
        *[
            migrations.AddField(
                model_name=model,
                name="dose_unit",
                field=_unit(default="viable_cells"),
                preserve_default=False,
            )
            for model in ("cellproduct", "historicalcellproduct")
        ],
        *[
            migrations.AddField(model_name=model, name=name, field=_ceiling(text, null=True))
            for model in ("doselimit", "historicaldoselimit")
            for name, text in (("max_per_day_per_kg", DAY), ("max_per_course_per_kg", COURSE))
        ],
        migrations.RunPython(fill, migrations.RunPython.noop),
        *[
            migrations.AlterField(model_name=model, name=name, field=_ceiling(text))
            for model in ("doselimit", "historicaldoselimit")
            for name, text in (("max_per_day_per_kg", DAY), ("max_per_course_per_kg", COURSE))
        ],
    ]
