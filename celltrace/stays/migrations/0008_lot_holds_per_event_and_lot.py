"""Holds per event and lot, each with the grade it was raised at.

An event re-linked to another lot holds that lot too, and an event that worsens after a
review holds its lot again; existing holds take the grade their event has now.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def grade_of_existing_holds(apps, schema_editor):
    LotHold = apps.get_model("stays", "LotHold")
    for hold in LotHold.objects.select_related("event"):
        hold.ctcae_grade = hold.event.ctcae_grade
        hold.save(update_fields=["ctcae_grade"])


class Migration(migrations.Migration):

    dependencies = [
        ('lab', '0002_lot_viable_content_and_volume'),
        ('stays', '0007_dose_per_kg'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicallothold',
            name='ctcae_grade',
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='lothold',
            name='ctcae_grade',
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.RunPython(grade_of_existing_holds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='lothold',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lot_holds', to='stays.adverseevent'),
        ),
        migrations.AddConstraint(
            model_name='lothold',
            constraint=models.UniqueConstraint(condition=models.Q(('cleared_at__isnull', True)), fields=('event', 'lot'), name='one_open_hold_per_event_and_lot'),
        ),
    ]
