"""Load the starting rule set (rulesets/starting.json) as published version 1."""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

STARTING = Path(__file__).resolve().parent.parent / "rulesets" / "starting.json"


def load_starting_ruleset(apps, schema_editor):
    RuleSet = apps.get_model("screening", "RuleSet")
    data = json.loads(STARTING.read_text(encoding="utf-8"))
    RuleSet.objects.get_or_create(
        version=data["version"],
        defaults={
            "status": "published",
            "rules": data["rules"],
            "notes": "The starting rule set: every contraindication of DOMAIN section 2.",
            "published_at": timezone.now(),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0002_rules_engine")]
    operations = [migrations.RunPython(load_starting_ruleset, migrations.RunPython.noop)]
