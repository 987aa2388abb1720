"""Read rule set files into RuleSet rows: the starting set and new versions from JSON."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from celltrace.clinical import eligibility
from celltrace.refusal import Refused
from celltrace.screening.models import RuleSet

STARTING = Path(__file__).resolve().parent / "rulesets" / "starting.json"


@transaction.atomic
def load_ruleset_file(path: str | Path, *, publish: bool = False, user=None) -> RuleSet:
    """Store a rule set file as a new draft (or published) version; never overwrite one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        ruleset = eligibility.ruleset_from_dict(data)
    except (OSError, ValueError) as error:  # RuleSetError and JSONDecodeError are ValueErrors
        raise Refused(
            f"{path}: {error}", code="invalid_ruleset", params={"path": path, "problem": error}
        ) from None
    if RuleSet.objects.filter(version=ruleset.version).exists():
        raise Refused(
            f"Version {ruleset.version} is already loaded: give the file a new version.",
            code="version_taken",
            params={"version": ruleset.version},
        )
    row = RuleSet(version=ruleset.version, rules=eligibility.ruleset_to_dict(ruleset)["rules"])
    if publish:
        row.status = RuleSet.Status.PUBLISHED
        row.published_at = timezone.now()
        row.published_by = user
    row.save()
    return row


def starting_ruleset() -> RuleSet:
    """Return version 1, loading it when a test flushed the row the migration made."""
    row = RuleSet.objects.filter(version=1).first()
    return row or load_ruleset_file(STARTING, publish=True)
