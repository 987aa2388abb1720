"""Lock version 1 of the report's analysis plan, as shipped in analysis_plans/v1.json."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

from celltrace.clinical.registry.plan import load_plan

PLAN_FILE = Path(__file__).resolve().parents[1] / "analysis_plans" / "v1.json"


def lock_v1(apps, schema_editor):
    AnalysisPlan = apps.get_model("outcomes", "AnalysisPlan")
    content = json.loads(PLAN_FILE.read_text(encoding="utf-8"))
    plan = load_plan(content)
    if not AnalysisPlan.objects.filter(version=plan.version).exists():
        AnalysisPlan.objects.create(
            version=plan.version, content=content, sha256=plan.sha256, locked_at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0003_analysis_plan")]

    operations = [migrations.RunPython(lock_v1, migrations.RunPython.noop)]
