"""Lock version 1 of the report's analysis plan, as shipped in analysis_plans/v1.json."""

from django.db import migrations


def lock_v1(apps, schema_editor):
    from celltrace.outcomes.locked_plan import lock_first_plan

    lock_first_plan(apps.get_model("outcomes", "AnalysisPlan"))


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0003_analysis_plan")]

    operations = [migrations.RunPython(lock_v1, migrations.RunPython.noop)]
