"""Give every product an ISBT 128 product description code: local codes A0001, A0002, ...

A clinic's existing products get the local code of their row number, the same codes the
starting catalog gives; a licensed facility may replace them with ICCBBA's codes.
"""

from django.db import migrations, models

import celltrace.catalog.models


def give_local_codes(apps, schema_editor):
    for model_name in ("CellProduct", "HistoricalCellProduct"):
        model = apps.get_model("catalog", model_name)
        for row in model.objects.filter(isbt_product_code="").only("pk", "id"):
            model.objects.filter(pk=row.pk).update(isbt_product_code=f"A{row.id:04d}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_dose_in_the_products_unit")]

    operations = [
        migrations.AddField(
            model_name="cellproduct",
            name="isbt_product_code",
            field=models.CharField(
                default="",
                help_text="The product description code on the label: a local code (A-D and 4 "
                "digits) unless the facility imports ICCBBA's licensed product code table.",
                max_length=5,
                validators=[celltrace.catalog.models.validate_product_description],
                verbose_name="ISBT 128 product code",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalcellproduct",
            name="isbt_product_code",
            field=models.CharField(
                default="",
                help_text="The product description code on the label: a local code (A-D and 4 "
                "digits) unless the facility imports ICCBBA's licensed product code table.",
                max_length=5,
                validators=[celltrace.catalog.models.validate_product_description],
                verbose_name="ISBT 128 product code",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(give_local_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="cellproduct",
            constraint=models.UniqueConstraint(
                fields=("isbt_product_code",), name="one_product_per_isbt_code"
            ),
        ),
    ]
