"""Lock version 2 of the report's analysis plan (NEDA-3 for MS), as shipped in v2.json."""

from django.db import migrations


def lock_v2(apps, schema_editor):
    from celltrace.outcomes.locked_plan import PLANS, lock_plan_file

    lock_plan_file(PLANS / "v2.json", apps.get_model("outcomes", "AnalysisPlan"))


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0008_mri_scans_and_confirmed_relapses")]

    operations = [migrations.RunPython(lock_v2, migrations.RunPython.noop)]
